import { Migration } from '@mikro-orm/migrations';

/**
 * What the admin console's search and account view read quickly with 100,000 licenses:
 * - trigram indexes (pg_trgm) on the customer's e-mail and name, for a substring search
 *   (`ilike '%ada%'`) that does not scan every customer;
 * - the licenses in the search's order (newest first), so a broad match reads one page of the
 *   index instead of sorting every match;
 * - expiry, for "expiring within N days";
 * - a license's Stripe events, for its account view;
 * - staff notes on a customer's account.
 * pg_trgm ships with Postgres and is a trusted extension: the database owner may create it.
 */
export class Migration20261126010000_console_search extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists "pg_trgm";`);
    this.addSql(`create index "customer_email_trgm_index" on "customer" using gin ("email" gin_trgm_ops);`);
    this.addSql(`create index "customer_name_trgm_index" on "customer" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "license_created_at_index" on "license" ("created_at", "id");`);
    this.addSql(`create index "license_expires_at_index" on "license" ("expires_at");`);
    this.addSql(`create index "stripe_event_license_index" on "stripe_event" ("license_id", "created_at");`);
    this.addSql(`create table "customer_note" (
      "id" uuid not null, "customer_id" uuid not null, "author" varchar(200) not null, "body" text not null,
      "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "customer_note_customer_index" on "customer_note" ("customer_id", "created_at");`);
    this.addSql(`alter table "customer_note" add constraint "customer_note_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "customer_note" cascade;`);
    this.addSql(`drop index if exists "stripe_event_license_index";`);
    this.addSql(`drop index if exists "license_expires_at_index";`);
    this.addSql(`drop index if exists "license_created_at_index";`);
    this.addSql(`drop index if exists "customer_name_trgm_index";`);
    this.addSql(`drop index if exists "customer_email_trgm_index";`);
  }
}
