import type { ReactNode } from 'react';
import { cx } from '../lib/cx';
import styles from './notice.module.css';

/**
 * A sentence the page needs the reader to see, where they acted: information, a warning, or a
 * refusal. `danger` is announced at once (role alert); `announce` makes the others a polite
 * status (for text that appears after an action).
 */
export function Notice({ tone = 'info', announce = false, children }: { tone?: 'info' | 'warning' | 'danger'; announce?: boolean; children: ReactNode }) {
  const role = tone === 'danger' ? 'alert' : announce ? 'status' : undefined;
  return (
    <p className={cx(styles.notice, styles[tone])} role={role}>
      {children}
    </p>
  );
}
