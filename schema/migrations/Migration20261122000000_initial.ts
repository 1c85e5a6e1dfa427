import { Migration } from '@mikro-orm/migrations';

/** Licenses, their audit trail, and admin API tokens. */
export class Migration20261122000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "license_status" as enum ('TRIALING', 'ACTIVE', 'PAST_DUE', 'SUSPENDED', 'EXPIRED', 'REVOKED');`);
    this.addSql(`create table "api_token" (
      "id" uuid not null, "name" varchar(100) not null, "token_hash" varchar(64) not null, "scopes" jsonb not null,
      "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null,
      primary key ("id"));`);
    this.addSql(`alter table "api_token" add constraint "api_token_name_unique" unique ("name");`);
    this.addSql(`alter table "api_token" add constraint "api_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create table "license" (
      "id" uuid not null, "key_hash" varchar(64) not null, "key_hint" varchar(32) not null, "key_ciphertext" text null,
      "status" "license_status" not null, "plan" varchar(100) not null, "features" jsonb not null default '{}',
      "seat_limit" int null, "customer_email" varchar(320) null, "expires_at" timestamptz null,
      "trial_ends_at" timestamptz null, "metadata" jsonb not null default '{}', "version" int not null default 1,
      "status_reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null,
      primary key ("id"));`);
    this.addSql(`alter table "license" add constraint "license_key_hash_unique" unique ("key_hash");`);
    this.addSql(`create index "license_customer_email_index" on "license" ("customer_email");`);
    this.addSql(`create table "audit_event" (
      "id" uuid not null, "license_id" uuid not null, "actor" varchar(200) not null, "action" varchar(100) not null,
      "reason" text null, "before" jsonb null, "after" jsonb null, "created_at" timestamptz not null,
      primary key ("id"));`);
    this.addSql(`create index "audit_event_license_index" on "audit_event" ("license_id");`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_license_id_foreign"
      foreign key ("license_id") references "license" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_event" cascade;`);
    this.addSql(`drop table if exists "license" cascade;`);
    this.addSql(`drop table if exists "api_token" cascade;`);
    this.addSql(`drop type if exists "license_status";`);
  }
}
