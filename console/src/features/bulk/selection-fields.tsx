import { useId, type ChangeEvent } from 'react';
import { SearchFiltersBar } from '../search/search-filters';
import type { FormErrors, SelectionState } from './bulk-form-state';
import styles from './bulk.module.css';

/** The API takes files up to 2,000,000 characters. */
const MAX_FILE_BYTES = 2_000_000;

/** Step 1: the licenses, by filter or by an uploaded CSV of license ids or customer e-mails. */
export function SelectionFields({ value, onChange, errors }: { value: SelectionState; onChange: (next: SelectionState) => void; errors: FormErrors }) {
  const fileId = useId();
  const set = (change: Partial<SelectionState>) => onChange({ ...value, ...change });

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return set({ file: null });
    if (file.size > MAX_FILE_BYTES) {
      event.target.value = '';
      return set({ file: { name: file.name, text: '', rows: -1 } });
    }
    const text = await file.text();
    set({ file: { name: file.name, text, rows: text.split(/\r\n|\n|\r/).filter((line) => line.trim()).length } });
  };
  const fileError = errors.csv ?? (value.file?.rows === -1 ? 'The file is larger than 2 MB: split it.' : null);

  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>1. Choose the licenses</legend>
      <div className={styles.modes} role="radiogroup" aria-label="How to choose">
        {(['filter', 'csv'] as const).map((mode) => (
          <label key={mode} className={styles.mode}>
            <input type="radio" name="selection-mode" value={mode} checked={value.mode === mode} onChange={() => set({ mode })} />
            {mode === 'filter' ? 'By filter' : 'By CSV file'}
          </label>
        ))}
      </div>
      {value.mode === 'filter' ? (
        <>
          <SearchFiltersBar filters={value.filter} onChange={(filter) => set({ filter })} />
          {errors.selection && (
            <p className={styles.fieldError} role="alert">
              {errors.selection}
            </p>
          )}
        </>
      ) : (
        <div className={styles.fileField}>
          <label htmlFor={fileId} className={styles.label}>
            CSV file
          </label>
          <input
            id={fileId}
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(event) => void readFile(event)}
            aria-describedby={`${fileId}-hint${fileError ? ` ${fileId}-error` : ''}`}
            aria-invalid={fileError ? true : undefined}
          />
          <p id={`${fileId}-hint`} className={styles.hint}>
            One license id or customer e-mail per row, in the first column or a column headed <code>email</code>, <code>license_id</code> or <code>id</code>. An e-mail
            chooses each of that customer&rsquo;s licenses.
            {value.file && value.file.rows >= 0 && ` Read ${value.file.rows} line${value.file.rows === 1 ? '' : 's'} from ${value.file.name}.`}
          </p>
          {fileError && (
            <p id={`${fileId}-error`} className={styles.fieldError}>
              {fileError}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}
