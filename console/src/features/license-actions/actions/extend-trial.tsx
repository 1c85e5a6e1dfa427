import { api, data } from '@web/api/client';
import { DateField, Time } from '@web/components';
import { ActionFormFrame, frameOf, useActionDraft } from '../action-form';
import { dayAfter, endOfDayUtc, isDay, utcDay } from '../dates';
import type { ActionFormProps, LicenseAction } from '../registry';

function ExtendTrialForm(props: ActionFormProps) {
  const { license } = props;
  const current = license.trial_ends_at;
  const [day, setDay, clearDay] = useActionDraft(`licenses/${license.id}`, 'extend-trial', 'until', dayAfter(14, current));
  return (
    <ActionFormFrame
      {...frameOf(props, 'extend-trial')}
      confirmLabel="Extend trial"
      reasonLabel="Note"
      summary={
        <>
          <p>
            The trial ends <Time value={current} empty="(no end date)" /> now. It will end at the end of <strong>{isDay(day) ? day : '…'}</strong> (UTC).
          </p>
          <p className="muted">Applied at once: the customer's next validation returns the new date. The key and its seats stay as they are.</p>
        </>
      }
      fieldNames={['until']}
      codeFields={{ INVALID_DATE: 'until', NOT_TRIALING: 'until' }}
      check={() => (!isDay(day) ? { field: 'until', message: 'Pick the new end date.' } : current && endOfDayUtc(day) <= current ? { field: 'until', message: `Pick a date after ${utcDay(current)}.` } : null)}
      fields={(fieldError) => <DateField label="New trial end" hint="The trial runs through this day (UTC)." value={day} min={dayAfter(0)} onChange={(e) => setDay(e.target.value)} error={fieldError('until')} required />}
      clearDrafts={[clearDay]}
      run={async (reason) => {
        await data(api.POST('/v1/licenses/{id}/extend-trial', { params: { path: { id: license.id } }, body: { until: endOfDayUtc(day), reason } }));
        return `Trial extended to ${day}. The customer's next validation returns the new date.`;
      }}
    />
  );
}

export const extendTrial: LicenseAction = {
  id: 'extend-trial',
  label: 'Extend trial',
  order: 10,
  scope: 'licenses:lifecycle',
  appliesTo: (license) => license.status === 'TRIALING',
  Form: ExtendTrialForm,
};
