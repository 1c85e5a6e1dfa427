import { Migration } from '@mikro-orm/migrations';

/**
 * Message delivery: the outbox says which provider delivers each message (`channel`), HubSpot
 * renewal tasks keep their id per license, and validations are counted per license per day.
 */
export class Migration20261123020000_message_delivery extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "outbox_message" add "channel" varchar(32) not null default 'customerio';`);
    // Messages recorded before delivery existed are history, not a backlog: sending them now
    // would mail customers months-old reminders the moment a provider is configured.
    this.addSql(`update "outbox_message" set "status" = 'NOT_SENT', "last_error" = 'recorded before message delivery existed', "updated_at" = now() where "status" = 'PENDING';`);
    this.addSql(`create table "crm_renewal_task" ("id" uuid not null, "license_id" uuid not null, "hubspot_task_id" varchar(64) not null, "period_end" timestamptz null, "terms" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "crm_renewal_task" add constraint "crm_renewal_task_license_unique" unique ("license_id");`);
    this.addSql(`alter table "crm_renewal_task" add constraint "crm_renewal_task_license_id_foreign" foreign key ("license_id") references "license" ("id") on delete cascade;`);
    this.addSql(`create table "license_validation_day" ("license_id" uuid not null, "day" date not null, "count" bigint not null default '0', primary key ("license_id", "day"));`);
    this.addSql(`alter table "license_validation_day" add constraint "license_validation_day_license_id_foreign" foreign key ("license_id") references "license" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "license_validation_day" cascade;`);
    this.addSql(`drop table if exists "crm_renewal_task" cascade;`);
    this.addSql(`alter table "outbox_message" drop column "channel";`);
  }
}
