import { useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';
import { Checkbox, ErrorState, Loading, TextArea, TextField } from '@web/components';
import { useDebounced } from '@web/hooks/use-debounced';
import { ActionFormFrame, frameOf, useActionDraft } from '../action-form';
import { ChangeList } from '../change-list';
import type { ActionFormProps, LicenseAction } from '../registry';
import styles from '../license-actions.module.css';

type Preview = Schemas['LicenseTermsPreview'];
type Overrides = Schemas['PolicyOverrides'];

const lines = (text: string) => text.split(/[\n,]/).map((line) => line.trim()).filter(Boolean);

/** The request the form's fields make, or the field that is wrong. */
function requestOf(license: ActionFormProps['license'], fields: { seats: string; unlimited: string; domains: string; reminders: string; features: string; renewalValue: string; currency: string }) {
  const overrides: Record<string, unknown> = { ...license.overrides };
  // Each field blank: the plan's own value (the override is dropped).
  if (fields.unlimited) overrides.seat_limit = null;
  else if (fields.seats.trim()) {
    const seats = Number(fields.seats);
    if (!Number.isInteger(seats) || seats < 1) return { error: { field: 'overrides.seat_limit', message: 'A whole number of seats, 1 or more (or tick Unlimited).' } };
    overrides.seat_limit = seats;
  } else delete overrides.seat_limit;
  if (lines(fields.domains).length) overrides.allowed_domains = lines(fields.domains);
  else delete overrides.allowed_domains;
  if (fields.reminders.trim()) {
    const days = lines(fields.reminders).map(Number);
    if (days.some((day) => !Number.isInteger(day) || day < 0)) return { error: { field: 'overrides.reminder_offsets_days', message: 'Whole numbers of days before expiry, separated by commas.' } };
    overrides.reminder_offsets_days = days;
  } else delete overrides.reminder_offsets_days;
  if (fields.features.trim()) {
    try {
      const parsed: unknown = JSON.parse(fields.features);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      overrides.features = parsed;
    } catch {
      return { error: { field: 'overrides.features', message: 'A JSON object of feature names to true/false, a number or a text: {"sso": true, "projects": 50}.' } };
    }
  } else delete overrides.features;
  const metadata: Record<string, unknown> = { ...license.metadata };
  if (fields.renewalValue.trim()) {
    const value = Number(fields.renewalValue);
    if (!Number.isFinite(value) || value < 0) return { error: { field: 'metadata.renewal_value', message: 'An amount, such as 12000 or 990.50.' } };
    metadata.renewal_value = value;
  } else delete metadata.renewal_value;
  if (fields.currency.trim()) metadata.currency = fields.currency.trim().toUpperCase();
  else delete metadata.currency;
  return { body: { overrides: overrides as Overrides, metadata } };
}

/**
 * A license's own terms: seats, domain lock, reminders and features over its plan's, and the
 * renewal value the CRM task shows. The server's dry run says what will change as it is typed.
 */
function EditTermsForm(props: ActionFormProps) {
  const { license } = props;
  const initial = (value: unknown) => (value === undefined || value === null ? '' : Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value));
  const useField = (field: string, value: string) => useActionDraft(`licenses/${license.id}`, 'edit-terms', field, value);
  const [seats, setSeats, clearSeats] = useField('seats', initial(license.overrides.seat_limit));
  const [unlimited, setUnlimited, clearUnlimited] = useField('unlimited', 'seat_limit' in license.overrides && license.overrides.seat_limit === null ? 'yes' : '');
  const [domains, setDomains, clearDomains] = useField('domains', (license.overrides.allowed_domains ?? []).join('\n'));
  const [reminders, setReminders, clearReminders] = useField('reminders', initial(license.overrides.reminder_offsets_days));
  const [features, setFeatures, clearFeatures] = useField('features', initial(license.overrides.features));
  const [renewalValue, setRenewalValue, clearRenewalValue] = useField('renewal_value', initial(license.metadata.renewal_value));
  const [currency, setCurrency, clearCurrency] = useField('currency', initial(license.metadata.currency));
  const request = requestOf(license, { seats, unlimited, domains, reminders, features, renewalValue, currency });
  // The dry run follows the fields once typing pauses (compared as text: each render builds a new object).
  const typed = JSON.stringify(request.body ?? null);
  const settled = useDebounced(typed, 300);
  const preview = useQuery({
    queryKey: ['terms-preview', license.id, license.version, settled],
    enabled: settled !== 'null',
    queryFn: () => data(api.PATCH('/v1/licenses/{id}', { params: { path: { id: license.id } }, body: { ...(JSON.parse(settled) as NonNullable<typeof request.body>), reason: 'preview', dry_run: true } })) as Promise<Preview>,
  });
  const policy = license.policy;

  return (
    <ActionFormFrame
      {...frameOf(props, 'edit-terms')}
      confirmLabel="Save terms"
      blocked={!request.body || !preview.data || preview.data.changes.length === 0 || settled !== typed}
      summary={
        request.error ? (
          <p>Fix the field marked below to see what would change.</p>
        ) : preview.isError ? (
          <ErrorState compact title="The change could not be previewed" error={preview.error} />
        ) : !preview.data ? (
          <Loading label="Previewing the change…" lines={2} />
        ) : preview.data.changes.length === 0 ? (
          <p>Nothing changes yet. A field left blank takes the plan's value.</p>
        ) : (
          <>
            <p>
              <strong>These terms change</strong>
              {preview.data.lifecycle_changed ? ', and the license workflow plans its reminders and grace periods again' : ''}. The next validation sees them.
            </p>
            <ChangeList changes={preview.data.changes} />
          </>
        )
      }
      fieldNames={['overrides.seat_limit', 'overrides.allowed_domains', 'overrides.reminder_offsets_days', 'overrides.features', 'metadata.renewal_value', 'metadata.currency']}
      check={() => (request.error ? request.error : null)}
      fields={(fieldError) => (
        <>
          <div className={styles.row}>
            <TextField label="Seat limit" inputMode="numeric" hint={`Blank: the plan's (${policy.seat_limit ?? 'unlimited'}).`} value={seats} disabled={Boolean(unlimited)} onChange={(e) => setSeats(e.target.value)} error={fieldError('overrides.seat_limit')} />
            <Checkbox label="Unlimited seats" checked={Boolean(unlimited)} onChange={(e) => setUnlimited(e.target.checked ? 'yes' : '')} />
          </div>
          <TextArea label="Allowed domains" hint="One per line (example.com, *.example.com). Blank: the plan's." rows={2} value={domains} onChange={(e) => setDomains(e.target.value)} error={fieldError('overrides.allowed_domains') ?? fieldError('overrides.allowed_domains.0')} />
          <TextField label="Renewal reminders (days before expiry)" hint={`Comma-separated. Blank: the plan's (${(policy.reminder_offsets_days as number[]).join(', ')}).`} value={reminders} onChange={(e) => setReminders(e.target.value)} error={fieldError('overrides.reminder_offsets_days')} />
          <TextArea label="Features (JSON)" hint='Replaces the plan&apos;s whole set, e.g. {"sso": true, "projects": 50}. Blank: the plan&apos;s.' rows={2} value={features} onChange={(e) => setFeatures(e.target.value)} error={fieldError('overrides.features')} />
          <div className={styles.row}>
            <TextField label="Renewal value" inputMode="decimal" hint="What the CRM renewal task shows." value={renewalValue} onChange={(e) => setRenewalValue(e.target.value)} error={fieldError('metadata.renewal_value')} />
            <TextField label="Currency" hint="USD when blank." maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} error={fieldError('metadata.currency')} />
          </div>
        </>
      )}
      clearDrafts={[clearSeats, clearUnlimited, clearDomains, clearReminders, clearFeatures, clearRenewalValue, clearCurrency]}
      run={async (reason) => {
        const answer = await data(api.PATCH('/v1/licenses/{id}', { params: { path: { id: license.id } }, body: { ...request.body!, reason, dry_run: false } }));
        return `Terms saved (version ${'version' in answer ? answer.version : '?'}). The next validation sees them.`;
      }}
    />
  );
}

export const editTerms: LicenseAction = {
  id: 'edit-terms',
  label: 'Edit terms',
  order: 70,
  scope: 'licenses:write',
  appliesTo: (license) => license.status !== 'REVOKED',
  Form: EditTermsForm,
};
