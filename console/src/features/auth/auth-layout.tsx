import type { ReactNode } from 'react';
import styles from './auth.module.css';

/** The frame of the pages before sign-in: the product's name and one card. */
export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <p className={styles.brand}>
          <img src="/admin/favicon.svg" alt="" width={28} height={28} /> Keywarden
        </p>
        <h1 className={styles.title}>{title}</h1>
        {children}
      </div>
      {footer && <div className={styles.footer}>{footer}</div>}
    </main>
  );
}
