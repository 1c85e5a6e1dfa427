import { api, data } from '@web/api/client';
import { ActionFormFrame, frameOf } from '../action-form';
import type { ActionFormProps, LicenseAction } from '../registry';

function SuspendForm(props: ActionFormProps) {
  const { license } = props;
  return (
    <ActionFormFrame
      {...frameOf(props, 'suspend')}
      confirmLabel="Suspend license"
      summary={
        <>
          <p>
            The license stops validating: the customer's software gets <code>SUSPENDED</code> at its next check, until someone reinstates it. Nothing else changes (expiry, seats, key).
          </p>
          <p className="muted">The customer is e-mailed that the license is suspended, with your reason.</p>
        </>
      }
      run={async (reason) => {
        await data(api.POST('/v1/licenses/{id}/suspend', { params: { path: { id: license.id } }, body: { reason } }));
        return 'License suspended. Validation now answers SUSPENDED.';
      }}
    />
  );
}

export const suspend: LicenseAction = {
  id: 'suspend',
  label: 'Suspend',
  order: 40,
  scope: 'licenses:lifecycle',
  appliesTo: (license) => ['ACTIVE', 'TRIALING', 'PAST_DUE'].includes(license.status),
  Form: SuspendForm,
};
