import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { isApiError, type ApiError } from '@web/api/api-error';
import { api, data } from '@web/api/client';
import { Button, ErrorState, Loading, Notice, TextField } from '@web/components';
import { rememberReturnTo, safeReturnTo } from './return-to';
import { usePortalSession } from './session';
import styles from './auth.module.css';

/**
 * Signing in: the customer types the e-mail address they bought with, and a one-time link is
 * e-mailed to them. The page says the same thing whether or not the address has licenses.
 */
export function SignInPage() {
  const { state } = usePortalSession();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('return_to'));
  const methods = useQuery({ queryKey: ['portal-sign-in-methods'], queryFn: () => data(api.GET('/v1/portal/sign-in-methods')) });
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  if (state.status === 'signed-in') return <Navigate to={returnTo ?? '/licenses'} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      rememberReturnTo(returnTo);
      const answer = await data(api.POST('/v1/portal/sign-in-links', { body: { email } }));
      setSent(answer.detail);
    } catch (failure) {
      if (isApiError(failure)) setError(failure);
      else throw failure;
    } finally {
      setBusy(false);
    }
  };

  const fieldError = error?.fieldMessage('email') ?? null;
  return (
    <div className={styles.card}>
      <h1 className={styles.title}>Sign in to see your licenses</h1>
      {params.get('expired') && !sent && <Notice tone="warning">Your session ended after 30 minutes without use. Sign in again to carry on.</Notice>}
      {methods.isPending && <Loading label="Loading…" lines={2} />}
      {methods.isError && <ErrorState error={methods.error} onRetry={() => void methods.refetch()} compact />}
      {methods.data && !methods.data.email_link && (
        <Notice tone="warning" announce>
          Sign-in by e-mail is not available: this seller has not set up e-mail. Contact the seller for your key or for changes to your license.
        </Notice>
      )}
      {methods.data?.email_link && sent && (
        <div className={styles.form}>
          <Notice announce>
            {sent}
          </Notice>
          <p className={styles.muted}>The link works once, for 15 minutes. Didn’t get it? Check your spam folder, or ask again.</p>
          <Button onClick={() => setSent(null)}>Use another address</Button>
        </div>
      )}
      {methods.data?.email_link && !sent && (
        <form className={styles.form} onSubmit={submit} noValidate>
          <p className={styles.muted}>We will e-mail you a link that signs you in. No password needed.</p>
          <TextField
            label="E-mail address"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={fieldError}
            hint="The address you bought with."
          />
          {error && !fieldError && (
            <Notice tone="danger">
              {error.detail}
            </Notice>
          )}
          <Button type="submit" variant="primary" busy={busy}>
            E-mail me a sign-in link
          </Button>
        </form>
      )}
    </div>
  );
}
