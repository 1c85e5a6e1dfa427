import type { ReactNode } from 'react';
import { humanize } from '../lib/format';
import { cx } from '../lib/cx';
import styles from './badge.module.css';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={cx(styles.badge, styles[tone])} title={title}>
      {children}
    </span>
  );
}

/** Each status in a colour that says how worried to be; the text says it too (never colour alone). */
const TONES: Record<string, Tone> = {
  ACTIVE: 'success',
  VALID: 'success',
  TRIALING: 'info',
  PAST_DUE: 'warning',
  IN_GRACE: 'warning',
  SUSPENDED: 'danger',
  EXPIRED: 'neutral',
  REVOKED: 'danger',
  PROCESSED: 'success',
  SENT: 'success',
  PENDING: 'info',
  RECEIVED: 'info',
  PROCESSING: 'info',
  DEFERRED: 'warning',
  NOT_SENT: 'neutral',
  IGNORED: 'neutral',
  FAILED: 'danger',
  RUNNING: 'success',
  COMPLETED: 'neutral',
  TERMINATED: 'danger',
  TIMED_OUT: 'danger',
  CANCELLED: 'neutral',
};

/** `label`: the words to show instead of the status's own (the portal's customer-facing ones). */
export function StatusPill({ status, title, label }: { status: string; title?: string; label?: string }) {
  return (
    <Badge tone={TONES[status] ?? 'neutral'} title={title}>
      {label ?? humanize(status)}
    </Badge>
  );
}
