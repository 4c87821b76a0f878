/**
 * Users and invitations (clinic admins): every membership of the clinic with
 * roles, status, second factor and supervision; inviting staff (or a client
 * portal account) by email — the single-use link is shown once, to hand over —
 * and the invitations still open, which may be revoked.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import {
  Badge,
  Checkbox,
  fieldErrorsOf,
  ProblemSummary,
  Section,
  SubmitButton,
  TextInput,
} from '../counselor/components';
import { formatDateTime } from '../counselor/labels';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import {
  adminKeys,
  memberName,
  ROLE_LABELS,
  STAFF_ROLE_OPTIONS,
  useInvitations,
  useMembers,
  type Member,
  type Role,
} from './queries';

function rolesText(roles: readonly Role[]): string {
  return roles.map((role) => ROLE_LABELS[role]).join(', ');
}

function InviteForm() {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>(['counselor']);
  const [localError, setLocalError] = useState<string>();
  const mutation = useMutation({
    mutationFn: (body: Schemas['InviteRequest']) => call(api.POST('/api/v1/users', { body })),
    onSuccess: async () => {
      setEmail('');
      await client.invalidateQueries({ queryKey: adminKeys.invitations });
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const toggle = (role: Role, on: boolean) =>
    setRoles((current) => (on ? [...current.filter((r) => r !== 'client'), role] : current.filter((r) => r !== role)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (roles.length === 0) {
      setLocalError('Choose at least one role.');
      return;
    }
    setLocalError(undefined);
    mutation.mutate({ email: email.trim(), roles });
  };
  const invited = mutation.data;
  return (
    <>
      <form className="form" onSubmit={submit} aria-label="Invite a colleague">
        <TextInput
          label="Email"
          required
          value={email}
          error={errors.email}
          onChange={setEmail}
          autoComplete="off"
          maxLength={254}
        />
        <fieldset className="field field--group" aria-describedby="invite-roles-help">
          <legend className="field__label">Roles</legend>
          <p id="invite-roles-help" className="field__help">
            Staff roles in any combination. Staff set up a second factor on their first sign-in.
          </p>
          {STAFF_ROLE_OPTIONS.map((role) => (
            <Checkbox
              key={role}
              label={ROLE_LABELS[role]}
              checked={roles.includes(role)}
              onChange={(on) => toggle(role, on)}
            />
          ))}
          {(localError ?? errors.roles) !== undefined && <p className="field__error">{localError ?? errors.roles}</p>}
        </fieldset>
        <ProblemSummary error={mutation.error} title="The invitation was not sent" />
        <div className="form-actions">
          <SubmitButton pending={mutation.isPending} pendingLabel="Inviting…" disabled={email.trim() === ''}>
            Invite
          </SubmitButton>
        </div>
      </form>
      {invited !== undefined && (
        <div className="notice" role="status" data-testid="invitation-link">
          <p>
            {invited.email} is invited as {rolesText(invited.roles)} until {formatDateTime(invited.expiresAt)}. Hand
            them this single-use link (it is shown only now; an email is sent too when the clinic has email set up):
          </p>
          <p>
            <code className="secret">{invited.link}</code>
          </p>
        </div>
      )}
    </>
  );
}

function RevokeButton({ invitationId, email }: { readonly invitationId: string; readonly email: string }) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/invitations/{invitationId}', { params: { path: { invitationId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: adminKeys.invitations }),
  });
  return (
    <>
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={mutation.isPending}
        aria-label={`Revoke the invitation of ${email}`}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Revoking…' : 'Revoke'}
      </button>
      <ProblemSummary error={mutation.error} title="The invitation was not revoked" />
    </>
  );
}

function MembersTable({ members }: { readonly members: readonly Member[] }) {
  const byId = new Map(members.map((member) => [member.membershipId, member]));
  const names = (ids: readonly string[]) =>
    ids.map((id) => (byId.get(id) !== undefined ? memberName(byId.get(id) as Member) : 'a former member')).join(', ');
  return (
    <div className="cw-table-wrap" role="region" aria-label="Members" tabIndex={0}>
      <table className="cw-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">Second factor</th>
            <th scope="col">Supervision</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => {
            const staff = !member.roles.includes('client');
            return (
              <tr key={member.membershipId}>
                <td>
                  <Link to={`/admin/users/${member.membershipId}`}>{memberName(member)}</Link>
                  <br />
                  <span className="cw-muted">{member.email}</span>
                </td>
                <td>{rolesText(member.roles)}</td>
                <td>
                  {member.status === 'active' ? <Badge tone="good">Active</Badge> : <Badge tone="warn">Disabled</Badge>}
                </td>
                <td>{staff ? (member.mfaEnrolled ? 'Enrolled' : 'Not yet (on first sign-in)') : 'Not required'}</td>
                <td>
                  {member.supervisorMembershipIds.length > 0 && (
                    <>Supervised by {names(member.supervisorMembershipIds)}</>
                  )}
                  {member.supervisorMembershipIds.length > 0 && member.superviseeMembershipIds.length > 0 && <br />}
                  {member.superviseeMembershipIds.length > 0 && <>Supervises {names(member.superviseeMembershipIds)}</>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function UsersPage() {
  const members = useMembers();
  const invitations = useInvitations();
  const [showClients, setShowClients] = useState(false);
  return (
    <Page title="Users and invitations">
      <Section title="Members">
        <Checkbox label="Show client portal accounts" checked={showClients} onChange={setShowClients} />
        <QueryView query={members} label="Loading members…">
          {(data) => {
            const shown = data.filter((member) => showClients || !member.roles.includes('client'));
            return shown.length === 0 ? <Empty>No members yet.</Empty> : <MembersTable members={shown} />;
          }}
        </QueryView>
      </Section>
      <Section title="Invite a colleague">
        <InviteForm />
      </Section>
      <Section title="Open invitations">
        <QueryView query={invitations} label="Loading invitations…">
          {(data) =>
            data.length === 0 ? (
              <Empty>No invitation is waiting to be accepted.</Empty>
            ) : (
              <ul className="cw-entries" aria-label="Open invitations">
                {data.map((invitation) => (
                  <li key={invitation.invitationId} className="cw-entry">
                    <p>
                      <strong>{invitation.email}</strong> · {rolesText(invitation.roles)}
                    </p>
                    <p className="cw-muted">
                      Sent {formatDateTime(invitation.createdAt)} · expires {formatDateTime(invitation.expiresAt)}
                    </p>
                    <RevokeButton invitationId={invitation.invitationId} email={invitation.email} />
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </Section>
    </Page>
  );
}
