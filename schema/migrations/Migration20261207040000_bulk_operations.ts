import { Migration } from '@mikro-orm/migrations';

/**
 * Bulk operations (issue 17 item 5): one row per operation, and one per license it chose with
 * that license's result. The item's key (operation, license) is what makes applying it
 * idempotent; the status index serves the workflow's next page of pending items and the counts.
 */
export class Migration20261207040000_bulk_operations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "bulk_operation_status" as enum ('RUNNING', 'CANCELLING', 'COMPLETED', 'CANCELLED');`);
    this.addSql(`create type "bulk_item_status" as enum ('PENDING', 'APPLIED', 'SKIPPED', 'FAILED', 'CANCELLED');`);
    this.addSql(`create table "bulk_operation" (
      "id" uuid not null, "status" "bulk_operation_status" not null, "operation" jsonb not null, "selection" jsonb not null,
      "reason" text not null, "actor" varchar(200) not null, "rate_per_second" int not null, "total" int not null,
      "created_at" timestamptz not null, "cancel_requested_at" timestamptz null, "finished_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "bulk_operation_created_index" on "bulk_operation" ("created_at", "id");`);
    this.addSql(`create table "bulk_operation_item" (
      "bulk_operation_id" uuid not null, "license_id" uuid not null, "position" int not null, "status" "bulk_item_status" not null,
      "before" jsonb not null, "after" jsonb null, "code" varchar(100) null, "detail" text null, "finished_at" timestamptz null,
      primary key ("bulk_operation_id", "license_id"));`);
    this.addSql(`create index "bulk_operation_item_license_index" on "bulk_operation_item" ("license_id");`);
    this.addSql(`create index "bulk_operation_item_status_index" on "bulk_operation_item" ("bulk_operation_id", "status", "position");`);
    this.addSql(
      `alter table "bulk_operation_item" add constraint "bulk_operation_item_bulk_operation_id_foreign" foreign key ("bulk_operation_id") references "bulk_operation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "bulk_operation_item" add constraint "bulk_operation_item_license_id_foreign" foreign key ("license_id") references "license" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "bulk_operation_item" cascade;`);
    this.addSql(`drop table if exists "bulk_operation" cascade;`);
    this.addSql(`drop type if exists "bulk_item_status";`);
    this.addSql(`drop type if exists "bulk_operation_status";`);
  }
}
