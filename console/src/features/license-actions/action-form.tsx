import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError, type ApiError } from '@web/api/api-error';
import { Button, TextArea } from '@web/components';
import { draftKey, useDraft } from '@web/hooks/use-draft';
import type { ActionFormProps } from './registry';
import styles from './license-actions.module.css';

/**
 * A field of an action's form kept as a draft (it survives a lost session), under what the action
 * is about: `licenses/<id>` or `accounts/<id>`.
 */
export function useActionDraft(subject: string, actionId: string, field: string, initial = '') {
  return useDraft(draftKey(`/${subject}`, `${actionId}:${field}`), initial);
}

export type FieldError = (field: string) => string | undefined;

/** The frame's props every license action passes on: `<ActionFormFrame {...frameOf(props, 'suspend')} …/>`. */
export const frameOf = ({ license, done, cancel }: ActionFormProps, actionId: string) => ({ subject: `licenses/${license.id}`, actionId, done, cancel });

interface ActionFormFrameProps extends Pick<ActionFormProps, 'done' | 'cancel'> {
  /** What the drafts are kept under: `licenses/<id>`, `accounts/<id>`. */
  subject: string;
  actionId: string;
  /** What will change, in plain words (and, where there is one, the server's preview). */
  summary: ReactNode;
  /** The action's own fields; `fieldError` gives each its message from a refused request. */
  fields?: (fieldError: FieldError) => ReactNode;
  confirmLabel: string;
  tone?: 'danger';
  reasonLabel?: string;
  reasonHint?: string;
  /** The request fields this form shows (a refusal naming one is shown there). */
  fieldNames?: string[];
  /** A problem code the API answers about one of the fields (INVALID_DATE → `until`): shown there. */
  codeFields?: Record<string, string>;
  /** Checks before anything is sent: a message for a field (`{ field, message }`) or the form. */
  check?: () => { field?: string; message: string } | null;
  /** Not yet ready to run (a preview still loading). */
  blocked?: boolean;
  /** Runs the action with the reason; answers the sentence the page shows as the result (and what to show under it). */
  run: (reason: string) => Promise<string | { result: string; detail: ReactNode }>;
  /** Drafts to forget once it ran (besides the reason). */
  clearDrafts?: Array<() => void>;
}

/**
 * The frame every license action shares: what will change, the action's fields, the reason
 * (required: it goes to the audit trail), and the buttons. A refused request is shown where the
 * user acted: a field's problem at the field, anything else above the buttons, with its code.
 * A lost session is left to the app (back to sign-in; the drafts stay).
 */
export function ActionFormFrame({ subject, actionId, done, cancel, summary, fields, confirmLabel, tone, reasonLabel = 'Reason', reasonHint, fieldNames = [], codeFields = {}, check, blocked, run, clearDrafts = [] }: ActionFormFrameProps) {
  const queryClient = useQueryClient();
  const [reason, setReason, clearReason] = useActionDraft(subject, actionId, 'reason');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | { field?: string; message: string } | null>(null);

  const fieldError: FieldError = (field) => {
    if (!failure) return undefined;
    if (isApiError(failure)) return failure.fieldMessage(field) ?? (codeFields[failure.code] === field ? failure.detail : undefined);
    return failure.field === field ? failure.message : undefined;
  };
  // Shown above the buttons unless every part of it is shown at a field of this form.
  const atFields = new Set(['reason', ...fieldNames]);
  const shownAtFields = (error: ApiError) => (error.errors.length > 0 ? error.errors.every((e) => atFields.has(e.field)) : atFields.has(codeFields[error.code] ?? ''));
  // A keyboard user lands on what was refused: the first field marked invalid.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (failure) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failure]);
  const formError = !failure ? null : isApiError(failure) ? (shownAtFields(failure) ? null : failure) : failure.field ? null : failure;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = check?.() ?? (reason.trim() ? null : { field: 'reason', message: 'Write why: it goes to the audit trail.' });
    if (local) {
      setFailure(local);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const outcome = await run(reason.trim());
      clearReason();
      for (const clear of clearDrafts) clear();
      await queryClient.invalidateQueries();
      if (typeof outcome === 'string') done(outcome);
      else done(outcome.result, outcome.detail);
    } catch (error) {
      // A lost session takes the page to sign-in, where it comes back with these drafts.
      if (isApiError(error) && error.status === 401) return;
      setFailure(isApiError(error) ? error : { message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} onSubmit={submit} className={styles.form} noValidate aria-label={confirmLabel}>
      <div className={tone === 'danger' ? `${styles.summary} ${styles.danger}` : styles.summary}>{summary}</div>
      {fields?.(fieldError)}
      <TextArea
        label={reasonLabel}
        hint={reasonHint ?? 'Required. Goes to the audit trail with your name.'}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          // The reason's own message goes once something is written.
          if (failure && !isApiError(failure) && failure.field === 'reason') setFailure(null);
        }}
        error={fieldError('reason')}
        rows={2}
        maxLength={1000}
        required
      />
      {formError && (
        <p role="alert" className={styles.formError}>
          {isApiError(formError) ? (
            <>
              <code>{formError.code}</code> {formError.detail}
              {formError.status === 409 && <span className={styles.hint}> The license changed meanwhile: cancel to see it as it is now.</span>}
            </>
          ) : (
            formError.message
          )}
        </p>
      )}
      <div className={styles.buttons}>
        <Button onClick={cancel}>Cancel</Button>
        <Button type="submit" variant={tone === 'danger' ? 'danger' : 'primary'} busy={busy} disabled={blocked}>
          {confirmLabel}
        </Button>
      </div>
    </form>
  );
}
