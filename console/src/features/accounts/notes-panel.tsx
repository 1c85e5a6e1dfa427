import { useState, type FormEvent } from 'react';
import { isApiError } from '@web/api/api-error';
import { Button, EmptyState, ErrorState, Loading, Section, TextArea, Time, useToast } from '@web/components';
import { draftKey, useDraft } from '@web/hooks/use-draft';
import { useSession } from '../auth/session';
import { useAddNote, useNotes } from './api';
import styles from './accounts.module.css';

/**
 * Staff notes on the account ("called 3 March, promised an extension"). What is typed is kept
 * as a draft of this page: if the session expires before it is saved, it is still here after
 * signing in again.
 */
export function NotesPanel({ customerId }: { customerId: string }) {
  const notes = useNotes(customerId);
  const add = useAddNote(customerId);
  const toast = useToast();
  const { can } = useSession();
  const [text, setText, clearText] = useDraft(draftKey(`/accounts/${customerId}`, 'note'));
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      setError('Write the note first.');
      return;
    }
    setError(null);
    try {
      await add.mutateAsync(text.trim());
      clearText();
      toast('Note added');
    } catch (failure) {
      // A lost session takes the page to sign-in (the draft stays); anything else is said here.
      if (isApiError(failure) && failure.status === 401) return;
      setError(isApiError(failure) ? (failure.fieldMessage('body') ?? `${failure.detail} (${failure.code})`) : String(failure));
    }
  };

  return (
    <Section title="Notes" id="notes">
      {can('customers:notes') && (
        <form onSubmit={submit} className={styles.noteForm} noValidate>
          <TextArea label="Add a note" hint="Staff only: customers never see notes." value={text} onChange={(e) => setText(e.target.value)} error={error} rows={3} maxLength={5000} />
          <div>
            <Button type="submit" size="sm" variant="primary" busy={add.isPending}>
              Add note
            </Button>
          </div>
        </form>
      )}
      {notes.isPending ? (
        <Loading lines={2} />
      ) : notes.isError ? (
        <ErrorState compact error={notes.error} onRetry={() => void notes.refetch()} />
      ) : notes.data.data.length === 0 ? (
        <EmptyState compact title="No notes yet">Notes keep what a call or an e-mail agreed, for whoever picks up the account next.</EmptyState>
      ) : (
        <ol className={styles.notes} aria-label="Notes, newest first">
          {notes.data.data.map((note) => (
            <li key={note.id} className={styles.note}>
              <p className={styles.noteBody}>{note.body}</p>
              <p className={styles.secondary}>
                {note.author} · <Time value={note.created_at} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
