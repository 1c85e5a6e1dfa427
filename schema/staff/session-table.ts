/**
 * The DDL every cookie-session table shares (staff sessions here; customer sessions of the
 * portal later): a random secret's keyed hash, idle and absolute expiry, revocation, and where
 * the session came from. `domain/sessions/session-store.ts` reads and writes any such table.
 */
export function sessionTableSql(table: string, ownerTable: string): string[] {
  return [
    `create table "${table}" (
      "id" uuid not null, "owner_id" uuid not null, "token_hash" varchar(64) not null,
      "created_at" timestamptz not null, "last_seen_at" timestamptz not null,
      "idle_expires_at" timestamptz not null, "expires_at" timestamptz not null,
      "revoked_at" timestamptz null, "revoked_reason" varchar(100) null,
      "ip" varchar(64) null, "user_agent" varchar(512) null,
      primary key ("id"));`,
    `alter table "${table}" add constraint "${table}_token_hash_unique" unique ("token_hash");`,
    `create index "${table}_owner_index" on "${table}" ("owner_id", "created_at");`,
    `alter table "${table}" add constraint "${table}_owner_id_foreign" foreign key ("owner_id") references "${ownerTable}" ("id") on delete cascade;`,
  ];
}
