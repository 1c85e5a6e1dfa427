import { Migration } from '@mikro-orm/migrations';

/**
 * Products, plans, customers and activations. Existing licenses keep their data: their plan
 * names become plans of a `default` product, their emails become customers, and their
 * features and seat limits become per-license overrides.
 */
export class Migration20261122010000_license_domain extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "seat_model" as enum ('DEVICE', 'NAMED_USER', 'CONCURRENT');`);
    this.addSql(`create type "term_kind" as enum ('PERPETUAL', 'DURATION', 'FIXED_END');`);
    this.addSql(`create type "activation_kind" as enum ('MACHINE', 'USER', 'LEASE');`);

    this.addSql(`create table "product" (
      "id" uuid not null, "code" varchar(100) not null, "name" varchar(200) not null,
      "metadata" jsonb not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null,
      primary key ("id"));`);
    this.addSql(`alter table "product" add constraint "product_code_unique" unique ("code");`);

    this.addSql(`create table "customer" (
      "id" uuid not null, "email" varchar(320) not null, "name" varchar(200) null,
      "stripe_customer_id" varchar(255) null, "hubspot_contact_id" varchar(64) null, "hubspot_company_id" varchar(64) null,
      "metadata" jsonb not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null,
      primary key ("id"));`);
    this.addSql(`alter table "customer" add constraint "customer_email_unique" unique ("email");`);
    this.addSql(`alter table "customer" add constraint "customer_stripe_customer_id_unique" unique ("stripe_customer_id");`);

    this.addSql(`create table "plan" (
      "id" uuid not null, "product_id" uuid not null, "code" varchar(100) not null, "name" varchar(200) not null,
      "tier" varchar(100) not null, "features" jsonb not null default '{}', "seat_limit" int null,
      "seat_model" "seat_model" not null default 'DEVICE', "overage_seats" int not null default 0,
      "overage_days" int not null default 0, "term_kind" "term_kind" not null default 'PERPETUAL',
      "term_days" int null, "term_ends_at" timestamptz null, "trial_days" int null,
      "expiry_grace_days" int not null default 0, "payment_grace_days" int not null default 7,
      "reminder_offsets_days" jsonb not null default '[90,30,14,7,0]', "cache_ttl_seconds" int not null default 86400,
      "trial_cache_ttl_seconds" int not null default 3600, "allowed_domains" jsonb not null default '[]',
      "allowed_cidrs" jsonb not null default '[]', "deactivation_limit" int null,
      "deactivation_period_days" int not null default 30, "lease_seconds" int not null default 900,
      "stripe_price_ids" jsonb not null default '[]', "created_at" timestamptz not null, "updated_at" timestamptz not null,
      primary key ("id"));`);
    this.addSql(`alter table "plan" add constraint "plan_product_code_unique" unique ("product_id", "code");`);
    this.addSql(`alter table "plan" add constraint "plan_product_id_foreign" foreign key ("product_id") references "product" ("id") on delete restrict;`);

    // Existing licenses: plans from their plan names, customers from their emails.
    this.addSql(`insert into "product" ("id", "code", "name", "created_at", "updated_at")
      select gen_random_uuid(), 'default', 'Default product', now(), now() where exists (select 1 from "license");`);
    this.addSql(`insert into "plan" ("id", "product_id", "code", "name", "tier", "created_at", "updated_at")
      select gen_random_uuid(), (select "id" from "product" where "code" = 'default'), l."plan", l."plan", l."plan", now(), now()
      from (select distinct "plan" from "license") l;`);
    this.addSql(`insert into "customer" ("id", "email", "created_at", "updated_at")
      select gen_random_uuid(), l."customer_email", now(), now()
      from (select distinct lower("customer_email") as "customer_email" from "license" where "customer_email" is not null) l;`);

    this.addSql(`alter table "license" add column "plan_id" uuid null, add column "customer_id" uuid null,
      add column "overrides" jsonb not null default '{}', add column "stripe_subscription_id" varchar(255) null,
      add column "overage_started_at" timestamptz null;`);
    this.addSql(`update "license" l set
      "plan_id" = (select p."id" from "plan" p where p."code" = l."plan"),
      "customer_id" = (select c."id" from "customer" c where c."email" = lower(l."customer_email")),
      "overrides" = jsonb_strip_nulls(jsonb_build_object('features', l."features", 'seatLimit', l."seat_limit"));`);
    this.addSql(`alter table "license" alter column "plan_id" set not null;`);
    this.addSql(`drop index "license_customer_email_index";`);
    this.addSql(`alter table "license" drop column "plan", drop column "features", drop column "seat_limit", drop column "customer_email";`);
    this.addSql(`alter table "license" add constraint "license_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on delete restrict;`);
    this.addSql(`alter table "license" add constraint "license_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete restrict;`);
    this.addSql(`create index "license_key_hint_index" on "license" ("key_hint");`);
    this.addSql(`create index "license_status_index" on "license" ("status");`);
    this.addSql(`create index "license_plan_index" on "license" ("plan_id");`);
    this.addSql(`create index "license_customer_index" on "license" ("customer_id");`);
    this.addSql(`create index "license_stripe_subscription_index" on "license" ("stripe_subscription_id");`);

    this.addSql(`create table "activation" (
      "id" uuid not null, "license_id" uuid not null, "fingerprint" varchar(255) not null,
      "kind" "activation_kind" not null, "name" varchar(255) null, "hostname" varchar(255) null,
      "platform" varchar(100) null, "ip" varchar(64) null, "domain" varchar(255) null, "user_id" varchar(255) null,
      "first_seen_at" timestamptz not null, "last_seen_at" timestamptz not null, "lease_expires_at" timestamptz null,
      "deactivated_at" timestamptz null, "deactivated_by" varchar(200) null,
      primary key ("id"));`);
    this.addSql(`create unique index "activation_live_fingerprint_unique" on "activation" ("license_id", "fingerprint") where "deactivated_at" is null;`);
    this.addSql(`create index "activation_license_index" on "activation" ("license_id");`);
    this.addSql(`alter table "activation" add constraint "activation_license_id_foreign" foreign key ("license_id") references "license" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "license" add column "plan" varchar(100) null, add column "features" jsonb not null default '{}',
      add column "seat_limit" int null, add column "customer_email" varchar(320) null;`);
    this.addSql(`update "license" l set "plan" = p."code",
      "features" = coalesce(l."overrides"->'features', p."features"),
      "seat_limit" = coalesce((l."overrides"->>'seatLimit')::int, p."seat_limit")
      from "plan" p where p."id" = l."plan_id";`);
    this.addSql(`update "license" l set "customer_email" = c."email" from "customer" c where c."id" = l."customer_id";`);
    this.addSql(`alter table "license" alter column "plan" set not null;`);
    this.addSql(`drop table if exists "activation" cascade;`);
    this.addSql(`alter table "license" drop column "plan_id", drop column "customer_id", drop column "overrides",
      drop column "stripe_subscription_id", drop column "overage_started_at";`);
    this.addSql(`drop index if exists "license_key_hint_index";`);
    this.addSql(`drop index if exists "license_status_index";`);
    this.addSql(`create index "license_customer_email_index" on "license" ("customer_email");`);
    this.addSql(`drop table if exists "plan" cascade;`);
    this.addSql(`drop table if exists "customer" cascade;`);
    this.addSql(`drop table if exists "product" cascade;`);
    this.addSql(`drop type if exists "activation_kind";`);
    this.addSql(`drop type if exists "term_kind";`);
    this.addSql(`drop type if exists "seat_model";`);
  }
}
