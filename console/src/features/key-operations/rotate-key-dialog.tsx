import { useEffect, useState } from 'react';
import { Checkbox, ConfirmDialog, CopyButton, Dialog, Button, Select, Time } from '@web/components';
import type { LicenseDetail } from '../accounts/api';
import { useRotateKey, type RotatedKey } from './api';
import { failureText, OVERLAPS } from './failure';
import styles from './key-operations.module.css';

/**
 * Replaces a leaked key: the confirmation says what changes (the old key stops, now or after
 * the chosen overlap; seats stay; the new key is e-mailed) and asks why; the result shows the
 * new key once, to copy.
 */
export function RotateKeyDialog({ license, open, onClose }: { license: LicenseDetail; open: boolean; onClose: () => void }) {
  const rotate = useRotateKey(license.id);
  const [overlap, setOverlap] = useState(0);
  const [notify, setNotify] = useState(true);
  const [rotated, setRotated] = useState<RotatedKey | null>(null);
  const recipient = license.customer_email;
  // Each rotation starts from the safe choices: no overlap, the customer e-mailed.
  useEffect(() => {
    if (open) {
      setOverlap(0);
      setNotify(true);
    }
  }, [open]);

  const confirm = async (reason: string) => {
    try {
      setRotated(await rotate.mutateAsync({ reason, overlap_seconds: overlap, notify: notify && Boolean(recipient) }));
    } catch (failure) {
      throw failureText(failure);
    }
  };

  return (
    <>
      <ConfirmDialog open={open} onClose={onClose} title="Rotate the license key" confirmLabel="Rotate key" variant="danger" reason={{ label: 'Reason', hint: 'Kept in the audit trail, e.g. “key posted on a forum”.', required: true }} onConfirm={confirm}>
        <p>
          The key <code>{license.key_hint}</code> is replaced by a new one. {overlap === 0 ? 'The old key stops working at once' : 'Both keys work until the overlap ends; then the old key stops'}, and software using it is told <code>KEY_ROTATED</code>.
        </p>
        <p>The license, its {license.current_activations === 1 ? 'activation' : `${license.current_activations} activations`}, status and dates stay as they are.</p>
        <Select label="Overlap" hint="How long the old key keeps working beside the new one." value={String(overlap)} onChange={(event) => setOverlap(Number(event.target.value))}>
          {OVERLAPS.map((option) => (
            <option key={option.seconds} value={option.seconds}>
              {option.label}
            </option>
          ))}
        </Select>
        {recipient ? (
          <Checkbox label={`E-mail the new key to ${recipient}`} checked={notify} onChange={(event) => setNotify(event.target.checked)} />
        ) : (
          <p className="muted">This license has no customer e-mail: copy the new key from the next screen.</p>
        )}
      </ConfirmDialog>
      <Dialog
        open={rotated !== null}
        onClose={() => setRotated(null)}
        title="The key was rotated"
        description="Shown this once: copy it now if the customer needs it from you."
        footer={
          <Button variant="primary" onClick={() => setRotated(null)}>
            Done
          </Button>
        }
      >
        {rotated && (
          <div className={styles.result}>
            <p className={styles.newKey}>
              <code aria-label="New license key">{rotated.key}</code> <CopyButton value={rotated.key} label="Copy key" />
            </p>
            <p>
              The old key <code>{rotated.rotation.previous_key_hint}</code>{' '}
              {rotated.rotation.overlap_seconds === 0 ? 'no longer works.' : <>works until <Time value={rotated.rotation.previous_key_works_until} />.</>}
            </p>
            <p>{rotated.rotation.email.status === 'queued' ? `The new key is on its way to ${recipient}.` : 'The new key was not e-mailed.'}</p>
          </div>
        )}
      </Dialog>
    </>
  );
}
