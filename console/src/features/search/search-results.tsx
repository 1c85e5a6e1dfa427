import { Link } from 'react-router';
import { Badge, StatusPill, Table, Time, type Column } from '@web/components';
import { hitPath, MATCHED_LABELS, type LicenseSearchHit } from './api';
import styles from './search.module.css';

/** The page of hits: each row opens the customer's account with the license selected. */
export function SearchResults({ hits, query }: { hits: LicenseSearchHit[]; query: string }) {
  const columns: Column<LicenseSearchHit>[] = [
    {
      key: 'customer',
      header: 'Customer',
      cell: (hit) => (
        <span className={styles.customer}>
          <Link to={hitPath(hit)} className={styles.primaryLink}>
            {hit.customer ? (hit.customer.name ?? hit.customer.email) : <>License {hit.key_hint}</>}
          </Link>
          {hit.customer?.name && <span className={styles.secondary}>{hit.customer.email}</span>}
          {!hit.customer && <span className={styles.secondary}>No customer</span>}
        </span>
      ),
    },
    {
      key: 'license',
      header: 'License',
      cell: (hit) => (
        <span className={styles.customer}>
          <code>{hit.key_hint}</code>
          <span className={styles.secondary}>
            {hit.product.name} · {hit.plan.name}
          </span>
        </span>
      ),
    },
    { key: 'status', header: 'Status', cell: (hit) => <StatusPill status={hit.status} title={hit.status_reason ?? undefined} /> },
    { key: 'tier', header: 'Tier', cell: (hit) => hit.plan.tier, wideOnly: true },
    { key: 'expires', header: 'Expires', cell: (hit) => <Time value={hit.trial_ends_at && hit.status === 'TRIALING' ? hit.trial_ends_at : hit.expires_at} dateOnly relative empty="Never" /> },
    ...(query ? [{ key: 'matched', header: 'Matched', cell: (hit: LicenseSearchHit) => (hit.matched ? <Badge tone="info">{MATCHED_LABELS[hit.matched]}</Badge> : null), wideOnly: true }] : []),
  ];
  return <Table caption="Search results" hideCaption columns={columns} rows={hits} rowKey={(hit) => hit.id} />;
}
