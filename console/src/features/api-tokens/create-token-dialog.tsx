import { useEffect, useId, useState, type FormEvent } from 'react';
import { Checkbox, DateField, Dialog, Select, TextField } from '@web/components';
import { isApiError } from '@web/api/api-error';
import { useSession } from '../auth/session';
import { FormDialogFooter } from '../operations/form-dialog-footer';
import { ShownOnce } from '../operations/shown-once';
import { SCOPE_WORDS, SCOPES, useCreateApiToken, type Scope } from './api';
import styles from '../operations/operations.module.css';

/** The end of a chosen day in the viewer's own time zone, as the API's ISO timestamp. */
const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();

/**
 * Create a token: its name, whose it is (yours, or a named service's), the scopes it carries
 * (only those you hold are offered: the API refuses more), and an optional expiry. The token is
 * shown once, with a copy button.
 */
export function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { session } = useSession();
  const held = session?.scopes ?? [];
  const offered = held.includes('admin') ? SCOPES : SCOPES.filter((scope) => held.includes(scope));
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [owner, setOwner] = useState<'me' | 'service'>('me');
  const [service, setService] = useState('');
  const [scopes, setScopes] = useState<Set<Scope>>(new Set(['licenses:read']));
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formId = useId();

  useEffect(() => {
    if (!open) return;
    create.reset();
    setName('');
    setOwner('me');
    setService('');
    setScopes(new Set(['licenses:read']));
    setExpires('');
    setErrors({});
  }, [open]);

  const toggle = (scope: Scope) =>
    setScopes((current) => {
      const next = new Set(current);
      if (!next.delete(scope)) next.add(scope);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (scopes.size === 0) return setErrors({ scopes: 'Choose at least one scope.' });
    setErrors({});
    try {
      await create.mutateAsync({
        name: name.trim(),
        scopes: [...scopes],
        ...(expires ? { expires_at: endOfDay(expires) } : {}),
        ...(owner === 'service' ? { service: service.trim() } : {}),
      });
    } catch (error) {
      if (isApiError(error) && error.errors.length) setErrors(Object.fromEntries(error.errors.map((item) => [item.field.split('.')[0]!, item.message])));
      else setErrors({ name: isApiError(error) ? `${error.detail}` : String(error) });
    }
  };

  const created = create.data;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      variant="wide"
      title={created ? `Token “${created.name}” created` : 'Create an API token'}
      description={created ? undefined : 'For automation: scripts, CI, monitoring. It acts with the scopes you give it, never more than you hold.'}
      footer={<FormDialogFooter done={Boolean(created)} onClose={onClose} formId={formId} busy={create.isPending} submitLabel="Create the token" />}
    >
      {created ? (
        <ShownOnce label="API token" value={created.token}>
          Copy it now and keep it in your secret store: Keywarden keeps only its hash and never shows it again. Send it as <code>Authorization: Bearer …</code>.
        </ShownOnce>
      ) : (
        <form id={formId} className={styles.form} onSubmit={submit} noValidate>
          <TextField label="Name" hint="What uses it: “ci-deploy”, “grafana”." value={name} onChange={(event) => setName(event.target.value)} error={errors.name} required autoComplete="off" />
          <Select label="Belongs to" value={owner} onChange={(event) => setOwner(event.target.value as 'me' | 'service')} hint={owner === 'me' ? 'It stops working if your account is disabled, and never holds more than your role.' : 'A service token outlives any one member.'}>
            <option value="me">Me ({session?.staff.name})</option>
            <option value="service">A named service</option>
          </Select>
          {owner === 'service' && <TextField label="Service" hint="e.g. ci, prometheus" value={service} onChange={(event) => setService(event.target.value)} error={errors.service} required autoComplete="off" />}
          <fieldset className={styles.checkboxGrid} aria-describedby={errors.scopes ? `${formId}-scopes-error` : undefined}>
            <legend>Scopes</legend>
            {offered.map((scope) => (
              <Checkbox key={scope} label={scope} hint={SCOPE_WORDS[scope]} checked={scopes.has(scope)} onChange={() => toggle(scope)} />
            ))}
          </fieldset>
          {errors.scopes && (
            <p id={`${formId}-scopes-error`} role="alert" className={styles.errorText}>
              {errors.scopes}
            </p>
          )}
          <DateField label="Expires (optional)" hint="At the end of that day, your time. Leave empty for no expiry." value={expires} onChange={(event) => setExpires(event.target.value)} error={errors.expires_at} />
        </form>
      )}
    </Dialog>
  );
}
