import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, ConfirmDialog, EmptyState, Notice, Section, Time, useToast } from '@web/components';
import { plural } from '@web/lib/format';
import { freeSeat, type Machine, type PortalLicenseDetail } from './api';
import styles from './licenses.module.css';

/** How many frees are left, in words. */
function freesText(frees: PortalLicenseDetail['seat_frees']) {
  if (frees.left === null) return 'You can free seats as often as you need.';
  return `${plural(frees.left, 'free')} left in the last ${frees.period_days} days (your plan allows ${frees.limit}).`;
}

/**
 * The machines using the license, each with "Free this seat": within the plan's cap on
 * self-service frees, the same count as when the software deactivates itself.
 */
export function MachinesSection({ license }: { license: PortalLicenseDetail }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [freeing, setFreeing] = useState<Machine | null>(null);
  const noneLeft = license.seat_frees.left === 0;
  const label = (machine: Machine) => machine.name ?? machine.hostname ?? 'Unnamed machine';

  const confirm = async () => {
    const machine = freeing!;
    const answer = await freeSeat(license.id, machine.id);
    await queryClient.invalidateQueries({ queryKey: ['portal', 'license', license.id] });
    await queryClient.invalidateQueries({ queryKey: ['portal', 'licenses'] });
    toast(`${label(machine)} no longer uses a seat. ${answer.frees_left === null ? '' : `${plural(answer.frees_left, 'free')} left this period.`}`);
  };

  return (
    <Section title="Machines" id="machines">
      <p className={styles.muted} id="frees-left">
        {freesText(license.seat_frees)}
      </p>
      {license.machines.length === 0 ? (
        <EmptyState compact title="No machine uses this license">When you activate the product on a machine, it shows here.</EmptyState>
      ) : (
        <ul className={styles.machines} aria-label="Machines using this license">
          {license.machines.map((machine) => (
            <li key={machine.id} className={styles.machine}>
              <div>
                <p className={styles.machineName}>{label(machine)}</p>
                <p className={styles.machineFacts}>
                  {[machine.hostname, machine.platform].filter(Boolean).join(' · ') || 'No details reported'} · last seen <Time value={machine.last_seen_at} relative />
                </p>
              </div>
              <Button size="sm" onClick={() => setFreeing(machine)} disabled={noneLeft} aria-describedby="frees-left">
                Free this seat<span className="visually-hidden"> of {label(machine)}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
      {noneLeft && license.machines.length > 0 && <Notice>You have used every free this period. Contact the seller to move a seat.</Notice>}
      <ConfirmDialog open={freeing !== null} onClose={() => setFreeing(null)} title="Free this seat?" confirmLabel="Free this seat" variant="danger" onConfirm={confirm}>
        <p>
          <strong>{freeing ? label(freeing) : ''}</strong> stops using the license; another machine can then be activated. If this machine still runs the product, it asks for the license again.
        </p>
        <p>{freesText(license.seat_frees)}</p>
      </ConfirmDialog>
    </Section>
  );
}
