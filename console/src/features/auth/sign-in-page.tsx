import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError, type ApiError } from '@web/api/api-error';
import { api, data } from '@web/api/client';
import { Button, ButtonAnchor, TextField } from '@web/components';
import { AuthLayout } from './auth-layout';
import { safeReturnTo } from './return-to';
import { useSession } from './session';
import styles from './auth.module.css';

const SSO_ERRORS: Record<string, string> = {
  SSO_NOT_ALLOWED: 'Your single sign-on account is not allowed into this console. Ask an owner which groups or domains are.',
  ACCOUNT_DISABLED: 'Your staff account is disabled. Ask an owner.',
};

/**
 * Signing in: e-mail and password, then (for members with two-factor on) the code from their
 * authenticator app or a recovery code; or single sign-on when it is configured. Every refusal
 * is shown by the field or the form it concerns.
 */
export function SignInPage() {
  const { state, signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('return_to'));
  const methods = useQuery({ queryKey: ['sign-in-methods'], queryFn: () => data(api.GET('/v1/sign-in-methods')) });

  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<'password' | 'second-factor'>('password');
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (step === 'second-factor') codeInput.current?.focus();
  }, [step, useRecovery]);

  if (state.status === 'signed-in') return <Navigate to={returnTo} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const secondFactor = step === 'second-factor' ? (useRecovery ? { recovery_code: code.trim() } : { totp_code: code.trim() }) : {};
      const session = await data(api.POST('/v1/sessions', { body: { email: email.trim(), password, ...secondFactor } }));
      signedIn(session);
      navigate(returnTo, { replace: true });
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      if (failure.code === 'TWO_FACTOR_REQUIRED') {
        setStep('second-factor');
        return;
      }
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const field = (name: string) => error?.fieldMessage(name) ?? null;
  const formError = error && !error.errors.length && error.code !== 'INVALID_TWO_FACTOR_CODE' ? error : null;
  const ssoError = params.get('sso_error');
  const oidc = methods.data?.oidc;

  return (
    <AuthLayout
      title={step === 'password' ? 'Sign in to the console' : 'Two-factor sign-in'}
      footer={
        <span>
          Staff sign-in for Keywarden. Customers sign in at <a href="/portal/">the portal</a>.
        </span>
      }
    >
      {params.get('expired') && (
        <p className={styles.warning} role="status">
          Your session ended. Sign in again to carry on where you were: what you had typed is kept.
        </p>
      )}
      {params.get('ready') && (
        <p className={styles.notice} role="status">
          Your password is set. Sign in with it.
        </p>
      )}
      {ssoError && (
        <p className={styles.error} role="alert">
          {SSO_ERRORS[ssoError] ?? `Single sign-on did not complete (${ssoError}). Try again, or sign in with your password.`}
        </p>
      )}
      {methods.data?.setup_required && (
        <p className={styles.notice}>
          Keywarden has no staff account yet. Open the one-time set-up link printed by <code>npm start</code> to create the first owner.
        </p>
      )}
      <form className={styles.form} onSubmit={submit} noValidate aria-describedby={formError ? 'sign-in-error' : undefined}>
        {step === 'password' ? (
          <>
            <TextField label="E-mail" type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={field('email')} autoFocus />
            <TextField label="Password" type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={field('password')} />
          </>
        ) : (
          <>
            <p>{useRecovery ? 'Enter one of your recovery codes. Each works once.' : `Enter the six-digit code from your authenticator app for ${email}.`}</p>
            <TextField
              ref={codeInput}
              label={useRecovery ? 'Recovery code' : 'Authentication code'}
              name={useRecovery ? 'recovery_code' : 'totp_code'}
              inputMode={useRecovery ? 'text' : 'numeric'}
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={error?.code === 'INVALID_TWO_FACTOR_CODE' ? 'That code is wrong, expired or already used. Try the current one.' : field(useRecovery ? 'recovery_code' : 'totp_code')}
            />
            <button
              type="button"
              className={styles.linkButton}
              onClick={() => {
                setUseRecovery(!useRecovery);
                setCode('');
                setError(null);
              }}
            >
              {useRecovery ? 'Use your authenticator app instead' : 'Use a recovery code instead'}
            </button>
          </>
        )}
        {formError && (
          <p id="sign-in-error" className={styles.error} role="alert">
            {formError.code === 'INVALID_CREDENTIALS' ? 'The e-mail or the password is wrong.' : formError.detail}
          </p>
        )}
        <div className={styles.row}>
          <Button type="submit" variant="primary" busy={busy}>
            {step === 'password' ? 'Sign in' : 'Verify'}
          </Button>
          {step === 'password' ? (
            <Link to={`/forgot-password${email ? `?email=${encodeURIComponent(email)}` : ''}`}>Forgot your password?</Link>
          ) : (
            <button
              type="button"
              className={styles.linkButton}
              onClick={() => {
                setStep('password');
                setCode('');
                setError(null);
              }}
            >
              Back
            </button>
          )}
        </div>
      </form>
      {oidc && step === 'password' && (
        <>
          <p className={styles.divider}>or</p>
          <ButtonAnchor className={styles.sso} href={`${oidc.start_url}?return_to=${encodeURIComponent(`/admin${returnTo}`)}`}>
            Sign in with single sign-on
          </ButtonAnchor>
        </>
      )}
    </AuthLayout>
  );
}
