import { Migration } from '@mikro-orm/migrations';

/**
 * Abuse detection (issue 19.4): the alerts the abuse-checks schedule raises from the usage
 * events, and each plan's thresholds and action where they differ from the defaults.
 */
export class Migration20261207070100_abuse_alerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "abuse_alert_kind" as enum ('VELOCITY', 'GEO_SPREAD', 'REFERRER_MISMATCH', 'TRIAL_CYCLING', 'KEY_SHARING');`);
    this.addSql(`create type "abuse_alert_status" as enum ('OPEN', 'DISMISSED', 'ACTED');`);
    this.addSql(`create type "abuse_action" as enum ('FLAG', 'REQUIRE_REACTIVATION', 'SUSPEND');`);
    this.addSql(`create table "plan_abuse_policy" ("plan_id" uuid not null, "policy" jsonb not null, "updated_at" timestamptz not null, primary key ("plan_id"));`);
    this.addSql(`alter table "plan_abuse_policy" add constraint "plan_abuse_policy_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on update cascade on delete cascade;`);
    this.addSql(`create table "abuse_alert" (
      "id" uuid not null, "license_id" uuid not null, "kind" "abuse_alert_kind" not null, "status" "abuse_alert_status" not null default 'OPEN',
      "evidence" jsonb not null, "window_start" timestamptz not null, "window_end" timestamptz not null, "occurrences" int not null default 1,
      "action" "abuse_action" null, "acted_at" timestamptz null, "dismissed_at" timestamptz null, "dismissed_by" varchar(200) null,
      "dismiss_reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "abuse_alert_created_index" on "abuse_alert" ("created_at", "id");`);
    this.addSql(`create index "abuse_alert_license_kind_index" on "abuse_alert" ("license_id", "kind", "window_end");`);
    this.addSql(`create index "abuse_alert_status_index" on "abuse_alert" ("status", "created_at");`);
    this.addSql(`alter table "abuse_alert" add constraint "abuse_alert_license_id_foreign" foreign key ("license_id") references "license" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "abuse_alert" cascade;`);
    this.addSql(`drop table if exists "plan_abuse_policy" cascade;`);
    this.addSql(`drop type if exists "abuse_action";`);
    this.addSql(`drop type if exists "abuse_alert_status";`);
    this.addSql(`drop type if exists "abuse_alert_kind";`);
  }
}
