import { Migration20261122000000_initial } from './Migration20261122000000_initial.ts';
import { Migration20261122010000_license_domain } from './Migration20261122010000_license_domain.ts';

/** Every committed migration, in order. New migrations are appended here. */
export const migrations = [
  { name: 'Migration20261122000000_initial', class: Migration20261122000000_initial },
  { name: 'Migration20261122010000_license_domain', class: Migration20261122010000_license_domain },
];
