import { api, data } from '@web/api/client';
import { Checkbox, DateField, Time } from '@web/components';
import { ActionFormFrame, frameOf, useActionDraft } from '../action-form';
import { dayAfter, endOfDayUtc, isDay } from '../dates';
import type { ActionFormProps, LicenseAction } from '../registry';

/** A custom expiry: a fiscal or academic year's end, a multi-year deal, or none (perpetual). */
function SetExpiryForm(props: ActionFormProps) {
  const { license } = props;
  const [day, setDay, clearDay] = useActionDraft(`licenses/${license.id}`, 'set-expiry', 'expires_at', license.expires_at ? license.expires_at.slice(0, 10) : dayAfter(365));
  const [perpetual, setPerpetual, clearPerpetual] = useActionDraft(`licenses/${license.id}`, 'set-expiry', 'perpetual', '');
  const target = perpetual ? null : isDay(day) ? endOfDayUtc(day) : undefined;
  return (
    <ActionFormFrame
      {...frameOf(props, 'set-expiry')}
      confirmLabel="Set expiry"
      summary={
        <>
          <p>
            The license expires <Time value={license.expires_at} empty="never (perpetual)" /> now. It will {target === null ? <strong>never expire</strong> : <>expire at the end of <strong>{isDay(day) ? day : '…'}</strong> (UTC)</>}.
          </p>
          <p className="muted">Renewal reminders are planned again from the new date; validation sees it at once.</p>
        </>
      }
      fieldNames={['expires_at']}
      codeFields={{ INVALID_DATE: 'expires_at' }}
      check={() => (target === undefined ? { field: 'expires_at', message: 'Pick the expiry date, or make the license perpetual.' } : null)}
      fields={(fieldError) => (
        <>
          <DateField label="New expiry" hint="The license is valid through this day (UTC)." value={day} onChange={(e) => setDay(e.target.value)} disabled={Boolean(perpetual)} error={fieldError('expires_at')} />
          <Checkbox label="Perpetual: never expires" checked={Boolean(perpetual)} onChange={(e) => setPerpetual(e.target.checked ? 'yes' : '')} />
        </>
      )}
      clearDrafts={[clearDay, clearPerpetual]}
      run={async (reason) => {
        await data(api.POST('/v1/licenses/{id}/set-expiry', { params: { path: { id: license.id } }, body: { expires_at: target ?? null, reason } }));
        return target ? `Expiry set to ${day}.` : 'The license is now perpetual.';
      }}
    />
  );
}

export const setExpiry: LicenseAction = {
  id: 'set-expiry',
  label: 'Set expiry',
  order: 30,
  scope: 'licenses:lifecycle',
  appliesTo: (license) => license.status !== 'REVOKED',
  Form: SetExpiryForm,
};
