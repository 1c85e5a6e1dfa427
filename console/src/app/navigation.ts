/** The console's sections, as the navigation and the command palette list them. */
export const NAVIGATION = [
  { to: '/search', label: 'Search', description: 'Find a license by e-mail, name, key, id or Stripe id' },
  { to: '/abuse-alerts', label: 'Abuse alerts', description: 'Key sharing, resale and trial cycling found in the usage events' },
] as const;
