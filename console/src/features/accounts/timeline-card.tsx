import { ErrorState, Loading, Section, Time } from '@web/components';
import { plural } from '@web/lib/format';
import { useTimeline } from './api';
import styles from './accounts.module.css';

const KINDS: Record<string, string> = {
  renewal_reminder: 'Renewal reminder',
  trial_reminder: 'Trial reminder',
  trial_end: 'Trial ends',
  expiry: 'Term ends',
  expiry_grace_end: 'Grace ends',
  payment_grace_end: 'Payment grace ends',
  plan_change: 'Plan change',
};

/** What the license's workflow will do next, from its own timers (a query, not a guess). */
export function TimelineCard({ licenseId }: { licenseId: string }) {
  const timeline = useTimeline(licenseId);
  return (
    <Section title="Upcoming" id="license-timeline">
      {timeline.isPending ? (
        <Loading label="Asking the workflow…" lines={3} />
      ) : timeline.isError ? (
        <ErrorState compact title="The workflow did not answer" error={timeline.error} onRetry={() => void timeline.refetch()} />
      ) : (
        <>
          {timeline.data.scheduled_plan_change && (
            <p className={styles.reason}>
              Plan change to <strong>{timeline.data.scheduled_plan_change.plan}</strong> on <Time value={timeline.data.scheduled_plan_change.effective_at} />
            </p>
          )}
          {timeline.data.upcoming.length === 0 ? (
            <p className="muted">Nothing scheduled: no reminder, expiry or grace end is ahead.</p>
          ) : (
            <ol className={styles.timeline} aria-label="Upcoming events, soonest first">
              {timeline.data.upcoming.map((item) => (
                <li key={`${item.kind}-${item.at}`} className={styles.timelineItem}>
                  <span className={styles.timelineWhen}>
                    <Time value={item.at} dateOnly relative />
                  </span>
                  <span>
                    <strong>{KINDS[item.kind] ?? item.kind}</strong>
                    <span className={styles.secondary}> · {item.days_before !== null ? `${item.days_before === 0 ? 'on the day' : `${plural(item.days_before, 'day')} before`} the ${item.kind === 'trial_reminder' ? 'trial' : 'term'} ends` : item.summary}</span>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </Section>
  );
}
