import { Link } from 'react-router';
import { Button, CopyButton, DescriptionList, Dialog, ErrorState, Loading, StatusPill, Time } from '@web/components';
import { isRetryable, isWaiting, useMessage, type Message } from './api';
import styles from '../operations/operations.module.css';

/**
 * Payload fields shown as "hidden": the API never puts a key or a secret in a message's payload
 * (delivery reads the key from its encrypted copy), and the console would not show one if it did.
 */
const SECRET_FIELD = /(key|token|secret|password|ciphertext|link|url)$/i;

function visiblePayload(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(visiblePayload);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, SECRET_FIELD.test(name) ? '(hidden)' : visiblePayload(inner)]));
  }
  return value;
}

/** One message: what it says, to whom, and how its delivery went; retry it, or send a waiting one now, from here. */
export function MessageDialog({ id, onClose, onRetry, onSendNow }: { id: string | null; onClose: () => void; onRetry?: (message: Message) => void; onSendNow?: (message: Message) => void }) {
  const message = useMessage(id);
  const shown = message.data;
  return (
    <Dialog
      open={id !== null}
      onClose={onClose}
      variant="wide"
      title={shown ? `Message: ${shown.event}` : 'Message'}
      footer={
        <>
          {shown && onRetry && isRetryable(shown) && (
            <Button variant="primary" onClick={() => onRetry(shown)}>
              Send again…
            </Button>
          )}
          {shown && onSendNow && isWaiting(shown) && (
            <Button variant="primary" onClick={() => onSendNow(shown)}>
              Send now…
            </Button>
          )}
          <Button onClick={onClose}>Close</Button>
        </>
      }
    >
      {message.isPending ? (
        <Loading label="Loading the message…" />
      ) : message.isError ? (
        <ErrorState error={message.error} title="The message could not be loaded" onRetry={() => void message.refetch()} compact />
      ) : (
        shown && (
          <div className={styles.result}>
            <DescriptionList
              items={[
                { term: 'Status', value: <StatusPill status={shown.status} /> },
                { term: 'Attempts', value: shown.attempts },
                { term: 'Channel', value: shown.channel === 'hubspot' ? 'HubSpot (renewal task)' : 'Customer.io (e-mail, event)' },
                { term: 'Recipient', value: shown.recipient ?? '—', wide: true },
                { term: 'Last error', value: shown.last_error ?? '—', wide: true },
                { term: 'Provider id', value: shown.provider_message_id ? <span className={styles.mono}>{shown.provider_message_id}</span> : '—' },
                { term: 'License', value: <Link to={`/licenses/${shown.license_id}`}>Open the license</Link> },
                { term: 'Queued', value: <Time value={shown.created_at} /> },
                { term: 'Last change', value: <Time value={shown.updated_at} /> },
                { term: 'Sent', value: <Time value={shown.sent_at} empty="Not sent" /> },
                {
                  term: 'Delivery workflow',
                  value: (
                    <>
                      <span className={styles.mono}>{shown.workflow_id}</span> <CopyButton value={shown.workflow_id} label="Copy" />
                    </>
                  ),
                  wide: true,
                },
              ]}
            />
            <h3>What it says</h3>
            <pre className={styles.pre} tabIndex={0} aria-label="The message's data">
              {JSON.stringify(visiblePayload(shown.payload), null, 2)}
            </pre>
          </div>
        )
      )}
    </Dialog>
  );
}
