import { useState } from 'react';
import { Link } from 'react-router';
import { Badge, Button, PageHeader, Select, StatusPill, Time, type Column } from '@web/components';
import { useSession } from '../auth/session';
import { ListSection } from '../operations/list-section';
import { useUrlFilters } from '../operations/use-url-filters';
import { PAGE_SIZE, ROLES, roleLabel, useStaff, type Role, type StaffFilters, type StaffMember } from './api';
import { InviteDialog } from './invite-dialog';
import styles from '../operations/operations.module.css';

function filtersFrom(params: URLSearchParams): StaffFilters {
  const role = params.get('role');
  const status = params.get('status');
  return {
    ...(ROLES.some((item) => item.value === role) ? { role: role as Role } : {}),
    ...(status === 'ACTIVE' || status === 'DISABLED' ? { status } : {}),
  };
}

/**
 * The staff directory: everyone who signs in to the console, their role, status, two-factor
 * and last sign-in. Owners (`staff:write`) invite members here; each member's page changes
 * their role, disables them, and lists and ends their sessions.
 */
export function StaffPage() {
  const { filters, pages, setFilter } = useUrlFilters(filtersFrom);
  const staff = useStaff(filters, pages.cursor);
  const { can, session } = useSession();
  const [inviting, setInviting] = useState(false);

  const columns: Column<StaffMember>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (row) => (
        <Link to={`/operations/staff/${row.id}`}>
          {row.name}
          {row.id === session?.staff.id ? ' (you)' : ''}
        </Link>
      ),
    },
    { key: 'email', header: 'E-mail', cell: (row) => <span className={styles.mono}>{row.email}</span> },
    { key: 'role', header: 'Role', cell: (row) => roleLabel(row.role) },
    {
      key: 'status',
      header: 'Status',
      cell: (row) => (row.status === 'DISABLED' ? <Badge tone="danger">Disabled</Badge> : row.password_set || row.sso_managed ? <StatusPill status="ACTIVE" /> : <Badge tone="info">Invited</Badge>),
    },
    { key: 'two-factor', header: 'Two-factor', cell: (row) => (row.sso_managed ? 'SSO' : row.two_factor_enabled ? 'On' : 'Off'), wideOnly: true },
    { key: 'last', header: 'Last sign-in', cell: (row) => <Time value={row.last_sign_in_at} empty="Never" /> },
  ];

  return (
    <div className={styles.page}>
      <PageHeader
        title="Staff"
        description="Everyone who signs in to the console, with the role that decides what they may do."
        actions={
          can('staff:write') && (
            <Button variant="primary" onClick={() => setInviting(true)}>
              Invite a member
            </Button>
          )
        }
      />
      <fieldset className={styles.filters}>
        <legend className="visually-hidden">Filters</legend>
        <Select label="Role" value={filters.role ?? ''} onChange={(event) => setFilter('role', event.target.value)}>
          <option value="">Any role</option>
          {ROLES.map((role) => (
            <option key={role.value} value={role.value}>
              {role.label}
            </option>
          ))}
        </Select>
        <Select label="Status" value={filters.status ?? ''} onChange={(event) => setFilter('status', event.target.value)}>
          <option value="">Any status</option>
          <option value="ACTIVE">Active</option>
          <option value="DISABLED">Disabled</option>
        </Select>
      </fieldset>
      <ListSection
        id="staff"
        caption="Staff members"
        query={staff}
        columns={columns}
        rowKey={(row) => row.id}
        noun="members"
        errorTitle="The staff could not be loaded"
        empty={{ title: 'No member matches', text: 'Change the filters to see everyone.' }}
        pages={{ state: pages, size: PAGE_SIZE }}
      />
      <InviteDialog open={inviting} onClose={() => setInviting(false)} />
    </div>
  );
}
