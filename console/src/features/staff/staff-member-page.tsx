import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Badge, Button, ConfirmDialog, DescriptionList, Dialog, ErrorState, Loading, PageHeader, Section, Select, StatusPill, Time, useToast } from '@web/components';
import { useSession } from '../auth/session';
import { ROLES, roleLabel, useResetTwoFactor, useSendLink, useStaffMember, useUpdateStaff, type Role, type StaffLinkSent, type StaffMember } from './api';
import { LinkOutcome } from './invite-dialog';
import { MemberSessions } from './member-sessions';
import styles from '../operations/operations.module.css';

type Pending = 'role' | 'disable' | 'enable' | 'two-factor' | null;

/**
 * One staff member: who they are, their role and status, and their live sessions. Owners
 * (`staff:write`) change the role, disable or enable the account, send a new invitation or a
 * password reset, and end sessions; each change states what it does and asks why.
 */
export function StaffMemberPage() {
  const { staffId = '' } = useParams();
  const member = useStaffMember(staffId);
  const { can, session } = useSession();
  const manage = can('staff:write');

  if (member.isPending) return <Loading label="Loading the staff member…" lines={4} />;
  if (member.isError) {
    return (
      <div className={styles.page}>
        <PageHeader eyebrow={<Link to="/operations/staff">← Staff</Link>} title="Staff member" />
        <ErrorState error={member.error} title="This staff member could not be loaded" onRetry={() => void member.refetch()} />
      </div>
    );
  }
  const shown = member.data;
  const self = shown.id === session?.staff.id;
  return (
    <div className={styles.page}>
      <PageHeader
        eyebrow={<Link to="/operations/staff">← Staff</Link>}
        title={`${shown.name}${self ? ' (you)' : ''}`}
        description={<span className={styles.mono}>{shown.email}</span>}
        actions={manage && <MemberActions member={shown} />}
      />
      <Section title="Account" id="member-account">
        <DescriptionList
          items={[
            { term: 'Role', value: roleLabel(shown.role) },
            { term: 'Status', value: shown.status === 'DISABLED' ? <Badge tone="danger">Disabled</Badge> : shown.password_set || shown.sso_managed ? <StatusPill status="ACTIVE" /> : <Badge tone="info">Invited</Badge> },
            { term: 'Sign-in', value: shown.sso_managed ? 'Single sign-on (the identity provider decides the role)' : shown.password_set ? 'Password' : 'Not yet: the invitation is unused' },
            { term: 'Two-factor', value: shown.two_factor_enabled ? 'On' : 'Off' },
            { term: 'Last sign-in', value: <Time value={shown.last_sign_in_at} empty="Never" /> },
            { term: 'Member since', value: <Time value={shown.created_at} /> },
          ]}
        />
      </Section>
      <MemberSessions member={shown} manage={manage} self={self} />
    </div>
  );
}

function MemberActions({ member }: { member: StaffMember }) {
  const [pending, setPending] = useState<Pending>(null);
  const [role, setRole] = useState<Role>(member.role);
  const [sentLink, setSentLink] = useState<StaffLinkSent | null>(null);
  const update = useUpdateStaff(member.id);
  const sendLink = useSendLink(member.id);
  const resetTwoFactor = useResetTwoFactor(member.id);
  const toast = useToast();
  const invited = !member.password_set && !member.sso_managed;

  const send = async (kind: 'invitation' | 'password-reset') => {
    try {
      setSentLink(await sendLink.mutateAsync(kind));
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    }
  };

  return (
    <>
      {!member.sso_managed && (
        <Button
          onClick={() => {
            setRole(member.role);
            setPending('role');
          }}
        >
          Change role…
        </Button>
      )}
      {member.status === 'ACTIVE' ? (
        <Button variant="danger" onClick={() => setPending('disable')}>
          Disable…
        </Button>
      ) : (
        <Button onClick={() => setPending('enable')}>Enable…</Button>
      )}
      {member.two_factor_enabled && <Button onClick={() => setPending('two-factor')}>Reset two-factor…</Button>}
      {member.status === 'ACTIVE' && !member.sso_managed && (
        <Button busy={sendLink.isPending} onClick={() => void send(invited ? 'invitation' : 'password-reset')}>
          {invited ? 'Send a new invitation' : 'Send a password reset'}
        </Button>
      )}

      <ConfirmDialog
        open={pending === 'role'}
        onClose={() => setPending(null)}
        title={`Change ${member.name}'s role`}
        confirmLabel="Change the role"
        reason={{ label: 'Reason', hint: 'Kept in the audit trail.', required: true }}
        onConfirm={async (reason) => {
          if (role === member.role) throw new Error(`${member.name} is already ${roleLabel(role)}: choose another role.`);
          await update.mutateAsync({ role, reason });
          toast(`${member.name} is now ${roleLabel(role)}`);
        }}
      >
        <Select label="New role" value={role} onChange={(event) => setRole(event.target.value as Role)} hint={ROLES.find((item) => item.value === role)?.description}>
          {ROLES.map((item) => (
            <option key={item.value} value={item.value}>
              {item.label}
            </option>
          ))}
        </Select>
        <p>
          From {roleLabel(member.role)} to {roleLabel(role)}. It applies to their next request, in every session, and to the API tokens they own.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={pending === 'disable' || pending === 'enable'}
        onClose={() => setPending(null)}
        title={pending === 'disable' ? `Disable ${member.name}?` : `Enable ${member.name}?`}
        confirmLabel={pending === 'disable' ? 'Disable the account' : 'Enable the account'}
        variant={pending === 'disable' ? 'danger' : 'primary'}
        reason={{ label: 'Reason', hint: 'Kept in the audit trail.', required: true }}
        onConfirm={async (reason) => {
          const status = pending === 'disable' ? 'DISABLED' : 'ACTIVE';
          await update.mutateAsync({ status, reason });
          toast(`${member.name} is ${status === 'DISABLED' ? 'disabled' : 'enabled'}`);
        }}
      >
        <p>
          {pending === 'disable'
            ? `${member.name} is signed out of every session at once, cannot sign in again, and the API tokens they own stop working, until an owner enables the account. Nothing they did is undone.`
            : `${member.name} can sign in again with their password (or single sign-on), with the role ${roleLabel(member.role)}.`}
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={pending === 'two-factor'}
        onClose={() => setPending(null)}
        title={`Reset ${member.name}'s two-factor?`}
        confirmLabel="Reset two-factor"
        variant="danger"
        reason={{ label: 'Reason', hint: 'Kept in the audit trail (a lost phone, say: check who is asking first).', required: true }}
        onConfirm={async (reason) => {
          await resetTwoFactor.mutateAsync(reason);
          toast(`${member.name}'s two-factor is off`);
        }}
      >
        <p>
          {member.name}'s authenticator and recovery codes stop working. They sign in with their password alone, then enrol a new authenticator
          {' '}(at once, if owners require two-factor for everyone).
        </p>
      </ConfirmDialog>

      <Dialog
        open={sentLink !== null}
        onClose={() => setSentLink(null)}
        title={invited ? 'A new invitation' : 'A password reset'}
        footer={
          <Button variant="primary" onClick={() => setSentLink(null)}>
            Done
          </Button>
        }
      >
        {sentLink && <LinkOutcome link={sentLink} email={member.email} />}
      </Dialog>
    </>
  );
}
