import { NavLink, Outlet } from 'react-router';
import styles from './operations.module.css';

/** The Operations section's pages, in the order the sub-navigation lists them. */
export const OPERATIONS_PAGES = [
  { to: '/operations/outbox', label: 'Outbox', description: 'Messages that failed or wait to be sent; retry them' },
  { to: '/operations/stripe-events', label: 'Stripe events', description: 'Stripe events that failed or were deferred; replay them' },
  { to: '/operations/staff', label: 'Staff', description: 'Staff members, roles, invitations and sessions' },
  { to: '/operations/api-tokens', label: 'API tokens', description: 'Tokens for automation: create, list, revoke' },
  { to: '/operations/signing-keys', label: 'Signing keys', description: 'The keys that sign answers and offline tokens: rotate, retire' },
] as const;

/**
 * The frame of the Operations pages: a second navigation between them (a row of links that
 * scrolls sideways within itself on a phone), then the page.
 */
export function OperationsLayout() {
  return (
    <div className={styles.section}>
      <nav aria-label="Operations" className={styles.subnav}>
        <ul>
          {OPERATIONS_PAGES.map((page) => (
            <li key={page.to}>
              <NavLink to={page.to} className={({ isActive }) => (isActive ? `${styles.subnavLink} ${styles.active}` : styles.subnavLink)}>
                {page.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
