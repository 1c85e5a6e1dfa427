import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { api, data, type Schemas } from '@web/api/client';
import { useCookieSession, type CookieSessionState } from '@web/hooks/use-cookie-session';
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

type SessionState = CookieSessionState<SignedInSession>;

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

const calls = {
  look: () => data(api.GET('/v1/sessions/current')),
  end: () => data(api.DELETE('/v1/sessions/current')),
  // Drafts stay for a session that expired, not for a deliberate sign-out on a shared machine.
  afterSignOut: clearDrafts,
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const { state, signedIn, signOut } = useCookieSession<SignedInSession>(calls);

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
