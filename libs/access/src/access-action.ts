import type { ResourceKind } from './access-resource.js';

/**
 * Everything a caller can ask to do, named `<resource kind>.<verb>`. A new route
 * or job step that touches a record adds its action here, with its rule in
 * access-rules.ts (the compiler refuses an action without a rule).
 */
export enum AccessAction {
  ClinicRead = 'clinic.read',
  ClinicUpdate = 'clinic.update',
  /** The clinic's members (the users list). */
  MemberList = 'membership.list',
  MemberRead = 'membership.read',
  /** Roles and status (disable, enable). */
  MemberUpdate = 'membership.update',
  /** A password reset link for a member, handed over in person. */
  MemberIssuePasswordReset = 'membership.issue_password_reset',
  SupervisionLinkRead = 'supervision_link.read',
  SupervisionLinkCreate = 'supervision_link.create',
  SupervisionLinkDelete = 'supervision_link.delete',
  InvitationList = 'invitation.list',
  InvitationCreate = 'invitation.create',
  InvitationRead = 'invitation.read',
  InvitationRevoke = 'invitation.revoke',
  /** A person's own account as seen in this clinic (GET /me). */
  UserRead = 'user.read',
  UserChangePassword = 'user.change_password',
  /** Enrol or replace one's own second factor (TOTP) while signed in. */
  UserManageSecondFactor = 'user.manage_second_factor',
  /** The login sessions (devices) of a user in this clinic. */
  LoginSessionList = 'login_session.list',
  LoginSessionRead = 'login_session.read',
  LoginSessionRevoke = 'login_session.revoke',
  /** The clinic's audit trail. */
  AuditEventList = 'audit_event.list',
  /** Clients the caller may see (filtered by the service: admins all, staff their own, a client themselves). */
  ClientList = 'client.list',
  ClientCreate = 'client.create',
  ClientRead = 'client.read',
  /** Name, contact, timezone, reminder preferences; archive and restore. */
  ClientUpdate = 'client.update',
  /** A client's own reminder channel, time and discreet setting, from the portal. */
  ClientUpdatePreferences = 'client.update_preferences',
  /** Invite the client to the portal (the invitation flow, role client). */
  ClientInvite = 'client.invite',
  /** Cases the caller may see (filtered by the service). */
  CaseList = 'case.list',
  CaseCreate = 'case.create',
  /** The case record: type, status, participants, care team, safety status (reason: care team only). */
  CaseRead = 'case.read',
  /** Title, type and status transitions. */
  CaseUpdate = 'case.update',
  CaseManageParticipants = 'case.manage_participants',
  CaseManageCareTeam = 'case.manage_care_team',
  /** Set or clear the safety hold (with its private reason). */
  CaseSetSafetyStatus = 'case.set_safety_status',
  CaseSecretsPolicyRead = 'case.secrets_policy.read',
  /** Write a new version of the secrets policy text. */
  CaseSecretsPolicyUpdate = 'case.secrets_policy.update',
  /** A participant's own e-signature of the current version. */
  CaseSecretsPolicySign = 'case.secrets_policy.sign',
  /** Everything that happened in the case, filtered by what the caller may see. */
  CaseTimelineRead = 'case.timeline.read',
}

export const ACCESS_ACTIONS: readonly AccessAction[] = Object.values(AccessAction);

/** The kind of record each action applies to (checked by the compiler and, for untyped callers, at run time). */
export const ACTION_RESOURCE_KIND = {
  [AccessAction.ClinicRead]: 'clinic',
  [AccessAction.ClinicUpdate]: 'clinic',
  [AccessAction.MemberList]: 'clinic',
  [AccessAction.MemberRead]: 'membership',
  [AccessAction.MemberUpdate]: 'membership',
  [AccessAction.MemberIssuePasswordReset]: 'membership',
  [AccessAction.SupervisionLinkRead]: 'supervision_link',
  [AccessAction.SupervisionLinkCreate]: 'supervision_link',
  [AccessAction.SupervisionLinkDelete]: 'supervision_link',
  [AccessAction.InvitationList]: 'clinic',
  [AccessAction.InvitationCreate]: 'clinic',
  [AccessAction.InvitationRead]: 'invitation',
  [AccessAction.InvitationRevoke]: 'invitation',
  [AccessAction.UserRead]: 'user',
  [AccessAction.UserChangePassword]: 'user',
  [AccessAction.UserManageSecondFactor]: 'user',
  [AccessAction.LoginSessionList]: 'user',
  [AccessAction.LoginSessionRead]: 'login_session',
  [AccessAction.LoginSessionRevoke]: 'login_session',
  [AccessAction.AuditEventList]: 'clinic',
  [AccessAction.ClientList]: 'clinic',
  [AccessAction.ClientCreate]: 'clinic',
  [AccessAction.ClientRead]: 'client',
  [AccessAction.ClientUpdate]: 'client',
  [AccessAction.ClientUpdatePreferences]: 'client',
  [AccessAction.ClientInvite]: 'client',
  [AccessAction.CaseList]: 'clinic',
  [AccessAction.CaseCreate]: 'clinic',
  [AccessAction.CaseRead]: 'case',
  [AccessAction.CaseUpdate]: 'case',
  [AccessAction.CaseManageParticipants]: 'case',
  [AccessAction.CaseManageCareTeam]: 'case',
  [AccessAction.CaseSetSafetyStatus]: 'case',
  [AccessAction.CaseSecretsPolicyRead]: 'case',
  [AccessAction.CaseSecretsPolicyUpdate]: 'case',
  [AccessAction.CaseSecretsPolicySign]: 'case',
  [AccessAction.CaseTimelineRead]: 'case',
} as const satisfies Record<AccessAction, ResourceKind>;

export type ResourceKindOf<A extends AccessAction> = (typeof ACTION_RESOURCE_KIND)[A];
