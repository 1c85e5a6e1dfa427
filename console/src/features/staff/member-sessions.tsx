import { useState } from 'react';
import { Badge, Button, ConfirmDialog, EmptyState, ErrorState, Loading, Section, Table, Time, useToast, type Column } from '@web/components';
import { plural } from '@web/lib/format';
import { actionsColumn } from '../operations/actions-column';
import { useRevokeSession, useSignOutEverywhere, useStaffSessions, type StaffMember, type StaffSession } from './api';
import styles from '../operations/operations.module.css';

/** "Chrome on macOS" from a user agent, enough to tell one's sessions apart; the whole string on hover. */
export function browserOf(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : /curl|node|undici/i.test(userAgent) ? 'A script' : 'A browser';
  const system = /Windows/.test(userAgent) ? 'Windows' : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS' : /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Linux/.test(userAgent) ? 'Linux' : null;
  return system ? `${browser} on ${system}` : browser;
}

/**
 * A member's live sessions: where (IP, browser), since when, last seen, when each ends. Owners
 * end one, or all of them ("sign out everywhere"), with a reason the audit trail keeps; every
 * member does the same for their own sessions (`self`), through their account's endpoints.
 */
export function MemberSessions({ member, manage, self }: { member: StaffMember; manage: boolean; self: boolean }) {
  const own = self && !manage;
  const mayEnd = manage || self;
  const sessions = useStaffSessions(member.id, own);
  const revoke = useRevokeSession(own);
  const everywhere = useSignOutEverywhere(member.id, own);
  const [ending, setEnding] = useState<StaffSession | 'all' | null>(null);
  const toast = useToast();
  const rows = sessions.data?.data ?? [];

  const columns: Column<StaffSession>[] = [
    {
      key: 'browser',
      header: 'Browser',
      cell: (row) => (
        <span title={row.user_agent ?? undefined}>
          {browserOf(row.user_agent)} {row.current && <Badge tone="info">This session</Badge>}
        </span>
      ),
    },
    { key: 'ip', header: 'IP address', cell: (row) => <span className={styles.mono}>{row.ip ?? '—'}</span> },
    { key: 'method', header: 'Signed in with', cell: (row) => (row.method === 'sso' ? 'Single sign-on' : 'Password'), wideOnly: true },
    { key: 'created', header: 'Signed in', cell: (row) => <Time value={row.created_at} /> },
    { key: 'seen', header: 'Last active', cell: (row) => <Time value={row.last_seen_at} relative /> },
    { key: 'expires', header: 'Ends at the latest', cell: (row) => <Time value={row.expires_at} />, wideOnly: true },
    ...(mayEnd
      ? [
          actionsColumn<StaffSession>((row) => (
            <Button size="sm" variant="danger" onClick={() => setEnding(row)} aria-label={`End the session of ${browserOf(row.user_agent)} from ${row.ip ?? 'an unknown address'}`}>
              End…
            </Button>
          )),
        ]
      : []),
  ];

  const endingOne = ending !== null && ending !== 'all' ? ending : null;
  return (
    <Section
      title="Sessions"
      id="member-sessions"
      actions={
        mayEnd &&
        rows.length > 0 && (
          <Button variant="danger" onClick={() => setEnding('all')}>
            Sign out everywhere…
          </Button>
        )
      }
    >
      {sessions.isPending ? (
        <Loading label="Loading sessions…" lines={2} />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} title="The sessions could not be loaded" onRetry={() => void sessions.refetch()} compact />
      ) : rows.length === 0 ? (
        <EmptyState title="Not signed in anywhere" compact>
          {member.name} has no live session.
        </EmptyState>
      ) : (
        <Table caption={`${member.name}'s sessions`} hideCaption columns={columns} rows={rows} rowKey={(row) => row.id} />
      )}
      <ConfirmDialog
        open={ending !== null}
        onClose={() => setEnding(null)}
        title={ending === 'all' ? `Sign ${member.name} out everywhere?` : 'End this session?'}
        confirmLabel={ending === 'all' ? `End ${plural(rows.length, 'session')}` : 'End the session'}
        variant="danger"
        reason={own ? undefined : { label: 'Reason', hint: 'Kept in the audit trail.', required: true }}
        onConfirm={async (reason) => {
          if (ending === 'all') {
            const { sessions_ended } = await everywhere.mutateAsync(reason);
            toast(`${plural(sessions_ended, 'session')} ended`);
          } else if (endingOne) {
            await revoke.mutateAsync({ sessionId: endingOne.id, reason });
            toast('Session ended');
          }
        }}
      >
        <p>
          {ending === 'all'
            ? `Every session of ${member.name} (${plural(rows.length, 'session')}) ends at once${self ? ', this one too' : ''}: each browser is back at the sign-in page on its next request. ${self ? 'Your' : 'Their'} account and API tokens stay as they are.`
            : endingOne && (
                <>
                  {browserOf(endingOne.user_agent)} from {endingOne.ip ?? 'an unknown address'}, signed in <Time value={endingOne.created_at} />, is signed out at its next request.
                  {endingOne.current ? ' It is the session you are using: you will be signed out.' : ''}
                </>
              )}
        </p>
      </ConfirmDialog>
    </Section>
  );
}
