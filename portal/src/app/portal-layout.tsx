import { Outlet } from 'react-router';
import styles from './portal-layout.module.css';

/** The portal's frame: the seller's product name and the page. */
export function PortalLayout() {
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <img src="/portal/favicon.svg" alt="" width={24} height={24} />
        <span className={styles.brand}>Your licenses</span>
      </header>
      <main id="main" className={styles.main}>
        <Outlet />
      </main>
    </div>
  );
}
