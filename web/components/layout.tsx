import type { ReactNode } from 'react';
import { cx } from '../lib/cx';
import styles from './layout.module.css';

/** A page's heading (the one h1), what it is about, and its actions. */
export function PageHeader({ title, description, actions, eyebrow }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; eyebrow?: ReactNode }) {
  return (
    <header className={styles.pageHeader}>
      <div className={styles.pageTitles}>
        {eyebrow && <p className={styles.eyebrow}>{eyebrow}</p>}
        <h1 className={styles.title}>{title}</h1>
        {description && <div className={styles.description}>{description}</div>}
      </div>
      {actions && <div className={styles.actions}>{actions}</div>}
    </header>
  );
}

/** A titled card of the page. */
export function Section({ title, actions, children, className, id }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; id?: string }) {
  return (
    <section className={cx(styles.section, className)} aria-labelledby={title && id ? `${id}-title` : undefined} id={id}>
      {(title || actions) && (
        <div className={styles.sectionHeader}>
          {title && (
            <h2 className={styles.sectionTitle} id={id ? `${id}-title` : undefined}>
              {title}
            </h2>
          )}
          {actions && <div className={styles.actions}>{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

/** Label/value pairs (`<dl>`), in a grid that wraps on a phone. */
export function DescriptionList({ items }: { items: Array<{ term: ReactNode; value: ReactNode; key?: string; /** A long value: the whole row. */ wide?: boolean }> }) {
  return (
    <dl className={styles.dl}>
      {items.map((item, index) => (
        <div key={item.key ?? index} className={cx(styles.pair, item.wide && styles.wide)}>
          <dt>{item.term}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Stack({ children, gap = 'md', className }: { children: ReactNode; gap?: 'sm' | 'md' | 'lg'; className?: string }) {
  return <div className={cx(styles.stack, styles[`gap-${gap}`], className)}>{children}</div>;
}
