import { Migration } from '@mikro-orm/migrations';
import { AUDIT_APPEND_ONLY_BODY, AUDIT_DEFAULT_TARGET_BODY } from '../audit/audit-event.entity.ts';
import { sessionTableSql } from '../staff/session-table.ts';

/**
 * Staff identity: accounts, browser sessions, one-time links, recovery codes, sign-in
 * throttling and settings; API tokens as objects (owner, hint, expiry); and the audit trail
 * for every admin write, append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export class Migration20261125010000_staff_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "staff_role" as enum ('owner', 'admin', 'support', 'finance', 'read_only');`);
    this.addSql(`create type "staff_status" as enum ('ACTIVE', 'DISABLED');`);
    this.addSql(`create type "staff_link_purpose" as enum ('SETUP', 'INVITATION', 'PASSWORD_RESET');`);
    this.addSql(`create table "staff_member" (
      "id" uuid not null, "email" varchar(320) not null, "name" varchar(200) not null, "role" "staff_role" not null,
      "status" "staff_status" not null default 'ACTIVE', "password_hash" text null, "password_changed_at" timestamptz null,
      "totp_secret_ciphertext" text null, "totp_enabled_at" timestamptz null, "totp_last_step" bigint null,
      "sso_managed" boolean not null default false, "last_sign_in_at" timestamptz null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "staff_member" add constraint "staff_member_email_unique" unique ("email");`);

    for (const sql of sessionTableSql('staff_session', 'staff_member')) this.addSql(sql);
    this.addSql(`alter table "staff_session" add "method" varchar(20) not null;`);

    this.addSql(`create table "staff_link" (
      "id" uuid not null, "staff_member_id" uuid null, "purpose" "staff_link_purpose" not null, "token_hash" varchar(64) not null,
      "expires_at" timestamptz not null, "used_at" timestamptz null, "created_by" varchar(200) not null, "created_at" timestamptz not null,
      primary key ("id"));`);
    this.addSql(`alter table "staff_link" add constraint "staff_link_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "staff_link_member_index" on "staff_link" ("staff_member_id", "purpose");`);
    this.addSql(`alter table "staff_link" add constraint "staff_link_staff_member_id_foreign" foreign key ("staff_member_id") references "staff_member" ("id") on delete cascade;`);

    this.addSql(`create table "recovery_code" (
      "id" uuid not null, "staff_member_id" uuid not null, "code_hash" varchar(64) not null, "used_at" timestamptz null,
      "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "recovery_code_member_index" on "recovery_code" ("staff_member_id");`);
    this.addSql(`alter table "recovery_code" add constraint "recovery_code_hash_unique" unique ("code_hash");`);
    this.addSql(`alter table "recovery_code" add constraint "recovery_code_staff_member_id_foreign" foreign key ("staff_member_id") references "staff_member" ("id") on delete cascade;`);

    this.addSql(`create table "sign_in_throttle" (
      "key" varchar(80) not null, "failures" int not null, "window_started_at" timestamptz not null, "locked_until" timestamptz null,
      primary key ("key"));`);
    this.addSql(`create table "setting" ("key" varchar(100) not null, "value" jsonb not null, "updated_at" timestamptz not null, primary key ("key"));`);

    this.addSql(`alter table "api_token" add "hint" varchar(16) null, add "staff_member_id" uuid null, add "service" varchar(100) null,
      add "created_by" varchar(200) null, add "expires_at" timestamptz null, add "revoked_by" varchar(200) null;`);
    this.addSql(`alter table "api_token" add constraint "api_token_staff_member_id_foreign" foreign key ("staff_member_id") references "staff_member" ("id") on delete set null;`);
    this.addSql(`create index "api_token_staff_member_index" on "api_token" ("staff_member_id");`);
    this.addSql(`update "api_token" set "service" = 'automation', "created_by" = 'system:start' where "name" = 'bootstrap-admin';`);

    this.addSql(`alter table "audit_event" add "actor_label" varchar(320) null, add "target_type" varchar(50) null, add "target_id" varchar(100) null,
      add "ip" varchar(64) null, add "user_agent" varchar(512) null;`);
    this.addSql(`update "audit_event" set "target_type" = 'license', "target_id" = "license_id"::text;`);
    this.addSql(`alter table "audit_event" alter column "target_type" set not null;`);
    this.addSql(`alter table "audit_event" alter column "license_id" drop not null;`);
    this.addSql(`create index "audit_event_target_index" on "audit_event" ("target_type", "target_id", "created_at");`);
    this.addSql(`create index "audit_event_created_index" on "audit_event" ("created_at", "id");`);
    this.addSql(`create index "audit_event_actor_index" on "audit_event" ("actor", "created_at");`);
    // Named as MikroORM names an entity's triggers (`<table>_<trigger>_fn`), so the schema compares equal.
    this.addSql(`create function "audit_event_audit_event_default_target_fn"() returns trigger as $$ begin ${AUDIT_DEFAULT_TARGET_BODY} end; $$ language plpgsql;`);
    this.addSql(`create trigger "audit_event_default_target" before insert on "audit_event" for each row execute function "audit_event_audit_event_default_target_fn"();`);
    this.addSql(`create function "audit_event_audit_event_append_only_fn"() returns trigger as $$ begin ${AUDIT_APPEND_ONLY_BODY}; end; $$ language plpgsql;`);
    this.addSql(`create trigger "audit_event_append_only" before update or delete on "audit_event" for each row execute function "audit_event_audit_event_append_only_fn"();`);
    this.addSql(`create trigger "audit_event_no_truncate" before truncate on "audit_event" for each statement execute function "audit_event_audit_event_append_only_fn"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "audit_event_no_truncate" on "audit_event";`);
    this.addSql(`drop trigger if exists "audit_event_append_only" on "audit_event";`);
    this.addSql(`drop trigger if exists "audit_event_default_target" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_audit_event_append_only_fn"();`);
    this.addSql(`drop function if exists "audit_event_audit_event_default_target_fn"();`);
    this.addSql(`delete from "audit_event" where "license_id" is null;`);
    this.addSql(`drop index if exists "audit_event_actor_index";`);
    this.addSql(`drop index if exists "audit_event_created_index";`);
    this.addSql(`drop index if exists "audit_event_target_index";`);
    this.addSql(`alter table "audit_event" alter column "license_id" set not null;`);
    this.addSql(`alter table "audit_event" drop column "actor_label", drop column "target_type", drop column "target_id", drop column "ip", drop column "user_agent";`);
    this.addSql(`drop index if exists "api_token_staff_member_index";`);
    this.addSql(`alter table "api_token" drop constraint if exists "api_token_staff_member_id_foreign";`);
    this.addSql(`alter table "api_token" drop column "hint", drop column "staff_member_id", drop column "service", drop column "created_by", drop column "expires_at", drop column "revoked_by";`);
    for (const table of ['setting', 'sign_in_throttle', 'recovery_code', 'staff_link', 'staff_session', 'staff_member']) this.addSql(`drop table if exists "${table}" cascade;`);
    for (const type of ['staff_link_purpose', 'staff_status', 'staff_role']) this.addSql(`drop type if exists "${type}";`);
  }
}
