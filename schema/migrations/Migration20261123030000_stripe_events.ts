import { Migration } from '@mikro-orm/migrations';

/**
 * The Stripe event log (one row per event id, before it is acted on), and at most one license
 * per Stripe subscription, so concurrent deliveries of a checkout provision exactly one.
 */
export class Migration20261123030000_stripe_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "stripe_event_status" as enum ('RECEIVED', 'PROCESSING', 'PROCESSED', 'IGNORED', 'DEFERRED', 'FAILED');`);
    this.addSql(`create table "stripe_event" (
      "id" varchar(255) not null, "type" varchar(100) not null, "stripe_created_at" timestamptz not null,
      "livemode" boolean not null default false, "payload" jsonb not null,
      "status" "stripe_event_status" not null default 'RECEIVED', "subscription_id" varchar(255) null, "license_id" uuid null,
      "detail" text null, "error_code" varchar(100) null, "error" text null, "attempts" int not null default 0,
      "claimed_at" timestamptz null, "processed_at" timestamptz null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "stripe_event_status_index" on "stripe_event" ("status", "created_at");`);
    this.addSql(`create index "stripe_event_subscription_index" on "stripe_event" ("subscription_id", "stripe_created_at");`);
    this.addSql(`create unique index "license_stripe_subscription_unique" on "license" ("stripe_subscription_id") where "stripe_subscription_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "license_stripe_subscription_unique";`);
    this.addSql(`drop table if exists "stripe_event" cascade;`);
    this.addSql(`drop type if exists "stripe_event_status";`);
  }
}
