import { useState } from 'react';
import { Button, Section } from '@web/components';
import { useSession } from '../auth/session';
import type { LicenseDetail } from '../accounts/api';
import { ResendKeyDialog } from './resend-key-dialog';
import { ResetSeatsDialog } from './reset-seats-dialog';
import { RotateKeyDialog } from './rotate-key-dialog';
import styles from './key-operations.module.css';

type Operation = 'rotate' | 'resend' | 'reset';

/**
 * The license's key and seat operations, each behind its own confirmation: rotate a leaked key,
 * send the key again, reset every seat. Only the buttons the member's role allows are shown; a
 * revoked license offers no key operation (its key no longer works), and one without a customer
 * e-mail no resend.
 */
export function KeyOperations({ license }: { license: LicenseDetail }) {
  const { can } = useSession();
  const [open, setOpen] = useState<Operation | null>(null);
  const close = () => setOpen(null);
  const revoked = license.status === 'REVOKED';
  const buttons = [
    { id: 'rotate' as const, label: 'Rotate key', allowed: can('keys:rotate') && !revoked },
    // Without a customer e-mail there is nobody to send it to (the API would refuse: KEY_EMAIL_UNAVAILABLE).
    { id: 'resend' as const, label: 'Send key again', allowed: can('keys:send') && !revoked && Boolean(license.customer_email) },
    { id: 'reset' as const, label: 'Reset seats', allowed: can('seats:write') },
  ].filter((button) => button.allowed);
  if (!buttons.length) return null;

  return (
    <Section id="key-operations" title="Key and seats">
      <div className={styles.buttons} role="group" aria-label="Key and seat operations">
        {buttons.map((button) => (
          <Button key={button.id} size="sm" onClick={() => setOpen(button.id)}>
            {button.label}
          </Button>
        ))}
      </div>
      <RotateKeyDialog license={license} open={open === 'rotate'} onClose={close} />
      <ResendKeyDialog license={license} open={open === 'resend'} onClose={close} />
      <ResetSeatsDialog license={license} open={open === 'reset'} onClose={close} />
    </Section>
  );
}
