import { useState } from 'react';
import { Link } from 'react-router';
import { Button, ConfirmDialog, PageHeader, Select, StatusPill, TextField, Time, useToast, type Column } from '@web/components';
import { isApiError } from '@web/api/api-error';
import { humanize, plural } from '@web/lib/format';
import { useSession } from '../auth/session';
import { ListSection } from '../operations/list-section';
import { useUrlFilters } from '../operations/use-url-filters';
import { isRetryable, MESSAGE_STATUSES, PAGE_SIZE, useMessages, useRetryMessage, useSendMessageNow, type Message, type MessageChannel, type MessageStatus, type OutboxFilters } from './api';
import { MessageDialog } from './message-dialog';
import styles from '../operations/operations.module.css';

const CHANNELS: Array<{ value: MessageChannel; label: string }> = [
  { value: 'customerio', label: 'Customer.io (e-mail, events)' },
  { value: 'hubspot', label: 'HubSpot (renewal tasks)' },
];

/** `status` in the URL: absent means the page's default, failed messages; `any` means every status. */
function filtersFrom(params: URLSearchParams): OutboxFilters {
  const status = params.get('status');
  const channel = params.get('channel');
  const event = params.get('event')?.trim();
  return {
    ...(event ? { event } : {}),
    ...(status === 'any' ? {} : { status: (MESSAGE_STATUSES.includes(status as MessageStatus) ? status : 'FAILED') as MessageStatus }),
    ...(channel === 'customerio' || channel === 'hubspot' ? { channel } : {}),
  };
}

/**
 * The outbox: every outbound message (e-mails and events for customers through Customer.io,
 * renewal tasks through HubSpot), failed ones first. A member holding `messages:retry` sends
 * one again, or every selected one, or a pending one now, with a reason the audit trail keeps.
 */
