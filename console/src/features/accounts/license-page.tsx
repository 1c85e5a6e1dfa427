import { Navigate, useParams } from 'react-router';
import { ErrorState, Loading, PageHeader } from '@web/components';
import { useLicenseHit } from './api';
import { LicenseDetailView } from './license-detail';
import styles from './accounts.module.css';

/** A license opened by id: its customer's account when it has one, else the license alone. */
export function LicensePage() {
  const { licenseId = '' } = useParams();
  const hit = useLicenseHit(licenseId);
  if (hit.isPending) return <Loading label="Loading the license…" lines={6} />;
  if (hit.isError) return <ErrorState error={hit.error} title="This license could not be loaded" onRetry={() => void hit.refetch()} />;
  if (!hit.data) {
    return (
      <>
        <h1 className="visually-hidden">License not found</h1>
        <ErrorState error={new Error(`No license has the id ${licenseId}.`)} title="No such license" />
      </>
    );
  }
  if (hit.data.customer) return <Navigate to={`/accounts/${hit.data.customer.id}?license=${licenseId}`} replace />;
  return (
    <div className={styles.page}>
      <PageHeader eyebrow="License without a customer" title={`${hit.data.product.name} · ${hit.data.plan.name}`} description={<code>{hit.data.key_hint}</code>} />
      <LicenseDetailView hit={hit.data} />
    </div>
  );
}
