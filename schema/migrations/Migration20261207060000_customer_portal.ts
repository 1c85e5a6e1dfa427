import { Migration } from '@mikro-orm/migrations';
import { sessionTableSql } from '../staff/session-table.ts';

/**
 * The customer portal: one-time sign-in links (hashed, single use), customer sessions (the
 * shared cookie-session table shape), and the plan's monthly allowance of license files a
 * customer may download for air-gapped machines.
 */
export class Migration20261207060000_customer_portal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "customer_link" (
      "id" uuid not null, "customer_id" uuid not null, "token_hash" varchar(64) not null,
      "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null,
      primary key ("id"));`);
    this.addSql(`alter table "customer_link" add constraint "customer_link_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "customer_link_customer_index" on "customer_link" ("customer_id", "created_at");`);
    this.addSql(`alter table "customer_link" add constraint "customer_link_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete cascade;`);
    for (const sql of sessionTableSql('customer_session', 'customer')) this.addSql(sql);
    this.addSql(`alter table "plan" add "license_file_limit" int not null default 5;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "plan" drop column if exists "license_file_limit";`);
    this.addSql(`drop table if exists "customer_session" cascade;`);
    this.addSql(`drop table if exists "customer_link" cascade;`);
  }
}
