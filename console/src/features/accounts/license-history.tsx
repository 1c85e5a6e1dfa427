import type { ReactNode } from 'react';
import { Badge, EmptyState, ErrorState, Loading, StatusPill, Table, Time, type Column } from '@web/components';
import { humanize, plural } from '@web/lib/format';
import { useMessages, useOfflineTokens, useStripeEvents, type Activation, type AuditEvent, type Message, type OfflineTokenLogEntry, type StripeEventRecord } from './api';
import styles from './accounts.module.css';

/** Which machines use the license: the diagnostic view of a renewal conversation. */
export function ActivationsTable({ activations, liveCount }: { activations: Activation[]; liveCount: number }) {
  const columns: Column<Activation>[] = [
    {
      key: 'device',
      header: 'Device',
      cell: (a) => (
        <span className={styles.stacked}>
          <strong>{a.name ?? a.hostname ?? a.user ?? 'Unnamed device'}</strong>
          <code className={styles.secondary}>{a.fingerprint}</code>
        </span>
      ),
    },
    { key: 'hostname', header: 'Hostname', cell: (a) => a.hostname ?? '—' },
    { key: 'platform', header: 'Platform', cell: (a) => a.platform ?? '—' },
    { key: 'ip', header: 'IP', cell: (a) => (a.ip ? <code>{a.ip}</code> : '—') },
    { key: 'first', header: 'First seen', cell: (a) => <Time value={a.first_seen_at} /> },
    { key: 'last', header: 'Last seen', cell: (a) => <Time value={a.last_seen_at} relative /> },
    {
      key: 'state',
      header: 'State',
      cell: (a) =>
        a.deactivated_at ? (
          <span className={styles.stacked}>
            <Badge>Deactivated</Badge>
            <span className={styles.secondary}>
              <Time value={a.deactivated_at} />
              {a.deactivated_by ? ` by ${a.deactivated_by}` : ''}
            </span>
          </span>
        ) : (
          <Badge tone="success">Active</Badge>
        ),
    },
  ];
  return (
    <Table
      caption={`Activation history: ${plural(liveCount, 'active device')}, ${plural(activations.length - liveCount, 'deactivated', 'deactivated')}`}
      columns={columns}
      rows={activations}
      rowKey={(a) => a.id}
      empty={<EmptyState compact title="Never activated">No machine has activated this license yet.</EmptyState>}
    />
  );
}

/** `status: ACTIVE → REVOKED` for each field an audited change touched. */
function changes(event: AuditEvent): string[] {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const show = (value: unknown) => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    // A field absent on one side and null on the other did not change.
    .filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null))
    .map((field) => `${field}: ${show(before[field])} → ${show(after[field])}`);
}

/** Who did what, why and when: every change to the license. */
export function AuditTrail({ events }: { events: AuditEvent[] }) {
  if (!events.length) return <EmptyState compact title="No audit events">Nothing has changed this license yet.</EmptyState>;
  return (
    <ol className={styles.audit} aria-label="Audit trail, newest first">
      {events.map((event) => (
        <li key={event.id} className={styles.auditItem}>
          <div className={styles.auditHead}>
            <strong>{humanize(event.action.replace(/^license\./, '').replace(/\./g, '_').toUpperCase())}</strong>
            <span className={styles.secondary}>
              <Time value={event.created_at} /> · by <span className={styles.actor} title={event.actor}>{event.actor_label ?? event.actor}</span>
            </span>
          </div>
          <p className={styles.secondary}>
            <code>{event.action}</code>
          </p>
          {event.reason && <p>“{event.reason}”</p>}
          {changes(event).length > 0 && (
            <ul className={styles.changes}>
              {changes(event).map((change) => (
                <li key={change}>
                  <code>{change}</code>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}

function Remote<T>({ query, children }: { query: { isPending: boolean; isError: boolean; error: unknown; data?: T; refetch: () => unknown }; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading lines={3} />;
  if (query.isError) return <ErrorState compact error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data as T)}</>;
}

/** What went out about the license: e-mails (Customer.io) and CRM tasks (HubSpot). */
export function MessagesTable({ licenseId }: { licenseId: string }) {
  const messages = useMessages(licenseId);
  const columns: Column<Message>[] = [
    { key: 'event', header: 'Message', cell: (m) => <code>{m.event}</code> },
    { key: 'channel', header: 'Channel', cell: (m) => (m.channel === 'customerio' ? 'E-mail (Customer.io)' : 'CRM (HubSpot)') },
    { key: 'recipient', header: 'To', cell: (m) => m.recipient ?? '—' },
    { key: 'status', header: 'Status', cell: (m) => <StatusPill status={m.status} title={m.last_error ?? undefined} /> },
    { key: 'created', header: 'Queued', cell: (m) => <Time value={m.created_at} /> },
    { key: 'sent', header: 'Sent', cell: (m) => <Time value={m.sent_at} empty={m.last_error ? m.last_error : '—'} /> },
  ];
  return (
    <Remote query={messages}>
      {(page) => <Table caption="Messages sent" hideCaption columns={columns} rows={page.data} rowKey={(m) => m.id} empty={<EmptyState compact title="No messages">Nothing has been sent about this license.</EmptyState>} />}
    </Remote>
  );
}

/** The Stripe events about the license, with what became of each. */
export function StripeEventsTable({ licenseId }: { licenseId: string }) {
  const events = useStripeEvents(licenseId);
  const columns: Column<StripeEventRecord>[] = [
    { key: 'type', header: 'Event', cell: (e) => <span className={styles.stacked}><code>{e.type}</code><code className={styles.secondary}>{e.id}</code></span> },
    { key: 'status', header: 'Status', cell: (e) => <StatusPill status={e.status} title={e.error ?? undefined} /> },
    { key: 'detail', header: 'What happened', cell: (e) => (e.error_code ? `${e.error_code}: ${e.error ?? ''}` : (e.detail ?? '—')) },
    { key: 'created', header: 'At Stripe', cell: (e) => <Time value={e.stripe_created_at} /> },
  ];
  return (
    <Remote query={events}>
      {(list) => <Table caption="Stripe events" hideCaption columns={columns} rows={list.data} rowKey={(e) => e.id} empty={<EmptyState compact title="No Stripe events">This license was not sold through Stripe, or no event has arrived.</EmptyState>} />}
    </Remote>
  );
}

/** Offline tokens issued for air-gapped machines: who, when, for which machine, until when. */
export function OfflineTokensTable({ licenseId }: { licenseId: string }) {
  const tokens = useOfflineTokens(licenseId);
  const columns: Column<OfflineTokenLogEntry>[] = [
    { key: 'issued', header: 'Issued', cell: (t) => <Time value={t.issued_at} /> },
    { key: 'by', header: 'By', cell: (t) => t.issued_by },
    { key: 'machine', header: 'Machine', cell: (t) => (t.fingerprint ? <code>{t.fingerprint}</code> : 'Any') },
    { key: 'domain', header: 'Domain', cell: (t) => t.domain ?? '—' },
    { key: 'expires', header: 'Valid until', cell: (t) => <Time value={t.expires_at} relative /> },
  ];
  return (
    <Remote query={tokens}>
      {(list) => <Table caption="Offline tokens" hideCaption columns={columns} rows={list.data} rowKey={(t) => t.id} empty={<EmptyState compact title="No offline tokens">None has been issued for this license.</EmptyState>} />}
    </Remote>
  );
}
