import { Migration } from '@mikro-orm/migrations';

/**
 * What the reports need beside the existing tables:
 * - `license_seat_day`: a daily snapshot of seats in use per license (and the limit that
 *   held), for the seat usage trend; written by the seat-snapshot schedule;
 * - `license.first_validated_at`: when a license's key was first validated (set by the
 *   validation counter's flush, once), for the time to first validation; the raw usage events
 *   are dropped after their retention, this stays.
 */
export class Migration20261207080000_reports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "license_seat_day" (
      "license_id" uuid not null, "day" date not null, "seats_in_use" int not null, "seat_limit" int null,
      primary key ("license_id", "day"));`);
    this.addSql(`create index "license_seat_day_day_index" on "license_seat_day" ("day");`);
    this.addSql(`alter table "license_seat_day" add constraint "license_seat_day_license_id_foreign" foreign key ("license_id") references "license" ("id") on delete cascade;`);
    this.addSql(`alter table "license" add column "first_validated_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "license" drop column if exists "first_validated_at";`);
    this.addSql(`drop table if exists "license_seat_day" cascade;`);
  }
}
