import { useState } from 'react';
import { isApiError } from '@web/api/api-error';
import { Button, Notice } from '@web/components';
import { openRenewal, type PortalLicenseDetail } from './api';
import styles from './licenses.module.css';

/**
 * "Manage billing" (a Stripe-sold license: Stripe's billing portal) or "Renew" (the seller's
 * renewal page); otherwise a sentence: contact the seller.
 */
export function RenewButton({ license, variant = 'secondary' }: { license: PortalLicenseDetail; variant?: 'primary' | 'secondary' }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (license.renewal === 'CONTACT_SELLER') return <p className={styles.muted}>To renew or change this license, contact the seller.</p>;
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      window.location.assign((await openRenewal(license.id)).url);
    } catch (failure) {
      setError(isApiError(failure) ? failure.detail : String(failure));
      setBusy(false);
    }
  };
  return (
    <div className={styles.form}>
      <div>
        <Button variant={variant} onClick={open} busy={busy}>
          {license.renewal === 'STRIPE_BILLING_PORTAL' ? 'Renew or manage billing' : 'Renew'}
        </Button>
      </div>
      {error && (
        <Notice tone="danger">
          {error}
        </Notice>
      )}
    </div>
  );
}
