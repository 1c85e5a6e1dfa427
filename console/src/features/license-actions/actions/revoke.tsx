import { api, data } from '@web/api/client';
import { plural } from '@web/lib/format';
import { ActionFormFrame, frameOf } from '../action-form';
import type { ActionFormProps, LicenseAction } from '../registry';

function RevokeForm(props: ActionFormProps) {
  const { license } = props;
  const ttl = Number(license.policy.cache_ttl_seconds);
  return (
    <ActionFormFrame
      {...frameOf(props, 'revoke')}
      tone="danger"
      confirmLabel="Revoke for good"
      summary={
        <>
          <p>
            <strong>Revoking is permanent.</strong> The key stops working: the next validation answers <code>REVOKED</code>, and software holding a cached answer stops within its cache time ({ttl >= 3600 ? plural(Math.round(ttl / 3600), 'hour') : plural(Math.round(ttl / 60), 'minute')}).
          </p>
          <p className="muted">
            {license.current_activations === 0 ? 'No machine uses it now.' : license.current_activations === 1 ? 'The 1 machine using it loses access.' : `The ${plural(license.current_activations, 'machine')} using it lose access.`} Nothing can bring the license
            back; a new license gets a new key.
          </p>
        </>
      }
      reasonHint="Required: refund, chargeback, fraud, contract ended… It goes to the audit trail and the customer's e-mail."
      run={async (reason) => {
        await data(api.POST('/v1/licenses/{id}/revoke', { params: { path: { id: license.id } }, body: { reason } }));
        return 'License revoked. Validation now answers REVOKED.';
      }}
    />
  );
}

export const revoke: LicenseAction = {
  id: 'revoke',
  label: 'Revoke',
  order: 90,
  scope: 'licenses:revoke',
  tone: 'danger',
  appliesTo: (license) => license.status !== 'REVOKED',
  Form: RevokeForm,
};
