import { Migration20261122000000_initial } from './Migration20261122000000_initial.ts';
import { Migration20261122010000_license_domain } from './Migration20261122010000_license_domain.ts';
import { Migration20261122020000_outbox } from './Migration20261122020000_outbox.ts';
import { Migration20261122030000_hot_path } from './Migration20261122030000_hot_path.ts';
import { Migration20261123010000_signing_keys } from './Migration20261123010000_signing_keys.ts';
import { Migration20261123020000_message_delivery } from './Migration20261123020000_message_delivery.ts';
import { Migration20261123030000_stripe_events } from './Migration20261123030000_stripe_events.ts';
import { Migration20261124010000_one_time_checkout } from './Migration20261124010000_one_time_checkout.ts';
import { Migration20261124020000_stripe_event_payment_intent } from './Migration20261124020000_stripe_event_payment_intent.ts';
import { Migration20261125010000_staff_identity } from './Migration20261125010000_staff_identity.ts';
import { Migration20261126010000_console_search } from './Migration20261126010000_console_search.ts';
import { Migration20261125010000_provider_rate_budget } from './Migration20261125010000_provider_rate_budget.ts';
import { Migration20261207050000_retired_license_keys } from './Migration20261207050000_retired_license_keys.ts';
import { Migration20261207060000_customer_portal } from './Migration20261207060000_customer_portal.ts';
import { Migration20261207070000_usage_events } from './Migration20261207070000_usage_events.ts';
import { Migration20261207070100_abuse_alerts } from './Migration20261207070100_abuse_alerts.ts';
import { Migration20261207080000_reports } from './Migration20261207080000_reports.ts';
import { Migration20261207040000_bulk_operations } from './Migration20261207040000_bulk_operations.ts';

/** Every committed migration, in order. New migrations are appended here. */
export const migrations = [
  { name: 'Migration20261122000000_initial', class: Migration20261122000000_initial },
  { name: 'Migration20261122010000_license_domain', class: Migration20261122010000_license_domain },
  { name: 'Migration20261122020000_outbox', class: Migration20261122020000_outbox },
  { name: 'Migration20261122030000_hot_path', class: Migration20261122030000_hot_path },
  { name: 'Migration20261123010000_signing_keys', class: Migration20261123010000_signing_keys },
  { name: 'Migration20261123020000_message_delivery', class: Migration20261123020000_message_delivery },
  { name: 'Migration20261123030000_stripe_events', class: Migration20261123030000_stripe_events },
  { name: 'Migration20261124010000_one_time_checkout', class: Migration20261124010000_one_time_checkout },
  { name: 'Migration20261124020000_stripe_event_payment_intent', class: Migration20261124020000_stripe_event_payment_intent },
  { name: 'Migration20261125010000_staff_identity', class: Migration20261125010000_staff_identity },
  { name: 'Migration20261126010000_console_search', class: Migration20261126010000_console_search },
  { name: 'Migration20261125010000_provider_rate_budget', class: Migration20261125010000_provider_rate_budget },
  { name: 'Migration20261207050000_retired_license_keys', class: Migration20261207050000_retired_license_keys },
  { name: 'Migration20261207060000_customer_portal', class: Migration20261207060000_customer_portal },
  { name: 'Migration20261207070000_usage_events', class: Migration20261207070000_usage_events },
  { name: 'Migration20261207070100_abuse_alerts', class: Migration20261207070100_abuse_alerts },
  { name: 'Migration20261207080000_reports', class: Migration20261207080000_reports },
  { name: 'Migration20261207040000_bulk_operations', class: Migration20261207040000_bulk_operations },
];
