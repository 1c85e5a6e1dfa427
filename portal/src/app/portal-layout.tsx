import { Outlet } from 'react-router';
import { Button } from '@web/components';
import { usePortalSession } from '../features/auth/session';
import styles from './portal-layout.module.css';

/** The portal's frame: its name, who is signed in and sign-out, and the page. */
export function PortalLayout() {
  const { state, signOut } = usePortalSession();
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <img src="/portal/favicon.svg" alt="" width={24} height={24} />
        <span className={styles.brand}>Your licenses</span>
        {state.status === 'signed-in' && (
          <div className={styles.account}>
            <span className={styles.email}>{state.session.customer.email}</span>
            <Button size="sm" variant="ghost" onClick={() => void signOut()}>
              Sign out
            </Button>
          </div>
        )}
      </header>
      <main id="main" className={styles.main}>
        <Outlet />
      </main>
    </div>
  );
}
