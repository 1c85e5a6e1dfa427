import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError, type ApiError } from '@web/api/api-error';
import { api, data } from '@web/api/client';
import { Button, ErrorState, Loading, TextField, Time } from '@web/components';
import { AuthLayout } from './auth-layout';
import styles from './auth.module.css';

/** The link's secret, from the URL's fragment (`#token=kwl_…`: never sent to any server by the browser). */
function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

const TITLES = { SETUP: 'Set up Keywarden', INVITATION: 'Join the Keywarden console', PASSWORD_RESET: 'Choose a new password' } as const;

/**
 * The one-time links staff receive: the first owner's set-up link, an invitation, a password
 * reset. The link is inspected first (whose it is, until when); redeeming it sets the password
 * (and, for set-up, the owner's e-mail and name). Then: sign in.
 */
export function StaffLinkPage() {
  const navigate = useNavigate();
  const [token] = useState(tokenFromHash);
  const link = useQuery({
    queryKey: ['staff-link', token],
    queryFn: () => data(api.POST('/v1/staff-links/inspect', { body: { token } })),
    enabled: Boolean(token),
    retry: false,
  });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [mismatch, setMismatch] = useState(false);

  if (!token) {
    return (
      <AuthLayout title="This link is incomplete" footer={<Link to="/sign-in">Go to sign-in</Link>}>
        <p>Open the whole link from your e-mail (or the server's banner): it ends with <code>#token=…</code>.</p>
      </AuthLayout>
    );
  }
  if (link.isPending) {
    return (
      <AuthLayout title="Checking your link">
        <Loading label="Checking your link…" lines={2} />
      </AuthLayout>
    );
  }
  if (link.isError) {
    const code = isApiError(link.error) ? link.error.code : '';
    const title = code === 'LINK_EXPIRED' ? 'This link has expired' : code === 'LINK_ALREADY_USED' ? 'This link was already used' : 'This link does not work';
    return (
      <AuthLayout title={title} footer={<Link to="/sign-in">Go to sign-in</Link>}>
        <ErrorState compact title="Ask an owner for a new link." error={link.error} />
      </AuthLayout>
    );
  }

  const { purpose } = link.data;
  const setup = purpose === 'SETUP';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    setBusy(true);
    setError(null);
    try {
      const redeemed = await data(api.POST('/v1/staff-links/redeem', { body: { token, password, ...(setup ? { email: email.trim(), name: name.trim() } : {}) } }));
      navigate(`/sign-in?email=${encodeURIComponent(redeemed.staff.email)}&ready=1`, { replace: true });
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const passwordError = error?.code === 'WEAK_PASSWORD' ? error.detail : (error?.fieldMessage('password') ?? null);

  return (
    <AuthLayout title={TITLES[purpose]} footer={<Link to="/sign-in">Back to sign-in</Link>}>
      <p>
        {setup
          ? 'Create the first owner of this Keywarden: the account that invites everyone else.'
          : `For ${link.data.name ?? link.data.email}: choose the password you will sign in with.`}{' '}
        This link works once, until <Time value={link.data.expires_at} />.
      </p>
      <form className={styles.form} onSubmit={submit} noValidate>
        {setup && (
          <>
            <TextField label="Your e-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={error?.fieldMessage('email') ?? null} />
            <TextField label="Your name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} error={error?.fieldMessage('name') ?? null} />
          </>
        )}
        {!setup && <input type="email" autoComplete="username" value={link.data.email ?? ''} readOnly hidden />}
        <TextField label="New password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} hint="At least 12 characters; not a common password." error={passwordError} />
        <TextField label="Repeat the password" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} error={mismatch ? 'The two passwords differ.' : null} />
        {error && !error.errors.length && error.code !== 'WEAK_PASSWORD' && (
          <p className={styles.error} role="alert">
            {error.detail}
          </p>
        )}
        <Button type="submit" variant="primary" busy={busy}>
          {setup ? 'Create the owner account' : 'Set the password'}
        </Button>
      </form>
    </AuthLayout>
  );
}
