import { useId, type ComponentProps, type ReactNode } from 'react';
import { cx } from '../lib/cx';
import styles from './field.module.css';

/**
 * Form controls with their label, hint and error wired for assistive technology: the hint and
 * the error are the control's `aria-describedby`, an error sets `aria-invalid`.
 */
interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  /** Hide the label visually (it stays the accessible name). */
  hideLabel?: boolean;
  className?: string;
}

function useFieldIds(id?: string) {
  const generated = useId();
  const base = id ?? generated;
  return { id: base, hint: `${base}-hint`, error: `${base}-error` };
}

/** The hint and the error under a control, with the ids its `aria-describedby` names. */
function Messages({ ids, hint, error }: { ids: ReturnType<typeof useFieldIds>; hint?: ReactNode; error?: string | null }) {
  return (
    <>
      {hint && (
        <p id={ids.hint} className={styles.hint}>
          {hint}
        </p>
      )}
      {error && (
        <p id={ids.error} className={styles.error}>
          {error}
        </p>
      )}
    </>
  );
}

function Frame({ ids, label, hint, error, hideLabel, className, children }: FieldProps & { ids: ReturnType<typeof useFieldIds>; children: ReactNode }) {
  return (
    <div className={cx(styles.field, className)}>
      <label htmlFor={ids.id} className={cx(styles.label, hideLabel && 'visually-hidden')}>
        {label}
      </label>
      {children}
      <Messages ids={ids} hint={hint} error={error} />
    </div>
  );
}

const describedBy = (ids: ReturnType<typeof useFieldIds>, hint: unknown, error: unknown) => [hint && ids.hint, error && ids.error].filter(Boolean).join(' ') || undefined;

export function TextField({ label, hint, error, hideLabel, className, id, ...input }: FieldProps & ComponentProps<'input'>) {
  const ids = useFieldIds(id);
  return (
    <Frame ids={ids} label={label} hint={hint} error={error} hideLabel={hideLabel} className={className}>
      <input {...input} id={ids.id} className={styles.control} aria-invalid={error ? true : undefined} aria-describedby={describedBy(ids, hint, error)} />
    </Frame>
  );
}

export function DateField(props: FieldProps & Omit<ComponentProps<'input'>, 'type'>) {
  return <TextField {...props} type="date" />;
}

export function TextArea({ label, hint, error, hideLabel, className, id, ...area }: FieldProps & ComponentProps<'textarea'>) {
  const ids = useFieldIds(id);
  return (
    <Frame ids={ids} label={label} hint={hint} error={error} hideLabel={hideLabel} className={className}>
      <textarea {...area} id={ids.id} className={cx(styles.control, styles.area)} aria-invalid={error ? true : undefined} aria-describedby={describedBy(ids, hint, error)} />
    </Frame>
  );
}

export function Select({ label, hint, error, hideLabel, className, id, children, ...select }: FieldProps & ComponentProps<'select'>) {
  const ids = useFieldIds(id);
  return (
    <Frame ids={ids} label={label} hint={hint} error={error} hideLabel={hideLabel} className={className}>
      <select {...select} id={ids.id} className={cx(styles.control, styles.select)} aria-invalid={error ? true : undefined} aria-describedby={describedBy(ids, hint, error)}>
        {children}
      </select>
    </Frame>
  );
}

export function Checkbox({ label, hint, error, className, id, ...input }: Omit<FieldProps, 'hideLabel'> & Omit<ComponentProps<'input'>, 'type'>) {
  const ids = useFieldIds(id);
  return (
    <div className={cx(styles.checkbox, className)}>
      <input {...input} type="checkbox" id={ids.id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(ids, hint, error)} />
      <div>
        <label htmlFor={ids.id}>{label}</label>
        <Messages ids={ids} hint={hint} error={error} />
      </div>
    </div>
  );
}
