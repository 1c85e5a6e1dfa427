import type { Scope } from '../features/auth/session';

/** The console's sections, as the navigation and the command palette list them; `scope`: shown only to those who hold it. */
export const NAVIGATION: ReadonlyArray<{ to: string; label: string; description: string; scope?: Scope }> = [
  { to: '/search', label: 'Search', description: 'Find a license by e-mail, name, key, id or Stripe id' },
  { to: '/bulk', label: 'Bulk', description: 'Change many licenses at once, after a preview', scope: 'licenses:bulk' },
];