export function OutboxPage() {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const { params, filters, pages, setFilter, useTextFilter } = useUrlFilters(filtersFrom, () => setSelected(new Set()));
  const [event, setEvent] = useTextFilter('event');
  const messages = useMessages(filters, pages.cursor);
  const { can } = useSession();
  const mayRetry = can('messages:retry');
  const [confirming, setConfirming] = useState<Message[] | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const retry = useRetryMessage();
  const sendNow = useSendMessageNow();
  const [sendingNow, setSendingNow] = useState<Message | null>(null);
  const toast = useToast();

  const rows = messages.data?.data ?? [];
  const selectable = rows.filter(isRetryable);
  const chosen = rows.filter((row) => selected.has(row.id));
  const toggle = (id: string) => setSelected((current) => {
    const next = new Set(current);
    if (!next.delete(id)) next.add(id);
    return next;
  });
  const allChosen = selectable.length > 0 && selectable.every((row) => selected.has(row.id));

  /** Retries one at a time; those refused stay selected, and the dialog lists why. */
  const retryAll = async (targets: Message[], reason: string) => {
    const failures: string[] = [];
    const done = new Set<string>();
    for (const message of targets) {
      try {
        await retry.mutateAsync({ id: message.id, reason });
        done.add(message.id);
      } catch (error) {
        failures.push(`${message.event} to ${message.recipient ?? 'no recipient'}: ${isApiError(error) ? `${error.code} — ${error.detail}` : String(error)}`);
      }
    }
    setSelected((current) => new Set([...current].filter((id) => !done.has(id))));
    if (done.size) toast(`${plural(done.size, 'message')} sent again`);
    if (failures.length) throw new Error(`${plural(failures.length, 'message was', 'messages were')} not retried: ${failures.join('; ')}`);
  };

  const columns: Column<Message>[] = [
    ...(mayRetry
      ? [
          {
            key: 'select',
            header: (
              <input
                type="checkbox"
                aria-label="Select every failed message on this page"
                checked={allChosen}
                disabled={selectable.length === 0}
                onChange={() => setSelected(allChosen ? new Set() : new Set(selectable.map((row) => row.id)))}
              />
            ),
            label: 'Select',
            cell: (row: Message) =>
              isRetryable(row) ? <input type="checkbox" aria-label={`Select ${row.event} to ${row.recipient ?? 'no recipient'}`} checked={selected.has(row.id)} onChange={() => toggle(row.id)} /> : null,
          },
        ]
      : []),
    {
      key: 'event',
      header: 'Message',
      cell: (row) => (
        <button type="button" className={styles.linkButton} onClick={() => setOpened(row.id)}>
          {row.event}
        </button>
      ),
    },
    { key: 'recipient', header: 'Recipient', cell: (row) => row.recipient ?? <span className={styles.muted}>—</span> },
    { key: 'channel', header: 'Channel', cell: (row) => (row.channel === 'hubspot' ? 'HubSpot' : 'Customer.io'), wideOnly: true },
    { key: 'status', header: 'Status', cell: (row) => <StatusPill status={row.status} /> },
    { key: 'attempts', header: 'Attempts', cell: (row) => row.attempts, align: 'end', wideOnly: true },
    { key: 'error', header: 'Last error', cell: (row) => (row.last_error ? <span className={styles.clip} title={row.last_error}>{row.last_error}</span> : <span className={styles.muted}>—</span>) },
    { key: 'updated', header: 'Last change', cell: (row) => <Time value={row.updated_at} /> },
    { key: 'license', header: 'License', cell: (row) => <Link to={`/licenses/${row.license_id}`}>Open license</Link>, wideOnly: true },
  ];

  const statusLabel = filters.status ? humanize(filters.status).toLowerCase() : null;
  return (
    <div className={styles.page}>
      <PageHeader
        title="Outbox"
        description="Every message the lifecycle sends: e-mails and events to customers through Customer.io, renewal tasks through HubSpot. A failed one can be sent again once its cause is fixed."
        actions={
          mayRetry && (
            <Button variant="primary" disabled={chosen.length === 0} onClick={() => setConfirming(chosen)}>
              Retry selected{chosen.length ? ` (${chosen.length})` : ''}
            </Button>
          )
        }
      />
      <fieldset className={styles.filters}>
        <legend className="visually-hidden">Filters</legend>
        <Select label="Status" value={params.get('status') ?? ''} onChange={(event) => setFilter('status', event.target.value)}>
          <option value="">Failed</option>
          <option value="NOT_SENT">Not sent (no provider then)</option>
          <option value="PENDING">Pending (being delivered)</option>
          <option value="SENT">Sent</option>
          <option value="any">Any status</option>
        </Select>
        <Select label="Channel" value={filters.channel ?? ''} onChange={(event) => setFilter('channel', event.target.value)}>
          <option value="">Any channel</option>
          {CHANNELS.map((channel) => (
            <option key={channel.value} value={channel.value}>
              {channel.label}
            </option>
          ))}
        </Select>
        <TextField label="Event" placeholder="renewal_reminder" value={event} onChange={(change) => setEvent(change.target.value)} autoComplete="off" spellCheck={false} />
      </fieldset>
      <ListSection
        id="outbox"
        caption={statusLabel ? `Messages: ${statusLabel}` : 'Messages'}
        query={messages}
        columns={columns}
        rowKey={(row) => row.id}
        noun="messages"
        errorTitle="The outbox could not be loaded"
        empty={{
          title: filters.event ? `No “${filters.event}” messages${statusLabel ? ` (${statusLabel})` : ''}` : statusLabel ? `No ${statusLabel} messages` : 'No messages yet',
          text: filters.status === 'FAILED' ? 'Every message was delivered or is still on its way.' : 'Messages appear here as licenses are issued, renewed and reminded.',
        }}
        pages={{ state: pages, size: PAGE_SIZE }}
      />
      <MessageDialog
        id={opened}
        onClose={() => setOpened(null)}
        onRetry={mayRetry ? (message) => setConfirming([message]) : undefined}
        onSendNow={mayRetry ? (message) => setSendingNow(message) : undefined}
      />
      <ConfirmDialog
        open={sendingNow !== null}
        onClose={() => setSendingNow(null)}
        title="Send this message now?"
        confirmLabel="Send now"
        reason={{ label: 'Reason', hint: 'Why it cannot wait, for the audit trail.', required: true }}
        onConfirm={async (reason) => {
          await sendNow.mutateAsync({ id: sendingNow!.id, reason });
          toast(`“${sendingNow!.event}” is being sent now`);
        }}
      >
        <p>
          Its delivery stops waiting to try again (after a failure, or the time {sendingNow?.channel === 'hubspot' ? 'HubSpot' : 'Customer.io'} asked it to wait) and sends now, within the
          provider’s rate limit. It is sent once: a delivery never sends twice.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={confirming?.length === 1 ? 'Send this message again?' : `Send ${plural(confirming?.length ?? 0, 'message')} again?`}
        confirmLabel={confirming?.length === 1 ? 'Send again' : `Send ${plural(confirming?.length ?? 0, 'message')} again`}
        reason={{ label: 'Reason', hint: 'What was fixed, for the audit trail.', required: true }}
        onConfirm={(reason) => retryAll(confirming ?? [], reason)}
      >
        <p>
          {confirming?.length === 1
            ? `“${confirming[0]!.event}” to ${confirming[0]!.recipient ?? 'no recipient'} goes back to Pending and is delivered again through ${confirming[0]!.channel === 'hubspot' ? 'HubSpot' : 'Customer.io'}.`
            : 'Each goes back to Pending and is delivered again through its provider.'}{' '}
          The customer receives it then. Its earlier attempts and last error stay on record.
        </p>
        {confirming && confirming.length > 1 && (
          <ul>
            {confirming.map((message) => (
              <li key={message.id}>
                {message.event} to {message.recipient ?? 'no recipient'}
              </li>
            ))}
          </ul>
        )}
      </ConfirmDialog>
    </div>
  );
}
