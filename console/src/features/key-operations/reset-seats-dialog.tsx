import { useEffect, useState } from 'react';
import { Checkbox, ConfirmDialog, useToast } from '@web/components';
import { plural } from '@web/lib/format';
import { useSession } from '../auth/session';
import type { LicenseDetail } from '../accounts/api';
import { useResetSeats } from './api';
import { failureText } from './failure';

/**
 * Frees every seat of the license. Says which machines lose their seat and how the plan's
 * deactivation cap bounds it; an admin may override the cap (the reason is audited).
 */
export function ResetSeatsDialog({ license, open, onClose }: { license: LicenseDetail; open: boolean; onClose: () => void }) {
  const reset = useResetSeats(license.id);
  const toast = useToast();
  const { can } = useSession();
  const [override, setOverride] = useState(false);
  const live = license.activations.filter((activation) => !activation.deactivated_at);
  const { deactivation_limit: limit, deactivation_period_days: days } = license.policy;
  useEffect(() => {
    if (open) setOverride(false);
  }, [open]);

  const confirm = async (reason: string) => {
    try {
      const { reset: done } = await reset.mutateAsync({ reason, override_cap: override });
      const left = done.cap ? ` ${plural(done.cap.remaining, 'deactivation')} left this period.` : '';
      toast(`${plural(done.freed, 'seat')} freed.${left}`);
    } catch (failure) {
      throw failureText(failure);
    }
  };

  return (
    <ConfirmDialog open={open} onClose={onClose} title="Reset all seats" confirmLabel="Reset seats" variant="danger" reason={{ label: 'Reason', hint: 'Kept in the audit trail, e.g. “fleet re-imaged”.', required: true }} onConfirm={confirm}>
      <p>
        {live.length === 0 ? 'No machine holds a seat now: nothing will change.' : `${plural(live.length, 'machine')} lose their seat and must activate again:`}
      </p>
      {live.length > 0 && (
        <ul>
          {live.slice(0, 10).map((activation) => (
            <li key={activation.id}>{activation.name ?? activation.hostname ?? activation.fingerprint}</li>
          ))}
          {live.length > 10 && <li>and {plural(live.length - 10, 'more machine')}</li>}
        </ul>
      )}
      <p>
        {limit === null
          ? 'The plan sets no deactivation cap.'
          : `The plan allows ${plural(limit, 'deactivation')} per ${plural(days, 'day')}; ${override ? 'this reset overrides it and does not count against it.' : 'the reset counts against it.'}`}
      </p>
      {limit !== null && can('seats:override-cap') && <Checkbox label="Override the deactivation cap" hint="Admins only; the seats freed do not count against the cap." checked={override} onChange={(event) => setOverride(event.target.checked)} />}
    </ConfirmDialog>
  );
}
