import { Migration } from '@mikro-orm/migrations';

/**
 * The payment intent a Stripe event names (a checkout's, a charge's or a dispute's), kept in a
 * column of its own and indexed, as the subscription id is: refunds and disputes of one-time
 * purchases, and a purchase refunded before its license was issued, are found by it.
 */
export class Migration20261124020000_stripe_event_payment_intent extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "stripe_event" add column "payment_intent_id" varchar(255) null;`);
    this.addSql(
      `update "stripe_event" set "payment_intent_id" = "payload"->'data'->'object'->>'payment_intent'
        where ("type" like 'checkout.session.%' or "type" like 'charge.%') and jsonb_typeof("payload"->'data'->'object'->'payment_intent') = 'string';`,
    );
    this.addSql(`create index "stripe_event_payment_intent_index" on "stripe_event" ("payment_intent_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "stripe_event_payment_intent_index";`);
    this.addSql(`alter table "stripe_event" drop column "payment_intent_id";`);
  }
}
