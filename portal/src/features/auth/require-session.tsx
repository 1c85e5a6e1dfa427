import { Navigate, Outlet, useLocation } from 'react-router';
import { Loading } from '@web/components';
import { usePortalSession } from './session';

/** The signed-in part of the portal: without a session, sign-in first, then back here. */
export function RequireSession() {
  const { state } = usePortalSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading label="Checking your session…" lines={2} />;
  if (state.status === 'signed-out') {
    const params = new URLSearchParams();
    const returnTo = `${location.pathname}${location.search}`;
    if (returnTo !== '/' && state.reason !== 'signed-out') params.set('return_to', returnTo);
    if (state.reason === 'expired') params.set('expired', '1');
    const query = params.toString();
    return <Navigate to={`/sign-in${query ? `?${query}` : ''}`} replace />;
  }
  return <Outlet />;
}
