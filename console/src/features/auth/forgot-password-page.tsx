import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isApiError, type ApiError } from '@web/api/api-error';
import { api, data } from '@web/api/client';
import { Button, TextField } from '@web/components';
import { AuthLayout } from './auth-layout';
import styles from './auth.module.css';

/**
 * A forgotten password: the API e-mails a one-time reset link (valid one hour), and answers the
 * same whether or not the e-mail belongs to anyone. Without an e-mail provider, an owner copies
 * the link from the staff page.
 */
export function ForgotPasswordPage() {
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await data(api.POST('/v1/password-resets', { body: { email: email.trim() } }));
      setSent(answer.detail);
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Reset your password" footer={<Link to="/sign-in">Back to sign-in</Link>}>
      {sent ? (
        <p className={styles.notice} role="status">
          {sent} If none arrives, ask an owner for a reset link from the staff page.
        </p>
      ) : (
        <form className={styles.form} onSubmit={submit} noValidate>
          <p>Enter the e-mail you sign in with. We will send a link to choose a new password.</p>
          <TextField label="E-mail" type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={error?.fieldMessage('email') ?? null} autoFocus />
          {error && !error.errors.length && (
            <p className={styles.error} role="alert">
              {error.detail}
            </p>
          )}
          <Button type="submit" variant="primary" busy={busy}>
            Send the reset link
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
