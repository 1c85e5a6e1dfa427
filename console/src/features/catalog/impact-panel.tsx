import { Link } from 'react-router';
import { EmptyState, ErrorState, Loading, Section, StatusPill } from '@web/components';
import type { PlanEditPreview } from './api';
import { formatValue, labelOf } from './policy-fields';
import styles from './catalog.module.css';

type Changes = PlanEditPreview['impact']['changes'];

function ChangeList({ changes, label }: { changes: Changes; label: string }) {
  return (
    <ul className={styles.changeList} aria-label={label}>
      {Object.keys(changes.after).map((key) => (
        <li key={key} className={styles.change}>
          <strong>{labelOf(key)}</strong>: <span className={styles.before}>{formatValue(changes.before[key])}</span> → {formatValue(changes.after[key])}
        </li>
      ))}
    </ul>
  );
}

/**
 * What the edit in hand would do, from the API's dry run: the plan's fields before and after, how
 * many licenses it reaches and how many running workflows take the new lifecycle, and a sample of
 * licenses with their own before and after. Announced politely as it updates.
 */
export function ImpactPanel({ state }: { state: { kind: 'idle' } | { kind: 'invalid' } | { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; preview: PlanEditPreview } }) {
  const content = () => {
    switch (state.kind) {
      case 'idle':
        return <EmptyState compact title="No changes yet">Change a field: its effect on the licenses on this plan shows here before you save.</EmptyState>;
      case 'invalid':
        return <EmptyState compact title="Fix the fields marked in red">The impact shows once every changed field is valid.</EmptyState>;
      case 'loading':
        return <Loading lines={3} label="Working out the impact…" />;
      case 'error':
        return <ErrorState compact error={state.error} title="The impact could not be worked out" />;
      case 'ready': {
        const { impact } = state.preview;
        return (
          <>
            <ChangeList changes={impact.changes} label="Changes to the plan" />
            <dl className={styles.counts}>
              <div className={styles.count}>
                <dt>Licenses on the plan</dt>
                <dd>{impact.licenses_on_plan}</dd>
              </div>
              <div className={styles.count}>
                <dt>Affected</dt>
                <dd>{impact.affected_licenses}</dd>
              </div>
              <div className={styles.count}>
                <dt>Workflows updated</dt>
                <dd>{impact.workflows_to_update}</dd>
              </div>
              <div className={styles.count}>
                <dt>Expiries moved</dt>
                <dd>{impact.expiries_moved}</dd>
              </div>
            </dl>
            <p className={styles.secondary}>
              {impact.affected_licenses === 0
                ? 'No license changes: none is on the plan, or each overrides every field you changed.'
                : impact.workflows_to_update > 0
                  ? `The ${impact.workflows_to_update} running license workflows take the new grace and reminders from now on; reminders already sent are not sent again.`
                  : 'Licenses see the new policy at their next validation.'}
            </p>
            {impact.sample.length > 0 && (
              <>
                <h3 className={styles.secondary}>
                  {impact.sample.length < impact.affected_licenses ? `The first ${impact.sample.length} of ${impact.affected_licenses}` : 'Each affected license'}
                </h3>
                <ul className={styles.sampleList} aria-label="Affected licenses, before and after">
                  {impact.sample.map((license) => (
                    <li key={license.license_id} className={styles.sample}>
                      <p className={styles.secondary}>
                        <Link to={`/licenses/${license.license_id}`}>{license.key_hint}</Link> · {license.customer_email ?? 'no customer'} · <StatusPill status={license.status} />
                      </p>
                      <ChangeList changes={license} label={`Changes for license ${license.key_hint}`} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        );
      }
    }
  };
  return (
    <Section title="Impact" id="impact">
      <div aria-live="polite">{content()}</div>
    </Section>
  );
}
