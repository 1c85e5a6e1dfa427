import { useState } from 'react';
import { isApiError } from '@web/api/api-error';
import { Button, ConfirmDialog, CopyButton, Section } from '@web/components';
import { revealKey, type PortalLicenseDetail } from './api';
import styles from './licenses.module.css';

/** The license key: shown on demand after a confirmation, copied with one click. */
export function KeySection({ license }: { license: PortalLicenseDetail }) {
  const [asking, setAsking] = useState(false);
  const [key, setKey] = useState<string | null>(null);

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
      {!license.key_available && <p className={styles.muted}>This key cannot be shown here. Contact the seller for a copy.</p>}
      <ConfirmDialog open={asking} onClose={() => setAsking(false)} title="Show your license key?" confirmLabel="Show key" onConfirm={confirm}>
        <p>Anyone who sees the key can use your license. Make sure nobody is looking at your screen.</p>
      </ConfirmDialog>
    </Section>
  );
}
