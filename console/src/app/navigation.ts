/** The console's sections, as the navigation and the command palette list them. */
export const NAVIGATION = [
  { to: '/search', label: 'Search', description: 'Find a license by e-mail, name, key, id or Stripe id' },
  { to: '/reports', label: 'Reports', description: 'Utilization, seat trend, renewals, revenue leakage, licensing metrics' },
] as const;
