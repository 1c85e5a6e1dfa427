import type { ReactNode } from 'react';
import styles from './kbd.module.css';

/** A key to press: `<Kbd>⌘</Kbd><Kbd>K</Kbd>`. */
export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className={styles.kbd}>{children}</kbd>;
}
