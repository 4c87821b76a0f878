/**
 * One member (clinic admins): their roles, whether they may sign in (disabling
 * ends their login sessions at once), supervision links — who supervises this
 * counselor, whom this supervisor supervises — and a password-reset link to hand over.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';

import { api, call } from '../api/client';
import { useMe } from '../auth/session';
import { Checkbox, Facts, Notice, ProblemSummary, Section, SelectInput, SubmitButton } from '../counselor/components';
import { formatDateTime } from '../counselor/labels';
import { Page } from '../ui/Page';
import { Empty, ErrorNotice, Loading } from '../ui/Status';
import { adminKeys, memberName, ROLE_LABELS, STAFF_ROLE_OPTIONS, useMembers, type Member, type Role } from './queries';

function RolesForm({ member, self }: { readonly member: Member; readonly self: boolean }) {
  const client = useQueryClient();
  const [roles, setRoles] = useState<Role[]>([...member.roles]);
  const mutation = useMutation({
    mutationFn: (next: Role[]) =>
      call(
        api.PATCH('/api/v1/users/{membershipId}', {
          params: { path: { membershipId: member.membershipId } },
          body: { roles: next },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: adminKeys.members }),
  });
  if (member.roles.includes('client'))
    return <p>A client portal account: its role is fixed (clients never hold a staff role).</p>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(roles);
  };
  const changed = [...roles].sort().join() !== [...member.roles].sort().join();
  return (
    <form className="form" onSubmit={submit} aria-label="Roles">
      <fieldset className="field field--group">
        <legend className="field__label">Roles</legend>
        {STAFF_ROLE_OPTIONS.map((role) => (
          <Checkbox
            key={role}
            label={ROLE_LABELS[role]}
            checked={roles.includes(role)}
            disabled={self && role === 'clinic_admin'}
            hint={self && role === 'clinic_admin' ? 'You cannot remove your own admin role.' : undefined}
            onChange={(on) => setRoles((current) => (on ? [...current, role] : current.filter((r) => r !== role)))}
          />
        ))}
      </fieldset>
      <ProblemSummary error={mutation.error} title="The roles were not changed" />
      {mutation.isSuccess && !changed && <Notice>The roles were saved.</Notice>}
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} disabled={!changed || roles.length === 0}>
          Save the roles
        </SubmitButton>
      </div>
    </form>
  );
}

function StatusControl({ member, self }: { readonly member: Member; readonly self: boolean }) {
  const client = useQueryClient();
  const next = member.status === 'active' ? 'disabled' : 'active';
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.PATCH('/api/v1/users/{membershipId}', {
          params: { path: { membershipId: member.membershipId } },
          body: { status: next },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: adminKeys.members }),
  });
  if (self) return <p>You cannot disable your own membership.</p>;
  return (
    <>
      <p>
        {member.status === 'active'
          ? 'Disabling ends their login sessions at once; their records stay.'
          : `Disabled ${formatDateTime(member.disabledAt)}. Enabling lets them sign in again.`}
      </p>
      <button
        type="button"
        className={`button ${next === 'disabled' ? 'button--danger' : 'button--secondary'}`}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Saving…' : next === 'disabled' ? 'Disable this member' : 'Enable this member'}
      </button>
      <ProblemSummary error={mutation.error} title="The status was not changed" />
    </>
  );
}

function SupervisionLinks({ member, members }: { readonly member: Member; readonly members: readonly Member[] }) {
  const client = useQueryClient();
  const [choice, setChoice] = useState('');
  const byId = new Map(members.map((item) => [item.membershipId, item]));
  const link = useMutation({
    mutationFn: ({ counselor, supervisor, on }: { counselor: string; supervisor: string; on: boolean }) => {
      const params = { path: { membershipId: counselor, supervisorMembershipId: supervisor } };
      return call(
        on
          ? api.PUT('/api/v1/users/{membershipId}/supervisors/{supervisorMembershipId}', { params })
          : api.DELETE('/api/v1/users/{membershipId}/supervisors/{supervisorMembershipId}', { params }),
      );
    },
    onSuccess: async () => {
      setChoice('');
      await client.invalidateQueries({ queryKey: adminKeys.members });
    },
  });
  const isCounselor = member.roles.includes('counselor');
  const isSupervisor = member.roles.includes('supervisor');
  if (!isCounselor && !isSupervisor) return <p>Supervision links join supervisors and counselors.</p>;
  const candidates = members.filter(
    (other) =>
      other.status === 'active' &&
      other.membershipId !== member.membershipId &&
      (isCounselor
        ? other.roles.includes('supervisor') && !member.supervisorMembershipIds.includes(other.membershipId)
        : other.roles.includes('counselor') && !member.superviseeMembershipIds.includes(other.membershipId)),
  );
  const linked = isCounselor ? member.supervisorMembershipIds : member.superviseeMembershipIds;
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (choice === '') return;
    link.mutate(
      isCounselor
        ? { counselor: member.membershipId, supervisor: choice, on: true }
        : { counselor: choice, supervisor: member.membershipId, on: true },
    );
  };
  return (
    <>
      {linked.length === 0 ? (
        <Empty>{isCounselor ? 'No supervisor yet.' : 'Supervises no one yet.'}</Empty>
      ) : (
        <ul className="cw-list" aria-label={isCounselor ? 'Supervisors' : 'Supervisees'}>
          {linked.map((id) => {
            const other = byId.get(id);
            const name = other !== undefined ? memberName(other) : 'A former member';
            return (
              <li key={id}>
                {name}{' '}
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={link.isPending}
                  aria-label={`Remove the supervision link with ${name}`}
                  onClick={() =>
                    link.mutate(
                      isCounselor
                        ? { counselor: member.membershipId, supervisor: id, on: false }
                        : { counselor: id, supervisor: member.membershipId, on: false },
                    )
                  }
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {candidates.length > 0 && (
        <form className="form cw-inline-form" onSubmit={add} aria-label="Add a supervision link">
          <SelectInput
            label={isCounselor ? 'Add a supervisor' : 'Add a counselor to supervise'}
            value={choice}
            onChange={setChoice}
            options={[
              { value: '', label: 'Choose…' },
              ...candidates.map((other) => ({ value: other.membershipId, label: memberName(other) })),
            ]}
          />
          <SubmitButton pending={link.isPending} disabled={choice === ''} secondary>
            Add the link
          </SubmitButton>
        </form>
      )}
      <ProblemSummary error={link.error} title="The supervision link was not changed" />
    </>
  );
}

function ResetLink({ member }: { readonly member: Member }) {
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/users/{membershipId}/password-reset-link', {
          params: { path: { membershipId: member.membershipId } },
        }),
      ),
  });
  return (
    <>
      <p>A single-use link, valid one hour, for a member who cannot sign in. Hand it to them in person.</p>
      <button
        type="button"
        className="button button--secondary"
        disabled={mutation.isPending}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Creating…' : 'Create a password-reset link'}
      </button>
      {mutation.data !== undefined && (
        <div className="notice" role="status">
          <p>Valid until {formatDateTime(mutation.data.expiresAt)} (shown only now):</p>
          <p>
            <code className="secret">{mutation.data.link}</code>
          </p>
        </div>
      )}
      <ProblemSummary error={mutation.error} title="No link was created" />
    </>
  );
}

export function MemberPage() {
  const { membershipId = '' } = useParams();
  const me = useMe();
  const members = useMembers();
  if (members.isPending)
    return (
      <Page title="Member">
        <Loading label="Loading the member…" />
      </Page>
    );
  if (members.data === undefined)
    return (
      <Page title="Member">
        <ErrorNotice error={members.error} onRetry={() => void members.refetch()} />
      </Page>
    );
  const member = members.data.find((item) => item.membershipId === membershipId);
  if (member === undefined)
    return (
      <Page title="Member">
        <p role="alert">This member could not be found.</p>
        <Link to="/admin">Back to users</Link>
      </Page>
    );
  const self = member.membershipId === me.membershipId;
  const staff = !member.roles.includes('client');
  return (
    <Page title={memberName(member)}>
      <p className="cw-breadcrumb">
        <Link to="/admin">Users and invitations</Link>
      </p>
      <Facts
        items={[
          ['Email', member.email],
          ['Member since', formatDateTime(member.createdAt)],
          ['Status', member.status === 'active' ? 'Active' : 'Disabled'],
          ['Second factor', staff ? (member.mfaEnrolled ? 'Enrolled' : 'Not enrolled yet') : 'Not required'],
        ]}
      />
      <Section title="Roles">
        <RolesForm key={member.roles.join()} member={member} self={self} />
      </Section>
      {staff && (
        <Section title="Supervision">
          <SupervisionLinks member={member} members={members.data} />
        </Section>
      )}
      <Section title="Access">
        <StatusControl member={member} self={self} />
      </Section>
      {member.status === 'active' && (
        <Section title="Password reset">
          <ResetLink member={member} />
        </Section>
      )}
    </Page>
  );
}
