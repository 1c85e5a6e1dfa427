import { api, data } from '@web/api/client';
import { DateField, Time } from '@web/components';
import { ActionFormFrame, frameOf, useActionDraft } from '../action-form';
import { dayAfter, endOfDayUtc, isDay } from '../dates';
import type { ActionFormProps, LicenseAction } from '../registry';

/** A renewal by hand (a purchase order paid by bank transfer): the same key, a new term. */
function RenewForm(props: ActionFormProps) {
  const { license } = props;
  const from = license.expires_at && Date.parse(license.expires_at) > Date.now() ? license.expires_at : null;
  const [day, setDay, clearDay] = useActionDraft(`licenses/${license.id}`, 'renew', 'until', dayAfter(365, from));
  return (
    <ActionFormFrame
      {...frameOf(props, 'renew')}
      confirmLabel="Renew"
      summary={
        <>
          <p>
            {license.status === 'TRIALING' ? 'The trial converts to a paid license' : 'The license renews'} until the end of <strong>{isDay(day) ? day : '…'}</strong> (UTC), with the same key
            {license.expires_at ? (
              <>
                {' '}
                (it expires <Time value={license.expires_at} /> now)
              </>
            ) : null}
            .
          </p>
          <p className="muted">Its status becomes Active, a new period starts (reminders from the new date) and the customer is e-mailed.</p>
        </>
      }
      fieldNames={['until']}
      codeFields={{ INVALID_DATE: 'until' }}
      check={() => (isDay(day) ? null : { field: 'until', message: 'Pick the new expiry.' })}
      fields={(fieldError) => <DateField label="Renew until" value={day} onChange={(e) => setDay(e.target.value)} error={fieldError('until')} required />}
      clearDrafts={[clearDay]}
      run={async (reason) => {
        await data(api.POST('/v1/licenses/{id}/renew', { params: { path: { id: license.id } }, body: { until: endOfDayUtc(day), reason } }));
        return `Renewed until ${day}.`;
      }}
    />
  );
}

export const renew: LicenseAction = {
  id: 'renew',
  label: 'Renew',
  order: 35,
  scope: 'licenses:renew',
  appliesTo: (license) => license.status !== 'REVOKED',
  Form: RenewForm,
};
