import { Link, useParams } from 'react-router';
import { isApiError } from '@web/api/api-error';
import { DescriptionList, EmptyState, ErrorState, Loading, PageHeader, Section } from '@web/components';
import { useLicense } from './api';
import { HistorySection } from './history-section';
import { KeySection } from './key-section';
import { LicenseFileSection } from './license-file-section';
import { EndDate, Features, seatsText } from './licenses-page';
import { MachinesSection } from './machines-section';
import { RenewButton } from './renew-button';
import { LicenseStatus } from './status';
import styles from './licenses.module.css';

/** One license: its standing, machines, key, offline license files, history, and renewal. */
export function LicensePage() {
  const { id = '' } = useParams();
  const license = useLicense(id);
  if (license.isPending) return <Loading label="Loading the license…" />;
  if (license.isError) {
    if (isApiError(license.error) && (license.error.code === 'PORTAL_LICENSE_NOT_FOUND' || license.error.code === 'INVALID_REQUEST')) {
      return (
        <>
          <h1 className="visually-hidden">License not found</h1>
          <EmptyState title="You have no license with this address" action={<Link to="/licenses">See your licenses</Link>}>
            It may belong to another e-mail address: sign out and sign in with the address you bought it with.
          </EmptyState>
        </>
      );
    }
    return <ErrorState error={license.error} onRetry={() => void license.refetch()} />;
  }
  const detail = license.data;
  return (
    <div className={styles.page}>
      <p>
        <Link to="/licenses">← Your licenses</Link>
      </p>
      <PageHeader eyebrow={detail.product} title={detail.plan} description={detail.status_explanation} actions={<LicenseStatus license={detail} />} />
      <Section title="Overview" id="overview">
        <DescriptionList
          items={[
            { term: 'Status', value: detail.status_label },
            { term: 'Term', value: <EndDate license={detail} /> },
            { term: 'Seats', value: seatsText(detail) },
            { term: 'Features', value: <Features features={detail.features} />, wide: true },
          ]}
        />
        <RenewButton license={detail} />
      </Section>
      <MachinesSection license={detail} />
      <KeySection license={detail} />
      <LicenseFileSection license={detail} />
      <HistorySection licenseId={detail.id} />
    </div>
  );
}
