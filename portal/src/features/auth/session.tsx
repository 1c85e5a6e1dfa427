import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { api, data, type Schemas } from '@web/api/client';
import { useCookieSession, type CookieSessionState } from '@web/hooks/use-cookie-session';

/**
 * The signed-in customer, for the whole portal. The session is an HttpOnly cookie of its own
 * (`kw_customer_session`, never a staff session); what the portal holds is what
 * GET /v1/portal/session says: who, and the CSRF token every write sends. Any 401 signs the
 * portal out with reason `expired` (30 minutes idle), back to sign-in.
 */
export type PortalSession = Schemas['PortalSession'];

interface SessionContextValue {
  state: CookieSessionState<PortalSession>;
  signedIn: (session: PortalSession) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function usePortalSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('usePortalSession outside PortalSessionProvider');
  return value;
}

const calls = {
  look: () => data(api.GET('/v1/portal/session')),
  end: () => data(api.DELETE('/v1/portal/session')),
};

export function PortalSessionProvider({ children }: { children: ReactNode }) {
  const { state, signedIn, signOut } = useCookieSession<PortalSession>(calls);
  const value = useMemo(() => ({ state, signedIn, signOut }), [state, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
