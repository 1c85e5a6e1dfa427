import { Migration } from '@mikro-orm/migrations';

/**
 * Usage capture (issue 19.1): every client call as a row of `usage_event`, and its daily
 * roll-up `usage_day`.
 *
 * `usage_event` is range-partitioned by the UTC day of `occurred_at`: one partition per day,
 * `usage_event_YYYYMMDD`, created ahead and dropped after USAGE_RAW_RETENTION_DAYS by the
 * usage-maintenance schedule (domain/usage/usage-partitions.ts). Dropping a day is a catalog
 * change, not a DELETE that bloats the table. The default partition catches a row whose day has
 * no partition yet (a schedule that has not run, a back-dated import): nothing is ever refused,
 * and maintenance moves such rows into their day's partition when it creates it.
 * MikroORM reads partitions as part of their parent and leaves the partitioning to us (the
 * entity declares none).
 */
export class Migration20261207070000_usage_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "usage_event" (
      "id" uuid not null, "occurred_at" timestamptz not null, "license_id" uuid null,
      "kind" varchar(20) not null, "code" varchar(40) not null, "ip" varchar(64) null, "country" varchar(2) null,
      "origin_host" varchar(255) null, "domain" varchar(255) null, "fingerprint" varchar(255) null,
      "sdk_name" varchar(100) null, "sdk_version" varchar(50) null, "count" int not null default 1,
      primary key ("id", "occurred_at")) partition by range ("occurred_at");`);
    this.addSql(`create index "usage_event_license_index" on "usage_event" ("license_id", "occurred_at");`);
    this.addSql(`create index "usage_event_fingerprint_index" on "usage_event" ("fingerprint", "occurred_at");`);
    this.addSql(`create index "usage_event_ip_index" on "usage_event" ("ip", "occurred_at");`);
    this.addSql(`create table "usage_event_default" partition of "usage_event" default;`);

    this.addSql(`create table "usage_day" (
      "license_id" uuid not null, "day" date not null, "kind" varchar(20) not null, "code" varchar(40) not null,
      "events" bigint not null default '0', "distinct_ips" int not null default 0, "distinct_fingerprints" int not null default 0,
      "countries" jsonb not null default '[]', "domains" jsonb not null default '[]',
      primary key ("license_id", "day", "kind", "code"));`);
    this.addSql(`create index "usage_day_day_index" on "usage_day" ("day");`);
    this.addSql(`alter table "usage_day" add constraint "usage_day_license_id_foreign" foreign key ("license_id") references "license" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "usage_day" cascade;`);
    this.addSql(`drop table if exists "usage_event" cascade;`);
  }
}
