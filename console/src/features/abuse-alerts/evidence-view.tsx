import { DescriptionList } from '@web/components';
import type { AbuseAlertKind } from './api';
import styles from './abuse-alerts.module.css';

type Evidence = Record<string, unknown>;

const list = (value: unknown) => (Array.isArray(value) ? value.map(String).join(', ') : '');
const number = (value: unknown) => (typeof value === 'number' ? value.toLocaleString() : String(value ?? '—'));

/** What the check saw, in words for each kind; the raw evidence below for anything else. */
export function EvidenceView({ kind, evidence }: { kind: AbuseAlertKind; evidence: Evidence }) {
  const items: Array<{ term: string; value: string; wide?: boolean }> = [];
  if (kind === 'VELOCITY') {
    items.push({ term: 'Validations in the hour', value: `${number(evidence.validations)} (plan allows ${number(evidence.threshold_validations)})` });
    items.push({ term: 'Distinct addresses', value: `${number(evidence.distinct_ips)} (threshold ${number(evidence.threshold_distinct_ips)})` });
    items.push({ term: 'Some of the addresses', value: list(evidence.sample_ips), wide: true });
  } else if (kind === 'GEO_SPREAD') {
    items.push({ term: 'Countries in 24 hours', value: `${number(evidence.distinct_countries)} (plan allows ${number(evidence.threshold)})` });
    items.push({ term: 'Countries', value: list(evidence.countries), wide: true });
  } else if (kind === 'REFERRER_MISMATCH') {
    const pairs = Array.isArray(evidence.mismatches) ? (evidence.mismatches as Array<{ origin_host: string; domain_claimed: string | null; calls: number }>) : [];
    items.push({ term: 'Calls from other sites', value: number(evidence.calls) });
    for (const pair of pairs) items.push({ term: `Page on ${pair.origin_host}`, value: `claimed ${pair.domain_claimed ?? 'no domain'}, ${number(pair.calls)} calls` });
  } else if (kind === 'TRIAL_CYCLING') {
    const trials = Array.isArray(evidence.trials) ? (evidence.trials as Array<{ license_id: string; email: string | null }>) : [];
    const shared = Array.isArray(evidence.shared) ? (evidence.shared as Array<{ signal: string; value: string; trials: number }>) : [];
    items.push({ term: 'Trials', value: `${trials.length} (plan allows ${number(evidence.threshold)})` });
    for (const link of shared) items.push({ term: `Shared ${link.signal}`, value: `${link.value} (${link.trials} trials)` });
    items.push({ term: 'E-mails', value: trials.map((trial) => trial.email ?? 'none').join(', '), wide: true });
  } else if (kind === 'KEY_SHARING') {
    items.push({ term: 'Machines in 7 days', value: `${number(evidence.distinct_fingerprints)} (plan allows ${number(evidence.threshold)} for ${number(evidence.seat_limit)} seats)` });
    items.push({ term: 'Some of the machines', value: list(evidence.sample_fingerprints), wide: true });
  }
  return (
    <>
      {items.length > 0 && <DescriptionList items={items.map((item, index) => ({ ...item, key: String(index) }))} />}
      <details className={styles.raw}>
        <summary>Raw evidence (JSON)</summary>
        <pre tabIndex={0} aria-label="Raw evidence">{JSON.stringify(evidence, null, 2)}</pre>
      </details>
    </>
  );
}
