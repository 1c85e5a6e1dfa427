import { useId, type ChangeEvent } from 'react';
import { Select } from '@web/components';
import { humanize } from '@web/lib/format';
import { useCatalog } from '../search/api';
import { STATUSES } from '../search/search-params';
import type { FormErrors, SelectionState } from './bulk-form-state';
import styles from './bulk.module.css';

const WINDOWS = [7, 14, 30, 60, 90, 365];
/** The API takes files up to 2,000,000 characters. */
const MAX_FILE_BYTES = 2_000_000;

/** Step 1: the licenses, by filter or by an uploaded CSV of license ids or customer e-mails. */
export function SelectionFields({ value, onChange, errors }: { value: SelectionState; onChange: (next: SelectionState) => void; errors: FormErrors }) {
  const catalog = useCatalog();
  const fileId = useId();
  const products = catalog.data?.products ?? [];
  const productId = products.find((product) => product.code === value.product)?.id;
  const plans = (catalog.data?.plans ?? []).filter((plan) => !productId || plan.product_id === productId);
  const planCodes = [...new Set(plans.map((plan) => plan.code))].sort();
  const tiers = [...new Set((catalog.data?.plans ?? []).map((plan) => plan.tier))].sort();
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
        <div className={styles.filterGrid}>
          <Select label="Status" value={value.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Any status</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {humanize(status)}
              </option>
            ))}
          </Select>
          <Select label="Product" value={value.product} onChange={(e) => set({ product: e.target.value, plan: '' })} disabled={catalog.isPending}>
            <option value="">Any product</option>
            {products.map((product) => (
              <option key={product.id} value={product.code}>
                {product.name}
              </option>
            ))}
          </Select>
          <Select label="Plan" value={value.plan} onChange={(e) => set({ plan: e.target.value })} disabled={catalog.isPending}>
            <option value="">Any plan</option>
            {planCodes.map((code) => (
              <option key={code} value={code}>
                {plans.find((plan) => plan.code === code)?.name ?? code} ({code})
              </option>
            ))}
          </Select>
          <Select label="Tier" value={value.tier} onChange={(e) => set({ tier: e.target.value })} disabled={catalog.isPending}>
            <option value="">Any tier</option>
            {tiers.map((tier) => (
              <option key={tier} value={tier}>
                {tier}
              </option>
            ))}
          </Select>
          <Select label="Expiring" value={value.expiring} onChange={(e) => set({ expiring: e.target.value })}>
            <option value="">Any time</option>
            {WINDOWS.map((days) => (
              <option key={days} value={days}>
                Within {days} days
              </option>
            ))}
          </Select>
          {errors.selection && (
            <p className={styles.fieldError} role="alert">
              {errors.selection}
            </p>
          )}
        </div>
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
            {value.file && value.file.rows >= 0 && ` Read ${value.file.rows} row${value.file.rows === 1 ? '' : 's'} from ${value.file.name}.`}
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
