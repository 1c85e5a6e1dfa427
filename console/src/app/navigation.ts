import type { Scope } from '../features/auth/session';

/** The console's sections, as the navigation and the command palette list them; `scope`: shown only to those who hold it. */
export const NAVIGATION: ReadonlyArray<{ to: string; label: string; description: string; scope?: Scope }> = [
  { to: '/search', label: 'Search', description: 'Find a license by e-mail, name, key, id or Stripe id' },
  { to: '/bulk', label: 'Bulk', description: 'Change many licenses at once, after a preview', scope: 'licenses:bulk' },
  { to: '/catalog', label: 'Catalog', description: 'Products and plans: the policy their licenses follow' },
  { to: '/operations', label: 'Operations', description: 'Outbox, Stripe events, staff, API tokens, signing keys' },
  { to: '/abuse-alerts', label: 'Abuse alerts', description: 'Key sharing, resale and trial cycling found in the usage events' },
  { to: '/reports', label: 'Reports', description: 'Utilization, seat trend, renewals, revenue leakage, licensing metrics' },
];

/** The Operations section's pages, in the order its sub-navigation lists them (the palette lists them too). */
export const OPERATIONS_PAGES: ReadonlyArray<{ to: string; label: string; description: string }> = [
  { to: '/operations/outbox', label: 'Outbox', description: 'Messages that failed or wait to be sent; retry them' },
  { to: '/operations/stripe-events', label: 'Stripe events', description: 'Stripe events that failed or were deferred; replay them' },
  { to: '/operations/staff', label: 'Staff', description: 'Staff members, roles, invitations and sessions' },
  { to: '/operations/api-tokens', label: 'API tokens', description: 'Tokens for automation: create, list, revoke' },
  { to: '/operations/signing-keys', label: 'Signing keys', description: 'The keys that sign answers and offline tokens: rotate, retire' },
];
