import { api, data } from '@web/api/client';
import { ActionFormFrame } from '../action-form';
import type { ActionFormProps, LicenseAction } from '../registry';

function ReinstateForm({ license, done, cancel }: ActionFormProps) {
  const trial = license.trial_ends_at && !license.expires_at && Date.parse(license.trial_ends_at) > Date.now();
  return (
    <ActionFormFrame
      subject={`licenses/${license.id}`}
      actionId="reinstate"
      done={done}
      cancel={cancel}
      confirmLabel="Reinstate license"
      summary={
        <p>
          The suspension{license.status_reason ? ` (“${license.status_reason}”)` : ''} is lifted: the license is {trial ? 'a trial' : 'active'} again, and the customer's next validation succeeds.
        </p>
      }
      run={async (reason) => {
        const after = await data(api.POST('/v1/licenses/{id}/reinstate', { params: { path: { id: license.id } }, body: { reason } }));
        return `License reinstated: it is ${after.status === 'TRIALING' ? 'a trial' : 'active'} again.`;
      }}
    />
  );
}

export const reinstate: LicenseAction = {
  id: 'reinstate',
  label: 'Reinstate',
  order: 45,
  scope: 'licenses:lifecycle',
  appliesTo: (license) => license.status === 'SUSPENDED',
  Form: ReinstateForm,
};
