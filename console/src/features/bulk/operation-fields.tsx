import { DateField, Select, TextField } from '@web/components';
import { useCatalog } from '../search/api';
import type { BulkOperationSpec } from './api';
import type { FormErrors, OperationState } from './bulk-form-state';
import { OPERATION_LABELS } from './describe';
import styles from './bulk.module.css';

/** Step 2: the change, with the value it needs. */
export function OperationFields({ value, onChange, errors }: { value: OperationState; onChange: (next: OperationState) => void; errors: FormErrors }) {
  const catalog = useCatalog();
  const set = (change: Partial<OperationState>) => onChange({ ...value, ...change });
  const products = catalog.data?.products ?? [];
  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>2. Choose the change</legend>
      <div className={styles.operationGrid}>
        <Select label="Operation" value={value.type} onChange={(e) => set({ type: e.target.value as BulkOperationSpec['type'] })}>
          {Object.entries(OPERATION_LABELS).map(([type, label]) => (
            <option key={type} value={type}>
              {label}
            </option>
          ))}
        </Select>
        {value.type === 'extend_expiry' && (
          <TextField label="Days" inputMode="numeric" value={value.days} onChange={(e) => set({ days: e.target.value })} error={errors.days} hint="Added to each expiry (a trial's end for a trial)." />
        )}
        {value.type === 'extend_expiry_to' && (
          <DateField label="New expiry" value={value.until} onChange={(e) => set({ until: e.target.value })} error={errors.until} hint="Licenses already running past it are skipped." />
        )}
        {value.type === 'change_plan' && (
          <Select label="New plan" value={value.planId} onChange={(e) => set({ planId: e.target.value })} error={errors.plan_id} hint="Effective now; licenses of other products are skipped." disabled={catalog.isPending}>
            <option value="">Choose a plan</option>
            {(catalog.data?.plans ?? []).map((plan) => (
              <option key={plan.id} value={plan.id}>
                {products.find((product) => product.id === plan.product_id)?.name ?? 'Product'} · {plan.name} ({plan.code})
              </option>
            ))}
          </Select>
        )}
        {value.type === 'set_seat_limit' && <TextField label="Seat limit" inputMode="numeric" value={value.seatLimit} onChange={(e) => set({ seatLimit: e.target.value })} error={errors.seat_limit} />}
        {(value.type === 'add_feature' || value.type === 'remove_feature') && (
          <TextField label="Feature" value={value.feature} onChange={(e) => set({ feature: e.target.value })} error={errors.feature} hint="Its name, e.g. export or sso." spellCheck={false} autoComplete="off" />
        )}
      </div>
    </fieldset>
  );
}
