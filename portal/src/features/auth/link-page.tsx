import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '@web/api/api-error';
import { api, data } from '@web/api/client';
import { Loading, Notice } from '@web/components';
import { takeReturnTo } from './return-to';
import { usePortalSession } from './session';
import styles from './auth.module.css';

/** The link's secret, from the URL's fragment (`#token=kwc_…`: browsers never send it to a server). */
const tokenFromHash = () => new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';

const REFUSALS: Record<string, string> = {
  LINK_ALREADY_USED: 'This sign-in link was already used, or a newer one replaced it. Each link signs you in once.',
  LINK_EXPIRED: 'This sign-in link has expired: links last 15 minutes.',
  LINK_INVALID: 'This is not a sign-in link we sent. Copy the whole link from the e-mail, or ask for a new one.',
};

/** Where the e-mailed link lands: it signs in once, then shows the customer's licenses. */
export function LinkPage() {
  const { signedIn } = usePortalSession();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<{ code: string; detail: string } | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // Once, even under StrictMode's double effects: a second POST would find the link used.
    if (started.current) return;
    started.current = true;
    const token = tokenFromHash();
    // The secret leaves the address bar (and the history) at once.
    window.history.replaceState(null, '', window.location.pathname);
    if (!token) {
      setFailure({ code: 'LINK_INVALID', detail: REFUSALS.LINK_INVALID! });
      return;
    }
    data(api.POST('/v1/portal/sessions', { body: { token } }))
      .then((session) => {
        signedIn(session);
        navigate(takeReturnTo() ?? '/licenses', { replace: true });
      })
      .catch((error: unknown) => {
        const code = isApiError(error) ? error.code : 'UNEXPECTED_ERROR';
        setFailure({ code, detail: REFUSALS[code] ?? (isApiError(error) ? error.detail : String(error)) });
      });
  }, [navigate, signedIn]);

  return (
    <div className={styles.card}>
      <h1 className={styles.title}>{failure ? 'This link cannot sign you in' : 'Signing you in…'}</h1>
      {!failure && <Loading label="Signing you in…" lines={2} />}
      {failure && (
        <>
          <Notice tone="danger">
            {failure.detail}
          </Notice>
          <Link to="/sign-in">Ask for a new sign-in link</Link>
        </>
      )}
    </div>
  );
}
