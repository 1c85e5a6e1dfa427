import { Migration } from '@mikro-orm/migrations';

/** The notification outbox the license workflows write and the delivery adapters drain. */
export class Migration20261122020000_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "outbox_status" as enum ('PENDING', 'SENT', 'FAILED', 'NOT_SENT');`);
    this.addSql(`create table "outbox_message" (
      "id" uuid not null, "license_id" uuid not null, "event" varchar(100) not null,
      "idempotency_key" varchar(300) not null, "recipient" varchar(320) null, "payload" jsonb not null,
      "status" "outbox_status" not null default 'PENDING', "attempts" int not null default 0, "last_error" text null,
      "provider_message_id" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null,
      "sent_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "outbox_message_license_index" on "outbox_message" ("license_id");`);
    this.addSql(`alter table "outbox_message" add constraint "outbox_message_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "outbox_message_status_index" on "outbox_message" ("status", "created_at");`);
    this.addSql(`alter table "outbox_message" add constraint "outbox_message_license_id_foreign" foreign key ("license_id") references "license" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outbox_message" cascade;`);
    this.addSql(`drop type if exists "outbox_status";`);
  }
}
