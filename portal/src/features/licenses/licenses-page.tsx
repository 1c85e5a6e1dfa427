import { Link } from 'react-router';
import { Badge, EmptyState, ErrorState, Loading, PageHeader, Time } from '@web/components';
import { plural } from '@web/lib/format';
import { useLicenses, type PortalLicense } from './api';
import { LicenseStatus } from './status';
import styles from './licenses.module.css';

/** Seats as a customer reads them: `2 of 5 seats used`, or `2 seats used (no limit)`. */
export const seatsText = (license: Pick<PortalLicense, 'seats_used' | 'seat_limit'>) =>
  license.seat_limit === null ? `${plural(license.seats_used, 'seat')} used (no limit)` : `${license.seats_used} of ${plural(license.seat_limit, 'seat')} used`;

/** `Renews on` for a subscription, `Ends on` otherwise, `Trial ends on` for a trial. */
export function EndDate({ license }: { license: PortalLicense }) {
  if (license.status === 'TRIALING' && license.trial_ends_at) return <>Trial ends <Time value={license.trial_ends_at} dateOnly /></>;
  if (!license.expires_at) return <>Never expires</>;
  const verb = license.status === 'EXPIRED' || license.status === 'REVOKED' ? 'Ended' : license.renews_automatically ? 'Renews' : 'Ends';
  return (
    <>
      {verb} <Time value={license.expires_at} dateOnly />
    </>
  );
}

export function Features({ features }: { features: PortalLicense['features'] }) {
  const entries = Object.entries(features);
  if (!entries.length) return <span className={styles.muted}>No extra features</span>;
  return (
    <ul className={styles.features} aria-label="Features">
      {entries.map(([name, value]) => (
        <li key={name}>
          <Badge>{value === true ? name : value === false ? `${name}: off` : `${name}: ${value}`}</Badge>
        </li>
      ))}
    </ul>
  );
}

/** The customer's licenses, newest first: one card each. */
export function LicensesPage() {
  const licenses = useLicenses();
  return (
    <div className={styles.page}>
      <PageHeader title="Your licenses" description="Open a license to see its machines, show its key, download a license file or renew it." />
      {licenses.isPending && <Loading label="Loading your licenses…" />}
      {licenses.isError && <ErrorState error={licenses.error} onRetry={() => void licenses.refetch()} />}
      {licenses.data && licenses.data.data.length === 0 && (
        <EmptyState title="No licenses for this e-mail address">If you bought with another address, sign out and sign in with that one.</EmptyState>
      )}
      {licenses.data && licenses.data.data.length > 0 && (
        <ul className={styles.list}>
          {licenses.data.data.map((license) => (
            <li key={license.id} className={styles.card}>
              <div className={styles.cardHeader}>
                <h2 className={styles.cardTitle}>
                  <Link to={`/licenses/${license.id}`}>
                    {license.product} — {license.plan}
                  </Link>
                </h2>
                <LicenseStatus license={license} />
              </div>
              <p className={styles.explanation}>{license.status_explanation}</p>
              <p>
                <EndDate license={license} /> · {seatsText(license)} · <span className={styles.muted}>Key {license.key_hint}</span>
              </p>
              <Features features={license.features} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
