import { NavLink, Outlet } from 'react-router';
import { OPERATIONS_PAGES } from '../../app/navigation';
import styles from './operations.module.css';

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
