import type { ReactNode } from 'react';
import { isApiError } from '../api/api-error';
import { Button } from './button';
import { cx } from '../lib/cx';
import styles from './states.module.css';

/** Nothing to show, said plainly, with what to do next. */
export function EmptyState({ title, children, action, compact }: { title: string; children?: ReactNode; action?: ReactNode; compact?: boolean }) {
  return (
    <div className={cx(styles.state, compact && styles.compact)}>
      <p className={styles.title}>{title}</p>
      {children && <div className={styles.text}>{children}</div>}
      {action}
    </div>
  );
}

/** A failed load: the API's code and detail (what support can act on), and a retry. */
export function ErrorState({ error, title = 'This could not be loaded', onRetry, compact }: { error: unknown; title?: string; onRetry?: () => void; compact?: boolean }) {
  const code = isApiError(error) ? error.code : 'UNEXPECTED_ERROR';
  const detail = isApiError(error) ? error.detail : error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className={cx(styles.state, styles.error, compact && styles.compact)}>
      <p className={styles.title}>{title}</p>
      <p className={styles.text}>
        <code className={styles.code}>{code}</code> {detail}
      </p>
      {onRetry && (
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/** A load in progress, announced once to screen readers; `lines` grey bars stand in for the content. */
export function Loading({ label = 'Loading…', lines = 3 }: { label?: string; lines?: number }) {
  return (
    <div role="status" aria-live="polite" className={styles.loading}>
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, index) => (
        <Skeleton key={index} size={SIZES[index % SIZES.length]} />
      ))}
    </div>
  );
}

const SIZES = ['long', 'medium', 'short'] as const;

/** A grey bar where text will be (widths are classes: the CSP allows no inline style attributes). */
export function Skeleton({ size = 'long' }: { size?: (typeof SIZES)[number] }) {
  return <span aria-hidden="true" className={cx(styles.skeleton, styles[size])} />;
}
