import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Button, type ButtonVariant } from './button';
import { TextArea } from './field';
import styles from './dialog.module.css';

/**
 * A modal dialog on the native <dialog> element (showModal): the page behind is inert, so
 * focus stays inside; Esc closes it; focus returns to what had it before. `onClose` is told
 * whenever it closes, by Esc, the close button or the caller.
 */
export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  /** `wide` for content with tables, `top` for a palette that lists results under its input. */
  variant?: 'default' | 'wide' | 'top';
  /** The accessible name when the title is not shown (the palette). */
  hideTitle?: boolean;
}

export function Dialog({ open, onClose, title, description, children, footer, variant = 'default', hideTitle = false }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const closed = () => {
      returnFocus.current?.focus();
      returnFocus.current = null;
      onClose();
    };
    dialog.addEventListener('close', closed);
    return () => dialog.removeEventListener('close', closed);
  }, [onClose]);

  return (
    <dialog ref={ref} className={`${styles.dialog} ${styles[variant]}`} aria-labelledby={titleId} aria-describedby={description ? descriptionId : undefined}>
      {open && (
        <div className={styles.body}>
          <header className={hideTitle ? 'visually-hidden' : styles.header}>
            <h2 id={titleId} className={styles.title}>
              {title}
            </h2>
            {description && (
              <p id={descriptionId} className={styles.description}>
                {description}
              </p>
            )}
          </header>
          {children}
          {footer && <footer className={styles.footer}>{footer}</footer>}
        </div>
      )}
    </dialog>
  );
}

/**
 * A confirmation that states what will change and, where the action needs one, asks for the
 * reason (it goes to the audit trail). `onConfirm` rejects with an error to show in the dialog.
 */
export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  /** What will change, in plain words. */
  children: ReactNode;
  confirmLabel: string;
  variant?: ButtonVariant;
  reason?: { label: string; hint?: string; required?: boolean };
  onConfirm: (reason: string) => Promise<void>;
}

export function ConfirmDialog({ open, onClose, title, children, confirmLabel, variant = 'primary', reason, onConfirm }: ConfirmDialogProps) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = useId();

  useEffect(() => {
    if (open) {
      setText('');
      setError(null);
    }
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason?.required && !text.trim()) {
      setError('A reason is required.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(text.trim());
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant={variant} busy={busy}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className={styles.form} noValidate>
        <div className={styles.summary}>{children}</div>
        {reason && <TextArea label={reason.label} hint={reason.hint} value={text} onChange={(event) => setText(event.target.value)} error={error} required={reason.required} />}
        {!reason && error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
