import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { isApiError } from '@web/api/api-error';
import { api, data, SESSION_EXPIRED_EVENT, setCsrfToken, type Schemas } from '@web/api/client';
import { clearDrafts } from '@web/hooks/use-draft';

/**
 * The signed-in staff member, for the whole console. The session itself is an HttpOnly cookie
 * the console never sees; what it holds is what GET /v1/sessions/current tells: who, which
 * scopes (to show only the actions they may take), and the CSRF token every write sends.
 *
 * When any call answers 401 (the session expired, was revoked, or idled out), the state becomes
 * `signed-out` with reason `expired`: RequireSession takes the user to sign-in and back to the
 * same page afterwards, where forms restore what was typed (useDraft).
 */
export type SignedInSession = Schemas['SignedInSession'];
export type Scope = SignedInSession['scopes'][number];

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason: 'expired' | 'signed-out' | 'never' }
  | { status: 'signed-in'; session: SignedInSession };

interface SessionContextValue {
  state: SessionState;
  session: SignedInSession | null;
  /** After POST /v1/sessions (or a completed link): the console is signed in. */
  signedIn: (session: SignedInSession) => void;
  signOut: () => Promise<void>;
  /** Whether the member may do what `scope` allows (`admin` allows everything). */
  can: (scope: Scope) => boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const settled = useRef(false);

  useEffect(() => {
    let cancelled = false;
    // A sign-in that finishes while this first look is on its way wins over the look's answer.
    const settle = (next: SessionState) => {
      if (cancelled || settled.current) return;
      settled.current = true;
      setCsrfToken(next.status === 'signed-in' ? next.session.csrf_token : null);
      setState(next);
    };
    data(api.GET('/v1/sessions/current'))
      .then((session) => settle({ status: 'signed-in', session }))
      // No session yet is the usual start; anything else is shown by the sign-in page's own calls.
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
    (session: SignedInSession) => {
      settled.current = true;
      setCsrfToken(session.csrf_token);
      // Whatever was cached belonged to the previous session (perhaps someone else's).
      queryClient.clear();
      setState({ status: 'signed-in', session });
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await data(api.DELETE('/v1/sessions/current'));
    } catch {
      // Already gone on the server: signed out all the same.
    }
    settled.current = true;
    setCsrfToken(null);
    queryClient.clear();
    // Drafts stay for a session that expired, not for a deliberate sign-out on a shared machine.
    clearDrafts();
    setState({ status: 'signed-out', reason: 'signed-out' });
  }, [queryClient]);

  const value = useMemo<SessionContextValue>(() => {
    const session = state.status === 'signed-in' ? state.session : null;
    return {
      state,
      session,
      signedIn,
      signOut,
      can: (scope) => Boolean(session && (session.scopes.includes('admin' as Scope) || session.scopes.includes(scope))),
    };
  }, [state, signedIn, signOut]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
