import type { AnchorHTMLAttributes, ButtonHTMLAttributes, ReactNode } from 'react';
import { Link, type LinkProps } from 'react-router';
import { cx } from '../lib/cx';
import styles from './button.module.css';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

interface Look {
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement>, Look {
  /** Shows a spinner, keeps the label, and refuses clicks while an action runs. */
  busy?: boolean;
  icon?: ReactNode;
}

const classes = ({ variant = 'secondary', size = 'md' }: Look, extra?: string) => cx(styles.button, styles[variant], size === 'sm' && styles.sm, extra);

export function Button({ variant, size, busy = false, icon, className, children, disabled, type = 'button', ...rest }: ButtonProps) {
  return (
    <button {...rest} type={type} className={classes({ variant, size }, className)} disabled={disabled || busy} aria-busy={busy || undefined}>
      {busy ? <span className={styles.spinner} aria-hidden="true" /> : icon}
      {children}
    </button>
  );
}

/** A link that looks like a button (navigation, not an action). */
export function ButtonLink({ variant, size, className, ...rest }: LinkProps & Look) {
  return <Link {...rest} className={classes({ variant, size }, className)} />;
}

/** A plain link (outside the app's router, e.g. to an API endpoint that redirects) that looks like a button. */
export function ButtonAnchor({ variant, size, className, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & Look) {
  return <a {...rest} className={classes({ variant, size }, className)} />;
}
