import { useParams, useSearchParams } from 'react-router';
import { Badge, CopyButton, DescriptionList, EmptyState, ErrorState, Loading, PageHeader, Section, StatusPill, Time } from '@web/components';
import { useCustomer, useCustomerLicenses } from './api';
import { LicenseDetailView } from './license-detail';
import { NotesPanel } from './notes-panel';
import { CreateLicenseButton } from '../license-actions/create-license';
import styles from './accounts.module.css';

/**
 * Page 2: an account, i.e. a customer and their licenses. The licenses are listed on the left
 * (or above, on a phone); the selected one (`?license=`) shows its terms, seats, timeline,
 * workflow and every history: activations, audit trail, messages, Stripe events, offline tokens.
 */
export function AccountPage() {
  const { customerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const customer = useCustomer(customerId);
  const licenses = useCustomerLicenses(customerId);

  if (customer.isPending) return <Loading label="Loading the account…" lines={6} />;
  if (customer.isError) {
    return (
      <>
        <h1 className="visually-hidden">Account</h1>
        <ErrorState error={customer.error} title="This account could not be loaded" onRetry={() => void customer.refetch()} />
      </>
    );
  }
  const account = customer.data;
  const hits = licenses.data?.data ?? [];
  const selected = hits.find((hit) => hit.id === params.get('license')) ?? hits[0];

  return (
    <div className={styles.page}>
      <PageHeader
        eyebrow="Account"
        title={account.name ?? account.email}
        description={account.name ? account.email : undefined}
        actions={
          <>
            <CopyButton value={account.email} label="Copy e-mail" />
            <CreateLicenseButton customer={{ id: account.id, email: account.email }} onCreated={(id) => setParams({ license: id }, { replace: true })} />
          </>
        }
      />
      <div className={styles.accountGrid}>
        <div className={styles.sideColumn}>
          <Section title="Customer" id="customer">
            <DescriptionList
              items={[
                { term: 'E-mail', value: account.email, wide: true },
                { term: 'Stripe customer', value: account.stripe_customer_id ? <code>{account.stripe_customer_id}</code> : '—' },
                { term: 'HubSpot contact', value: account.hubspot_contact_id ?? '—' },
                { term: 'HubSpot company', value: account.hubspot_company_id ?? '—' },
                { term: 'Customer since', value: <Time value={account.created_at} dateOnly /> },
              ]}
            />
          </Section>
          <Section title={`Licenses (${hits.length})`} id="licenses">
            {licenses.isPending ? (
              <Loading label="Loading the licenses…" lines={2} />
            ) : licenses.isError ? (
              <ErrorState compact error={licenses.error} onRetry={() => void licenses.refetch()} />
            ) : hits.length === 0 ? (
              <EmptyState compact title="No licenses">This customer holds no license.</EmptyState>
            ) : (
              <ul className={styles.licenseList}>
                {hits.map((hit) => (
                  <li key={hit.id}>
                    <button
                      type="button"
                      className={hit.id === selected?.id ? `${styles.licenseButton} ${styles.selected}` : styles.licenseButton}
                      aria-current={hit.id === selected?.id ? 'true' : undefined}
                      onClick={() => setParams({ license: hit.id }, { replace: true })}
                    >
                      <span className={styles.licenseName}>
                        {hit.product.name} · {hit.plan.name}
                      </span>
                      <span className={styles.licenseMeta}>
                        <code>{hit.key_hint}</code> <StatusPill status={hit.status} />
                        {hit.plan.tier && <Badge>{hit.plan.tier}</Badge>}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <NotesPanel customerId={customerId} />
        </div>
        <div className={styles.mainColumn}>{selected ? <LicenseDetailView hit={selected} key={selected.id} /> : null}</div>
      </div>
    </div>
  );
}
