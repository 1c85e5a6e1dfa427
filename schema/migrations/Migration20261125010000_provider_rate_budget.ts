import { Migration } from '@mikro-orm/migrations';

/**
 * Provider rate limits: each provider API's request budget, from which message deliveries
 * reserve their send times (outreach/rate-budget.ts). One row per API, written by every worker.
 */
export class Migration20261125010000_provider_rate_budget extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "provider_rate_budget" ("name" varchar(64) not null, "next_at" timestamptz not null, "urgent_next_at" timestamptz not null, "paused_until" timestamptz not null, "updated_at" timestamptz not null, primary key ("name"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "provider_rate_budget" cascade;`);
  }
}
