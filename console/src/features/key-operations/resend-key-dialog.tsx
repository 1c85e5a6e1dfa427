import { ConfirmDialog, useToast } from '@web/components';
import type { LicenseDetail } from '../accounts/api';
import { useResendKey } from './api';
import { failureText } from './failure';

/** Sends the license's current key to its customer again (the key e-mail), audited. */
export function ResendKeyDialog({ license, open, onClose }: { license: LicenseDetail; open: boolean; onClose: () => void }) {
  const resend = useResendKey(license.id);
  const toast = useToast();

  const confirm = async (reason: string) => {
    try {
      const sent = await resend.mutateAsync(reason ? { reason } : {});
      toast(sent.email.status === 'queued' ? `Key e-mail queued for ${sent.recipient}` : `The key e-mail was not queued: ${sent.email.reason}`, sent.email.status === 'queued' ? 'success' : 'error');
    } catch (failure) {
      throw failureText(failure);
    }
  };

  return (
    <ConfirmDialog open={open} onClose={onClose} title="Send the key again" confirmLabel="Send key" reason={{ label: 'Reason (optional)', hint: 'Kept in the audit trail.' }} onConfirm={confirm}>
      <p>
        The current key <code>{license.key_hint}</code> is e-mailed to <strong>{license.customer_email}</strong>. Nothing else changes.
      </p>
    </ConfirmDialog>
  );
}
