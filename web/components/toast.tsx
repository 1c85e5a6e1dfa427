import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { cx } from '../lib/cx';
import styles from './toast.module.css';

/**
 * Short confirmations ("Note added") in a polite live region, so screen readers announce
 * them without moving focus; errors go in an assertive one. Each fades after a few seconds
 * and can be dismissed.
 */
interface ToastItem {
  id: number;
  tone: 'success' | 'error' | 'info';
  message: string;
}

type Show = (message: string, tone?: ToastItem['tone']) => void;
const ToastContext = createContext<Show>(() => {});

export const useToast = () => useContext(ToastContext);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const dismiss = useCallback((id: number) => setItems((current) => current.filter((item) => item.id !== id)), []);
  const show = useCallback<Show>(
    (message, tone = 'success') => {
      const id = Date.now() + Math.random();
      setItems((current) => [...current.slice(-3), { id, tone, message }]);
      setTimeout(() => dismiss(id), tone === 'error' ? 10_000 : 5_000);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  const region = (tone: 'polite' | 'assertive') => (
    <div className={styles.region} aria-live={tone} role={tone === 'assertive' ? 'alert' : 'status'}>
      {items
        .filter((item) => (item.tone === 'error') === (tone === 'assertive'))
        .map((item) => (
          <div key={item.id} className={cx(styles.toast, styles[item.tone])}>
            <span>{item.message}</span>
            <button type="button" className={styles.close} onClick={() => dismiss(item.id)} aria-label="Dismiss">
              ×
            </button>
          </div>
        ))}
    </div>
  );
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className={styles.stack}>
        {region('polite')}
        {region('assertive')}
      </div>
    </ToastContext.Provider>
  );
}
