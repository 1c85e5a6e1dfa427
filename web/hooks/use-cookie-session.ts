import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '../api/api-error';
import { SESSION_EXPIRED_EVENT, setCsrfToken } from '../api/client';

/** Where an app's session stands: still being looked up, signed out (and why), or signed in. */
export type CookieSessionState<S> =
  | { status: 'loading' }
  | { status: 'signed-out'; reason: 'expired' | 'signed-out' | 'never' }
  | { status: 'signed-in'; session: S };

export interface CookieSessionCalls<S> {
  /** The first look at the session the cookie holds (GET …/session). */
  look: () => Promise<S>;
  /** Ends it on the server (DELETE …/session); a failure still signs the app out. */
  end: () => Promise<unknown>;
  /** After a deliberate sign-out (the console clears its drafts). */
  afterSignOut?: () => void;
}

/**
 * The session an app holds in an HttpOnly cookie it never reads: what the server says of it
 * (who, and the CSRF token every write sends). Any 401 from a call that needs it (the client's
 * SESSION_EXPIRED_EVENT) signs the app out with reason `expired`.
 *
 * A sign-in that completes while the first look is still on its way wins over the look's
 * answer: the portal's link page signs in on its first render, and the look's 401, sent
 * before the cookie existed, must not send the customer back to sign-in.
 */
export function useCookieSession<S extends { csrf_token: string }>(calls: CookieSessionCalls<S>) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<CookieSessionState<S>>({ status: 'loading' });
  const settled = useRef(false);
  const callsRef = useRef(calls);

  useEffect(() => {
    let cancelled = false;
    const settle = (next: CookieSessionState<S>) => {
      if (cancelled || settled.current) return;
      settled.current = true;
      setCsrfToken(next.status === 'signed-in' ? next.session.csrf_token : null);
      setState(next);
    };
    callsRef.current
      .look()
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
    (session: S) => {
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
      await callsRef.current.end();
    } catch {
      // Already gone on the server: signed out all the same.
    }
    settled.current = true;
    setCsrfToken(null);
    queryClient.clear();
    callsRef.current.afterSignOut?.();
    setState({ status: 'signed-out', reason: 'signed-out' });
  }, [queryClient]);

  return { state, signedIn, signOut };
}
