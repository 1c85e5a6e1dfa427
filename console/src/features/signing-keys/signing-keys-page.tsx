import { useState } from 'react';
import { Badge, Button, ConfirmDialog, CopyButton, PageHeader, Time, useToast, type Column } from '@web/components';
import { useSession } from '../auth/session';
import { actionsColumn } from '../operations/actions-column';
import { ListSection } from '../operations/list-section';
import { useRetireSigningKey, useRotateSigningKey, useSigningKeys, type SigningKey } from './api';
import styles from '../operations/operations.module.css';

const STATE: Record<SigningKey['status'], { label: string; tone: 'success' | 'info' | 'neutral'; means: string }> = {
  ACTIVE: { label: 'Active', tone: 'success', means: 'Signs every validation answer and offline token now.' },
  VERIFYING: { label: 'Verifying', tone: 'info', means: 'Rotated out: signs nothing, but what it signed still verifies (it is in the JWKS).' },
  RETIRED: { label: 'Retired', tone: 'neutral', means: 'Verifies nothing: left out of the JWKS.' },
};

/**
 * The keys that sign validation answers and offline license tokens (Ed25519), newest first:
 * kid, algorithm, state, created, rotated, retired. Rotate makes a new key sign from now on;
 * retire takes a rotated-out key out of the JWKS. Both state their effect and ask why.
 */
export function SigningKeysPage() {
  const keys = useSigningKeys();
  const { can } = useSession();
  const manage = can('signing-keys:write');
  const [rotating, setRotating] = useState(false);
  const [retiring, setRetiring] = useState<SigningKey | null>(null);
  const rotate = useRotateSigningKey();
  const retire = useRetireSigningKey();
  const toast = useToast();

  const rows = keys.data?.data ?? [];
  const active = rows.find((key) => key.status === 'ACTIVE');
  const columns: Column<SigningKey>[] = [
    {
      key: 'kid',
      header: 'Key id (kid)',
      cell: (row) => (
        <span>
          <span className={styles.mono}>{row.id}</span> <CopyButton value={row.id} label="Copy" />
        </span>
      ),
    },
    { key: 'algorithm', header: 'Algorithm', cell: (row) => `${row.algorithm} (${row.public_jwk.crv})`, wideOnly: true },
    {
      key: 'state',
      header: 'State',
      cell: (row) => (
        <Badge tone={STATE[row.status].tone} title={STATE[row.status].means}>
          {STATE[row.status].label}
        </Badge>
      ),
    },
    { key: 'created', header: 'Created', cell: (row) => <Time value={row.created_at} /> },
    { key: 'rotated', header: 'Rotated out', cell: (row) => <Time value={row.rotated_at} /> },
    { key: 'retired', header: 'Retired', cell: (row) => <Time value={row.retired_at} /> },
    ...(manage
      ? [
          actionsColumn<SigningKey>((row) =>
            row.status === 'VERIFYING' ? (
              <Button size="sm" variant="danger" onClick={() => setRetiring(row)} aria-label={`Retire ${row.id}`}>
                Retire…
              </Button>
            ) : null,
          ),
        ]
      : []),
  ];

  return (
    <div className={styles.page}>
      <PageHeader
        title="Signing keys"
        description="Ed25519 keys that sign validation answers and offline license tokens. Clients verify them with the public keys at /.well-known/jwks.json."
        actions={
          manage && (
            <Button variant="primary" onClick={() => setRotating(true)} disabled={keys.isPending}>
              Rotate…
            </Button>
          )
        }
      />
      <ListSection
        id="keys"
        caption="Signing keys"
        query={keys}
        columns={columns}
        rowKey={(row) => row.id}
        noun="signing keys"
        errorTitle="The signing keys could not be loaded"
        empty={{ title: 'No signing key yet', text: 'The API makes the first one when it first signs an answer.' }}
      />
      <ConfirmDialog
        open={rotating}
        onClose={() => setRotating(false)}
        title="Rotate the signing key?"
        confirmLabel="Rotate"
        reason={{ label: 'Reason', hint: 'Kept in the audit trail (a scheduled rotation, a suspected leak…).', required: true }}
        onConfirm={async (reason) => {
          const key = await rotate.mutateAsync(reason);
          toast(`A new key (${key.id.slice(0, 8)}…) signs from now on`);
        }}
      >
        <p>
          A new Ed25519 key signs every answer and offline token from now on.
          {active ? (
            <>
              {' '}
              The current key <span className={styles.mono}>{active.id}</span> becomes Verifying: what it signed keeps verifying until you retire it.
            </>
          ) : null}{' '}
          Other API replicas switch within a minute.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={retiring !== null}
        onClose={() => setRetiring(null)}
        title="Retire this key?"
        confirmLabel="Retire the key"
        variant="danger"
        reason={{ label: 'Reason', hint: 'Kept in the audit trail.', required: true }}
        onConfirm={async (reason) => {
          await retire.mutateAsync({ id: retiring!.id, reason });
          toast('Key retired');
        }}
      >
        {retiring && (
          <p>
            <span className={styles.mono}>{retiring.id}</span> leaves the JWKS. Clients that refresh their keys stop trusting what it signed: offline tokens and license files signed
            before its rotation (<Time value={retiring.rotated_at} />) stop verifying, and need to be issued again. This cannot be undone.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
