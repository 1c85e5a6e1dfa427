import { useState } from 'react';
import { Badge, Button, Checkbox, ConfirmDialog, PageHeader, Time, useToast, type Column } from '@web/components';
import { useCursorPages } from '@web/hooks/use-cursor-pages';
import { useSession } from '../auth/session';
import { actionsColumn } from '../operations/actions-column';
import { ListSection } from '../operations/list-section';
import { PAGE_SIZE, SCOPE_WORDS, useApiTokens, useRevokeApiToken, useStaffNames, type ApiToken } from './api';
import { CreateTokenDialog } from './create-token-dialog';
import styles from '../operations/operations.module.css';

const isExpired = (token: ApiToken) => Boolean(token.expires_at && Date.parse(token.expires_at) <= Date.now());

function TokenState({ token }: { token: ApiToken }) {
  if (token.revoked_at) return <Badge tone="danger" title={`Revoked by ${token.revoked_by ?? 'someone'}`}>Revoked</Badge>;
  if (isExpired(token)) return <Badge tone="neutral">Expired</Badge>;
  return <Badge tone="success">Active</Badge>;
}

/**
 * API tokens: name, hint (never the secret), scopes, whose it is, who made it, when it was
 * made, last used and expires. `tokens:write` creates one (shown once, with copy) and revokes
 * one at once, with a reason.
 */
export function ApiTokensPage() {
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const pages = useCursorPages();
  const tokens = useApiTokens(includeRevoked, pages.cursor);
  const names = useStaffNames();
  const { can } = useSession();
  const manage = can('tokens:write');
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useRevokeApiToken();
  const toast = useToast();

  const ownerOf = (token: ApiToken) =>
    token.service ? `Service: ${token.service}` : token.staff_member_id ? (names.data?.get(token.staff_member_id) ?? 'A staff member') : '—';

  const columns: Column<ApiToken>[] = [
    { key: 'name', header: 'Name', cell: (row) => <strong>{row.name}</strong> },
    { key: 'hint', header: 'Token', cell: (row) => <span className={styles.mono}>{row.hint ?? '—'}</span> },
    {
      key: 'scopes',
      header: 'Scopes',
      cell: (row) => (
        <span className={styles.scopes}>
          {row.scopes.map((scope) => (
            <Badge key={scope} tone={scope === 'admin' ? 'warning' : 'neutral'} title={SCOPE_WORDS[scope]}>
              {scope}
            </Badge>
          ))}
        </span>
      ),
    },
    { key: 'owner', header: 'Belongs to', cell: ownerOf },
    { key: 'creator', header: 'Created by', cell: (row) => row.created_by ?? '—', wideOnly: true },
    { key: 'created', header: 'Created', cell: (row) => <Time value={row.created_at} dateOnly /> },
    { key: 'used', header: 'Last used', cell: (row) => <Time value={row.last_used_at} empty="Never" /> },
    { key: 'expires', header: 'Expires', cell: (row) => <Time value={row.expires_at} dateOnly empty="Never" /> },
    { key: 'state', header: 'State', cell: (row) => <TokenState token={row} /> },
    ...(manage
      ? [
          actionsColumn<ApiToken>((row) =>
            row.revoked_at ? null : (
              <Button size="sm" variant="danger" onClick={() => setRevoking(row)} aria-label={`Revoke ${row.name}`}>
                Revoke…
              </Button>
            ),
          ),
        ]
      : []),
  ];

  return (
    <div className={styles.page}>
      <PageHeader
        title="API tokens"
        description="Bearer tokens for automation. Keywarden keeps only their hash: a token is shown once, when it is created."
        actions={
          manage && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create a token
            </Button>
          )
        }
      />
      <div className={styles.toolbar}>
        <Checkbox
          label="Show revoked tokens"
          checked={includeRevoked}
          onChange={(event) => {
            pages.reset();
            setIncludeRevoked(event.target.checked);
          }}
        />
      </div>
      <ListSection
        id="tokens"
        caption="API tokens"
        query={tokens}
        columns={columns}
        rowKey={(row) => row.id}
        noun="tokens"
        errorTitle="The API tokens could not be loaded"
        empty={{
          title: 'No API tokens',
          text: 'Scripts and services sign in with a token; staff sign in with their own account.',
          action: manage ? <Button onClick={() => setCreating(true)}>Create a token</Button> : undefined,
        }}
        pages={{ state: pages, size: PAGE_SIZE }}
      />
      <CreateTokenDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke the token"
        variant="danger"
        reason={{ label: 'Reason', hint: 'Kept in the audit trail.', required: true }}
        onConfirm={async (reason) => {
          await revoke.mutateAsync({ id: revoking!.id, reason });
          toast(`${revoking!.name} revoked`);
        }}
      >
        {revoking && (
          <p>
            Every request with <span className={styles.mono}>{revoking.hint}</span> is refused from now on (401). Whatever uses it ({ownerOf(revoking)}) needs a new token. This cannot be undone; the token stays
            listed as revoked.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
