import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, Loading, PageHeader, Section } from '@web/components';
import { useLicense } from './api';
import { EndDate } from './licenses-page';
import { RenewButton } from './renew-button';
import { LicenseStatus } from './status';
import styles from './licenses.module.css';

/** Where a reminder e-mail's renewal link leads (GET /renew?license=…), once signed in. */
export function RenewPage() {
  const [params] = useSearchParams();
  const id = params.get('license') ?? '';
  const license = useLicense(id);
  if (!id) {
    return (
      <>
        <h1 className="visually-hidden">Renew</h1>
        <EmptyState title="Which license?" action={<Link to="/licenses">See your licenses</Link>}>
          Open the license you want to renew.
        </EmptyState>
      </>
    );
  }
  if (license.isPending) return <Loading label="Loading the license…" />;
  if (license.isError) return <ErrorState error={license.error} title="This license cannot be renewed here" />;
  const detail = license.data;
  return (
    <div className={styles.page}>
      <PageHeader eyebrow={detail.product} title={`Renew ${detail.plan}`} description={detail.status_explanation} actions={<LicenseStatus license={detail} />} />
      <Section title="Your license">
        <p>
          <EndDate license={detail} />. <Link to={`/licenses/${detail.id}`}>See the license</Link>
        </p>
        <RenewButton license={detail} variant="primary" />
      </Section>
    </div>
  );
}
