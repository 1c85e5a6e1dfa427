import { Migration } from '@mikro-orm/migrations';

/**
 * Ed25519 signing keys (validation answers, offline tokens) and the log of issued offline
 * tokens, which keeps a token's id and hash, never the token.
 */
export class Migration20261123010000_signing_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "signing_key_status" as enum ('ACTIVE', 'VERIFYING', 'RETIRED');`);
    this.addSql(`create table "signing_key" (
      "id" uuid not null, "algorithm" varchar(20) not null, "status" "signing_key_status" not null,
      "public_jwk" jsonb not null, "private_key_encrypted" text not null, "created_at" timestamptz not null,
      "rotated_at" timestamptz null, "retired_at" timestamptz null, primary key ("id"));`);
    // At most one key signs at a time.
    this.addSql(`create unique index "signing_key_one_active" on "signing_key" ("status") where "status" = 'ACTIVE';`);

    this.addSql(`create table "offline_token" (
      "id" uuid not null, "license_id" uuid not null, "signing_key_id" uuid not null, "token_sha256" varchar(64) not null,
      "issued_by" varchar(200) not null, "issued_at" timestamptz not null, "expires_at" timestamptz not null,
      "fingerprint" varchar(255) null, "domain" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "offline_token_license_issued_index" on "offline_token" ("license_id", "issued_at");`);
    this.addSql(`alter table "offline_token" add constraint "offline_token_license_id_foreign" foreign key ("license_id") references "license" ("id") on delete cascade;`);
    this.addSql(`alter table "offline_token" add constraint "offline_token_signing_key_id_foreign" foreign key ("signing_key_id") references "signing_key" ("id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "offline_token" cascade;`);
    this.addSql(`drop table if exists "signing_key" cascade;`);
    this.addSql(`drop type if exists "signing_key_status";`);
  }
}
