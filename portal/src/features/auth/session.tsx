import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { isApiError } from '@web/api/api-error';
import { api, data, SESSION_EXPIRED_EVENT, setCsrfToken, type Schemas } from '@web/api/client';

/**
 * The signed-in customer, for the whole portal. The session is an HttpOnly cookie of its own
 * (`kw_customer_session`, never a staff session); what the portal holds is what
 * GET /v1/portal/session says: who, and the CSRF token every write sends. Any 401 signs the
 * portal out with reason `expired` (30 minutes idle), back to sign-in.
 */
export type PortalSession = Schemas['PortalSession'];

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason: 'expired' | 'signed-out' | 'never' }
  | { status: 'signed-in'; session: PortalSession };

interface SessionContextValue {
  state: SessionState;
  signedIn: (session: PortalSession) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function usePortalSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('usePortalSession outside PortalSessionProvider');
  return value;
}

export function PortalSessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const settled = useRef(false);

  useEffect(() => {
    let cancelled = false;
    // The link page signs in on its first render, while this first look is still on its way:
    // its answer (a 401 sent before the cookie existed) counts only if nothing has settled since.
    const settle = (next: SessionState) => {
      if (cancelled || settled.current) return;
      settled.current = true;
      setCsrfToken(next.status === 'signed-in' ? next.session.csrf_token : null);
      setState(next);
    };
    data(api.GET('/v1/portal/session'))
      .then((session) => settle({ status: 'signed-in', session }))
      .catch((error: unknown) =>
        settle({ status: 'signed-out', reason: isApiError(error) && error.code === 'SESSION_EXPIRED' ? 'expired' : 'never' }),
      );
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    const expired = () => {
      setCsrfToken(null);
      setState((current) => (current.status === 'signed-in' ? { status: 'signed-out', reason: 'expired' } : current));
    };
    window.addEventListener(SESSION_EXPIRED_EVENT, expired);
    return () => window.removeEventListener(SESSION_EXPIRED_EVENT, expired);
  }, []);

  const signedIn = useCallback(
    (session: PortalSession) => {
      settled.current = true;
      setCsrfToken(session.csrf_token);
      queryClient.clear();
      setState({ status: 'signed-in', session });
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await data(api.DELETE('/v1/portal/session'));
    } catch {
      // Already ended on the server: signed out all the same.
    }
    settled.current = true;
    setCsrfToken(null);
    queryClient.clear();
    setState({ status: 'signed-out', reason: 'signed-out' });
  }, [queryClient]);

  const value = useMemo(() => ({ state, signedIn, signOut }), [state, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
