import { useState } from 'react';
import { isApiError } from '@web/api/api-error';
import { Button, ConfirmDialog, CopyButton, Notice, Section } from '@web/components';
import { useQueryClient } from '@tanstack/react-query';
import { revealKey, rotateKey, type PortalLicenseDetail } from './api';
import styles from './licenses.module.css';

/**
 * The license key: shown on demand after a confirmation, copied with one click; and replaced
 * when it leaked (the old key stops at once, the new one is shown here and e-mailed).
 */
export function KeySection({ license }: { license: PortalLicenseDetail }) {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const [key, setKey] = useState<string | null>(null);
  const [replaced, setReplaced] = useState(false);

  const replace = async (reason: string) => {
    try {
      const rotated = await rotateKey(license.id, reason);
      setKey(rotated.key);
      setReplaced(true);
      await queryClient.invalidateQueries({ queryKey: ['portal', 'license', license.id] });
    } catch (error) {
      throw new Error(isApiError(error) ? error.detail : String(error));
    }
  };

  const confirm = async () => {
    try {
      setKey((await revealKey(license.id)).key);
    } catch (error) {
      throw new Error(isApiError(error) ? error.detail : String(error));
    }
  };

  return (
    <Section title="License key" id="key">
      {key ? (
        <div className={styles.key}>
          <code className={styles.keyValue} aria-label="Your license key">
            {key}
          </code>
          <CopyButton value={key} label="Copy key" />
          <Button size="sm" variant="ghost" onClick={() => setKey(null)}>
            Hide
          </Button>
        </div>
      ) : (
        <div className={styles.key}>
          <code className={styles.keyValue}>{license.key_hint}</code>
          <Button size="sm" onClick={() => setAsking(true)} disabled={!license.key_available}>
            Show key
          </Button>
        </div>
      )}
      {replaced && key && (
        <Notice announce>
          This is your new key; it was e-mailed to you too. The old key no longer works: enter the new one in the product on each machine.
        </Notice>
      )}
      {!license.key_available && <p className={styles.muted}>This key cannot be shown here. Contact the seller for a copy.</p>}
      <div>
        <Button size="sm" variant="danger" onClick={() => setReplacing(true)} disabled={license.status === 'REVOKED'}>
          Replace key
        </Button>
      </div>
      <ConfirmDialog
        open={replacing}
        onClose={() => setReplacing(false)}
        title="Replace your license key?"
        confirmLabel="Replace key"
        variant="danger"
        reason={{ label: 'What happened? (optional)', hint: 'For the seller, e.g. "the key was posted in a public chat".' }}
        onConfirm={replace}
      >
        <p>Do this if someone else may have your key. The current key stops working at once; your machines keep their seats but ask for the new key.</p>
      </ConfirmDialog>
      <ConfirmDialog open={asking} onClose={() => setAsking(false)} title="Show your license key?" confirmLabel="Show key" onConfirm={confirm}>
        <p>Anyone who sees the key can use your license. Make sure nobody is looking at your screen.</p>
      </ConfirmDialog>
    </Section>
  );
}
