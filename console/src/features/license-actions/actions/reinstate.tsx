import { api, data } from '@web/api/client';
import { ActionFormFrame, frameOf } from '../action-form';
import type { ActionFormProps, LicenseAction } from '../registry';

function ReinstateForm(props: ActionFormProps) {
  const { license } = props;
  const trial = license.trial_ends_at && !license.expires_at && Date.parse(license.trial_ends_at) > Date.now();
  return (
    <ActionFormFrame
      {...frameOf(props, 'reinstate')}
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
