import { api, data } from '@web/api/client';
import { Select, Time } from '@web/components';
import { ActionFormFrame, frameOf, useActionDraft } from '../action-form';
import type { ActionFormProps, LicenseAction } from '../registry';

const live = (license: ActionFormProps['license']) => license.activations.filter((activation) => !activation.deactivated_at);
const deviceName = (a: ActionFormProps['license']['activations'][number]) => a.name ?? a.hostname ?? a.user ?? a.fingerprint;

/** Deactivates a machine for the customer (a stolen laptop, a reinstalled PC), past the self-service cap. */
function FreeSeatForm(props: ActionFormProps) {
  const { license } = props;
  const machines = live(license);
  const [chosen, setChosen, clearChosen] = useActionDraft(`licenses/${license.id}`, 'free-seat', 'activation', machines[0]?.id ?? '');
  const machine = machines.find((a) => a.id === chosen);
  const limit = license.seat_limit;
  return (
    <ActionFormFrame
      {...frameOf(props, 'free-seat')}
      confirmLabel="Free the seat"
      summary={
        machine ? (
          <>
            <p>
              <strong>{deviceName(machine)}</strong>
              {machine.hostname && machine.hostname !== deviceName(machine) ? ` (${machine.hostname})` : ''}, last seen <Time value={machine.last_seen_at} relative />, is deactivated: seats used go from{' '}
              {limit === null ? `${license.current_activations} to ${license.current_activations - 1} (unlimited)` : `${license.current_activations} of ${limit} to ${license.current_activations - 1} of ${limit}`}.
            </p>
            <p className="muted">It stays in the activation history. If the software runs there again it must activate again, taking a seat if one is free.</p>
          </>
        ) : (
          <p>Choose the machine to deactivate.</p>
        )
      }
      fieldNames={['activation']}
      codeFields={{ ACTIVATION_NOT_FOUND: 'activation' }}
      check={() => (machine ? null : { field: 'activation', message: 'Choose a machine.' })}
      fields={(fieldError) => (
        <Select label="Machine" value={chosen} onChange={(e) => setChosen(e.target.value)} error={fieldError('activation')}>
          {machines.map((a) => (
            <option key={a.id} value={a.id}>
              {deviceName(a)}
              {a.platform ? ` · ${a.platform}` : ''}
              {a.ip ? ` · ${a.ip}` : ''}
            </option>
          ))}
        </Select>
      )}
      clearDrafts={[clearChosen]}
      run={async (reason) => {
        await data(api.POST('/v1/licenses/{id}/activations/{activationId}/deactivate', { params: { path: { id: license.id, activationId: chosen } }, body: { reason } }));
        return `Seat freed: ${deviceName(machine!)} is deactivated.`;
      }}
    />
  );
}

export const freeSeat: LicenseAction = {
  id: 'free-seat',
  label: 'Free a seat',
  order: 50,
  scope: 'seats:write',
  appliesTo: (license) => license.status !== 'REVOKED' && live(license).length > 0,
  Form: FreeSeatForm,
};
