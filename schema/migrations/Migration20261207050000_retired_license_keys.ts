import { Migration } from '@mikro-orm/migrations';

/**
 * Key rotation (issue 18.4): the keys a license no longer has, by lookup hash, with the end of
 * each one's overlap window. Validation reads a row only after the key matched no license.
 */
export class Migration20261207050000_retired_license_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "retired_license_key" (
      "key_hash" varchar(64) not null, "license_id" uuid not null, "key_hint" varchar(32) not null,
      "retired_at" timestamptz not null, "works_until" timestamptz not null, "retired_by" varchar(200) not null,
      primary key ("key_hash"));`);
    this.addSql(`create index "retired_license_key_license_index" on "retired_license_key" ("license_id", "retired_at");`);
    this.addSql(`alter table "retired_license_key" add constraint "retired_license_key_license_id_foreign" foreign key ("license_id") references "license" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "retired_license_key" cascade;`);
  }
}
