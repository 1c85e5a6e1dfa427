import { useState } from 'react';
import { Badge, CopyButton, DescriptionList, ErrorState, Loading, Section, StatusPill, Tabs, Time } from '@web/components';
import { plural } from '@web/lib/format';
import type { LicenseSearchHit } from '../search/api';
import { useLicense } from './api';
import { ActivationsTable, AuditTrail, MessagesTable, OfflineTokensTable, StripeEventsTable } from './license-history';
import { TimelineCard } from './timeline-card';
import { WorkflowCard } from './workflow-card';
import { LicenseActions } from '../license-actions/license-actions';
import { KeyOperations } from '../key-operations/key-operations';
import styles from './accounts.module.css';

/** One license: its terms and seats, what happens next, its workflow, and its histories in tabs. */
export function LicenseDetailView({ hit }: { hit: LicenseSearchHit }) {
  const license = useLicense(hit.id);
  const [tab, setTab] = useState('activations');

  if (license.isPending) return <Loading label="Loading the license…" lines={8} />;
  if (license.isError) return <ErrorState error={license.error} title="This license could not be loaded" onRetry={() => void license.refetch()} />;
  const detail = license.data;
  const live = detail.activations.filter((activation) => !activation.deactivated_at);
  const seats = detail.seat_limit === null ? `${detail.current_activations} (unlimited)` : `${detail.current_activations} of ${detail.seat_limit}`;
  const features = Object.entries(detail.features);

  return (
    <div className={styles.detail}>
      <Section
        id="license-summary"
        title={
          <span className={styles.summaryTitle}>
            {hit.product.name} · {hit.plan.name} <StatusPill status={detail.status} />
          </span>
        }
        actions={<CopyButton value={detail.id} label="Copy license id" />}
      >
        {detail.status_reason && (
          <p className={styles.reason}>
            <span className="muted">Status reason:</span> {detail.status_reason}
          </p>
        )}
        <DescriptionList
          items={[
            { term: 'Plan', value: `${hit.plan.name} (${detail.plan})` },
            { term: 'Tier', value: hit.plan.tier },
            { term: 'Seats used', value: <span className={styles.seats}>{seats}</span> },
            { term: 'Seat model', value: detail.seat_model.replace('_', ' ').toLowerCase() },
            { term: 'Expires', value: <Time value={detail.expires_at} relative empty="Never (perpetual)" /> },
            { term: 'Trial ends', value: <Time value={detail.trial_ends_at} relative empty="Not a trial" /> },
            { term: 'Key', value: <code>{detail.key_hint}</code> },
            { term: 'Created', value: <Time value={detail.created_at} /> },
          ]}
        />
        <div className={styles.features}>
          <h3 className={styles.subheading}>Features</h3>
          {features.length ? (
            <ul className={styles.featureList}>
              {features.map(([name, value]) => (
                <li key={name}>
                  <Badge tone={value === false ? 'neutral' : 'info'}>{value === true ? name : `${name}: ${String(value)}`}</Badge>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No feature entitlements.</p>
          )}
        </div>
      </Section>
      <LicenseActions license={detail} hit={hit} />
      <KeyOperations license={detail} />
      <div className={styles.cards}>
        <TimelineCard licenseId={detail.id} />
        <WorkflowCard licenseId={detail.id} />
      </div>
      <Section id="license-history" title="History">
        <Tabs
          label="License history"
          selected={tab}
          onSelect={setTab}
          tabs={[
            { id: 'activations', label: 'Activations', count: detail.activations.length, panel: <ActivationsTable activations={detail.activations} liveCount={live.length} /> },
            { id: 'audit', label: 'Audit trail', count: detail.audit_events.length, panel: <AuditTrail events={detail.audit_events} /> },
            { id: 'messages', label: 'Messages', panel: <MessagesTable licenseId={detail.id} /> },
            { id: 'stripe', label: 'Stripe events', panel: <StripeEventsTable licenseId={detail.id} /> },
            { id: 'offline', label: 'Offline tokens', panel: <OfflineTokensTable licenseId={detail.id} /> },
          ]}
        />
        <p className="visually-hidden">{plural(live.length, 'active seat')}</p>
      </Section>
    </div>
  );
}
