import { Migration } from '@mikro-orm/migrations';

/**
 * One-time Stripe purchases: the Checkout Session that sold a license (at most one license per
 * session, so redeliveries, concurrent copies and replays provision exactly one), and the
 * payment intent that paid for it, by which a refund or a dispute finds the license.
 */
export class Migration20261124010000_one_time_checkout extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "license" add column "stripe_checkout_session_id" varchar(255) null, add column "stripe_payment_intent_id" varchar(255) null;`);
    this.addSql(`create unique index "license_stripe_checkout_session_unique" on "license" ("stripe_checkout_session_id") where "stripe_checkout_session_id" is not null;`);
    this.addSql(`create index "license_stripe_payment_intent_index" on "license" ("stripe_payment_intent_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "license_stripe_payment_intent_index";`);
    this.addSql(`drop index if exists "license_stripe_checkout_session_unique";`);
    this.addSql(`alter table "license" drop column "stripe_payment_intent_id", drop column "stripe_checkout_session_id";`);
  }
}
