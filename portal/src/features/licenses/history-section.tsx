import { EmptyState, ErrorState, Loading, Section, Time } from '@web/components';
import { useHistory } from './api';
import styles from './licenses.module.css';

/** What happened to the license, in the customer's words, newest first. */
export function HistorySection({ licenseId }: { licenseId: string }) {
  const history = useHistory(licenseId);
  return (
    <Section title="History" id="history">
      {history.isPending && <Loading label="Loading the history…" lines={3} />}
      {history.isError && <ErrorState compact error={history.error} onRetry={() => void history.refetch()} />}
      {history.data && history.data.data.length === 0 && <EmptyState compact title="Nothing has happened yet" />}
      {history.data && history.data.data.length > 0 && (
        <ol className={styles.history}>
          {history.data.data.map((entry) => (
            <li key={entry.id} className={styles.historyItem}>
              <span>
                {entry.summary}
                {entry.by_you && <span className={styles.muted}> (by you)</span>}
                {entry.new_end_date && (
                  <span className={styles.muted}>
                    {' '}
                    — new end date <Time value={entry.new_end_date} dateOnly />
                  </span>
                )}
              </span>
              <Time value={entry.at} />
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
