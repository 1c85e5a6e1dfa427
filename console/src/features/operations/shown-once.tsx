import { CopyButton } from '@web/components';
import styles from './operations.module.css';

/**
 * A secret the API answers once (an API token, an invitation link no e-mail carried): shown in
 * full with a copy button, and said plainly that it will not be shown again.
 */
export function ShownOnce({ label, value, children }: { label: string; value: string; children?: React.ReactNode }) {
  return (
    <div className={styles.secret} role="group" aria-label={label}>
      <code>{value}</code>
      <CopyButton value={value} label={`Copy the ${label.toLowerCase()}`} />
      <p>{children ?? 'Copy it now: it is not shown again.'}</p>
    </div>
  );
}
