import { useEffect, useId, useState, type FormEvent } from 'react';
import { Dialog, Select, TextField, Time } from '@web/components';
import { isApiError } from '@web/api/api-error';
import { FormDialogFooter } from '../operations/form-dialog-footer';
import { ShownOnce } from '../operations/shown-once';
import { ROLES, useInviteStaff, type Role, type StaffLinkSent } from './api';
import styles from '../operations/operations.module.css';

/** What became of a one-time link: e-mailed, or here to hand over (shown once). */
export function LinkOutcome({ link, email }: { link: StaffLinkSent; email: string }) {
  if (link.link) {
    return (
      <ShownOnce label="One-time link" value={link.link}>
        {link.delivery === 'FAILED' ? `E-mailing it failed (${link.delivery_detail ?? 'the provider refused'}), so hand it over yourself` : 'No e-mail provider is configured, so hand it over yourself'}: it works once,
        until <Time value={link.expires_at} />, and is not shown again.
      </ShownOnce>
    );
  }
  return <p role="status">The link was e-mailed to {email}; it works once, for an hour.</p>;
}

/** Invite a member: e-mail, name, role; the answer says how the link reached them. */
export function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const invite = useInviteStaff();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formId = useId();

  useEffect(() => {
    if (!open) return;
    invite.reset();
    setEmail('');
    setName('');
    setRole('support');
    setErrors({});
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    try {
      await invite.mutateAsync({ email: email.trim(), name: name.trim(), role });
    } catch (error) {
      if (isApiError(error) && error.errors.length) setErrors(Object.fromEntries(error.errors.map((item) => [item.field, item.message])));
      else setErrors({ email: isApiError(error) ? error.detail : String(error) });
    }
  };

  const done = invite.data;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={done ? `${done.name} is invited` : 'Invite a staff member'}
      description={done ? undefined : 'They get a one-time link (valid for an hour) to set their password.'}
      footer={<FormDialogFooter done={Boolean(done)} onClose={onClose} formId={formId} busy={invite.isPending} submitLabel="Send the invitation" />}
    >
      {done ? (
        <LinkOutcome link={done.invitation} email={done.email} />
      ) : (
        <form id={formId} className={styles.form} onSubmit={submit} noValidate>
          <TextField label="E-mail" type="email" autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} error={errors.email} required />
          <TextField label="Name" autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} error={errors.name} required />
          <Select label="Role" value={role} onChange={(event) => setRole(event.target.value as Role)} error={errors.role} hint={ROLES.find((item) => item.value === role)?.description}>
            {ROLES.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </Select>
        </form>
      )}
    </Dialog>
  );
}
