import { useState } from 'react';
import { Link } from 'react-router';
import { Badge, Button, ConfirmDialog, PageHeader, Select, StatusPill, TextField, Time, useToast, type Column } from '@web/components';
import { humanize } from '@web/lib/format';
import { useSession } from '../auth/session';
import { actionsColumn } from '../operations/actions-column';
import { ListSection } from '../operations/list-section';
import { useUrlFilters } from '../operations/use-url-filters';
import { isReplayable, PAGE_SIZE, STRIPE_EVENT_STATUSES, useReplayStripeEvent, useStripeEvents, type StripeEvent, type StripeEventFilters, type StripeEventStatus } from './api';
import styles from '../operations/operations.module.css';

/** `status` in the URL: absent means failed events (the page's reason to exist); `any` means all. */
function filtersFrom(params: URLSearchParams): StripeEventFilters {
  const status = params.get('status');
  const type = params.get('type')?.trim();
  return {
    ...(status === 'any' ? {} : { status: (STRIPE_EVENT_STATUSES.includes(status as StripeEventStatus) ? status : 'FAILED') as StripeEventStatus }),
    ...(type ? { type } : {}),
  };
}

/** What went wrong with an event, or what it waits for, in one cell. */
function Fault({ event }: { event: StripeEvent }) {
  if (event.status === 'FAILED') {
    return (
      <span className={styles.result}>
        <span>
          <Badge tone="danger">{event.error_code ?? 'UNKNOWN'}</Badge>
        </span>
        {event.error && <span className={styles.clip} title={event.error}>{event.error}</span>}
      </span>
    );
  }
  if (event.status === 'DEFERRED') return <span className={styles.clip}>{event.detail ?? 'Its subscription has no license yet: applied when the checkout provisions it.'}</span>;
  return event.detail ? <span className={`${styles.clip} ${styles.muted}`} title={event.detail}>{event.detail}</span> : <span className={styles.muted}>—</span>;
}

/**
 * Stripe events as Keywarden recorded them: the failed ones (with the fault named: its code and
 * why) and the deferred ones, and any other status on request. Finance, admins and owners
 * (`stripe:replay`) apply a stored event again once its cause is fixed, with a reason.
 */
export function StripeEventsPage() {
  const { params, filters, pages, setFilter, useTextFilter } = useUrlFilters(filtersFrom);
  const [type, setType] = useTextFilter('type');
  const events = useStripeEvents(filters, pages.cursor);
  const { can } = useSession();
  const mayReplay = can('stripe:replay');
  const [replaying, setReplaying] = useState<StripeEvent | null>(null);
  const replay = useReplayStripeEvent();
  const toast = useToast();


  const columns: Column<StripeEvent>[] = [
    { key: 'id', header: 'Event', cell: (row) => <span className={styles.mono}>{row.id}</span> },
    { key: 'type', header: 'Type', cell: (row) => row.type },
    { key: 'status', header: 'Status', cell: (row) => <StatusPill status={row.status} /> },
    { key: 'fault', header: 'Fault or detail', cell: (row) => <Fault event={row} /> },
    { key: 'attempts', header: 'Attempts', cell: (row) => row.attempts, align: 'end', wideOnly: true },
    { key: 'received', header: 'Received', cell: (row) => <Time value={row.received_at} /> },
    {
      key: 'license',
      header: 'License',
      cell: (row) => (row.license_id ? <Link to={`/licenses/${row.license_id}`}>Open license</Link> : row.subscription_id ? <span className={styles.mono}>{row.subscription_id}</span> : <span className={styles.muted}>—</span>),
    },
    ...(mayReplay
      ? [
          actionsColumn<StripeEvent>((row) =>
            isReplayable(row) ? (
              <Button size="sm" onClick={() => setReplaying(row)} aria-label={`Replay ${row.id}`}>
                Replay…
              </Button>
            ) : null,
          ),
        ]
      : []),
  ];

  const statusLabel = filters.status ? humanize(filters.status).toLowerCase() : null;
  return (
    <div className={styles.page}>
      <PageHeader
        title="Stripe events"
        description="Every event Stripe sent, and what became of it. A failed event names its fault; a deferred one waits for its checkout to provision the license. Replay an event once its cause is fixed (a price added to a plan, say)."
      />
      <fieldset className={styles.filters}>
        <legend className="visually-hidden">Filters</legend>
        <Select label="Status" value={params.get('status') ?? ''} onChange={(event) => setFilter('status', event.target.value)}>
          <option value="">Failed</option>
          <option value="DEFERRED">Deferred</option>
          <option value="RECEIVED">Received (not yet acted on)</option>
          <option value="PROCESSING">Processing</option>
          <option value="PROCESSED">Processed</option>
          <option value="IGNORED">Ignored</option>
          <option value="any">Any status</option>
        </Select>
        <TextField label="Type" placeholder="invoice.paid" value={type} onChange={(event) => setType(event.target.value)} autoComplete="off" spellCheck={false} />
      </fieldset>
      <ListSection
        id="stripe-events"
        caption={statusLabel ? `Stripe events: ${statusLabel}` : 'Stripe events'}
        query={events}
        columns={columns}
        rowKey={(row) => row.id}
        noun="events"
        errorTitle="The Stripe events could not be loaded"
        empty={{
          title: statusLabel ? `No ${statusLabel} Stripe events` : 'No Stripe events yet',
          text: filters.status === 'FAILED' ? 'Every event Stripe sent was applied, ignored or deferred.' : 'Events appear here as Stripe sends them to the webhook.',
        }}
        pages={{ state: pages, size: PAGE_SIZE }}
      />
      <ConfirmDialog
        open={replaying !== null}
        onClose={() => setReplaying(null)}
        title={`Replay ${replaying?.id ?? ''}?`}
        confirmLabel="Replay the event"
        reason={{ label: 'Reason', hint: 'What was fixed, for the audit trail.', required: true }}
        onConfirm={async (reason) => {
          const result = await replay.mutateAsync({ id: replaying!.id, reason });
          if (result.status === 'FAILED') throw new Error(`Replayed, and it failed again: ${result.error_code ?? ''} ${result.error ?? ''}`.trim());
          toast(`${result.id} replayed: ${humanize(result.status).toLowerCase()}`);
        }}
      >
        {replaying && (
          <p>
            Keywarden acts on the stored <strong>{replaying.type}</strong> event again, as if Stripe had just sent it (it is now {humanize(replaying.status).toLowerCase()}
            {replaying.error_code ? `: ${replaying.error_code}` : ''}). Its license{replaying.license_id ? '' : ', once found,'} may be provisioned, renewed, marked past due or
            cancelled accordingly. A change already applied is not applied twice.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
