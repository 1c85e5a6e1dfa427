import { Navigate, Outlet, useLocation } from 'react-router';
import { Loading } from '@web/components';
import { useSession } from './session';
import styles from './auth.module.css';

/**
 * The signed-in part of the console. Without a session, sign-in first, then back here
 * (`return_to`): after an expiry the page comes back with what was typed in it.
 */
export function RequireSession() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') {
    return (
      <main className={styles.boot}>
        <Loading label="Checking your session…" lines={2} />
      </main>
    );
  }
  if (state.status === 'signed-out') {
    const returnTo = `${location.pathname}${location.search}`;
    const params = new URLSearchParams();
    if (state.reason !== 'signed-out' && returnTo !== '/' && returnTo !== '/search') params.set('return_to', returnTo);
    if (state.reason === 'expired') params.set('expired', '1');
    const query = params.toString();
    return <Navigate to={`/sign-in${query ? `?${query}` : ''}`} replace />;
  }
  return <Outlet />;
}
