import type { MembershipRole } from '@mend/contracts';

import { AccessAction } from './access-action.js';
import type { ResourceKind } from './access-resource.js';
import { Relationship } from './relationships.js';

/**
 * One way to be allowed: holding one of `roles` (or any role) and, when given,
 * standing in `relationship` to the record. An action is allowed when any of its
 * grants matches; an action with no grant is allowed to nobody.
 */
export interface Grant {
  readonly roles: 'any' | readonly MembershipRole[];
  readonly relationship?: Relationship;
}

const ANY_MEMBER: Grant = { roles: 'any' };
const ADMIN: Grant = { roles: ['clinic_admin'] };
const SELF: Grant = { roles: 'any', relationship: Relationship.Self };
const SUPERVISOR_OF: Grant = { roles: ['supervisor'], relationship: Relationship.Supervisor };
const STAFF = ['clinic_admin', 'supervisor', 'counselor'] as const;
const CLINICIANS: Grant = { roles: ['counselor', 'supervisor'] };
/** Any staff role, no relationship needed (clinic-wide staff resources such as the exercise library). */
const STAFF_MEMBER: Grant = { roles: STAFF };
/** On the care team of the case (or, for a client, of one of their cases). */
const CARE_TEAM: Grant = { roles: STAFF, relationship: Relationship.CareTeam };
/** A participant of the case, through their own client portal membership. */
const PARTICIPANT: Grant = { roles: ['client'], relationship: Relationship.Participant };
const CLIENT_SELF: Grant = { roles: ['client'], relationship: Relationship.Self };

/**
 * The whole policy of this issue, one line per action (README "Roles and access"
 * documents the same table). A clinic admin manages members, invitations and
 * settings but, later, reads no notes or answers; everyone manages their own
 * account and sign-ins; a supervisor sees the memberships of the counselors
 * they supervise.
 */
export const ACCESS_RULES: Readonly<Record<AccessAction, readonly Grant[]>> = {
  [AccessAction.ClinicRead]: [ANY_MEMBER],
  [AccessAction.ClinicUpdate]: [ADMIN],
  [AccessAction.MemberList]: [ADMIN],
  [AccessAction.MemberRead]: [ADMIN, SELF, SUPERVISOR_OF],
  [AccessAction.MemberUpdate]: [ADMIN],
  [AccessAction.MemberIssuePasswordReset]: [ADMIN],
  [AccessAction.SupervisionLinkRead]: [ADMIN, SELF, SUPERVISOR_OF],
  [AccessAction.SupervisionLinkCreate]: [ADMIN],
  [AccessAction.SupervisionLinkDelete]: [ADMIN],
  [AccessAction.InvitationList]: [ADMIN],
  [AccessAction.InvitationCreate]: [ADMIN],
  [AccessAction.InvitationRead]: [ADMIN],
  [AccessAction.InvitationRevoke]: [ADMIN],
  [AccessAction.UserRead]: [SELF],
  [AccessAction.UserChangePassword]: [SELF],
  [AccessAction.UserManageSecondFactor]: [SELF],
  [AccessAction.LoginSessionList]: [SELF],
  [AccessAction.LoginSessionRead]: [SELF],
  [AccessAction.LoginSessionRevoke]: [SELF],
  [AccessAction.AuditEventList]: [ADMIN],
  [AccessAction.ReminderFailedList]: [ADMIN],
  [AccessAction.ReminderRetry]: [ADMIN],
  // Clients and cases. A clinic admin keeps the directory (who is a client, who
  // is on which care team) but reads no clinical content: no plan, ledger or
  // timeline. Supervisors read what the counselors they supervise read.
  [AccessAction.ClientList]: [ADMIN, CLINICIANS],
  [AccessAction.ClientCreate]: [ADMIN, CLINICIANS],
  [AccessAction.ClientRead]: [ADMIN, CARE_TEAM, SUPERVISOR_OF, CLIENT_SELF],
  [AccessAction.ClientUpdate]: [ADMIN, CARE_TEAM],
  [AccessAction.ClientUpdatePreferences]: [ADMIN, CARE_TEAM, CLIENT_SELF],
  [AccessAction.ClientInvite]: [ADMIN, CARE_TEAM],
  [AccessAction.CaseList]: [ANY_MEMBER],
  [AccessAction.CaseCreate]: [ADMIN, CLINICIANS],
  [AccessAction.CaseRead]: [ADMIN, CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.CaseUpdate]: [CARE_TEAM],
  [AccessAction.CaseManageParticipants]: [CARE_TEAM],
  [AccessAction.CaseManageCareTeam]: [ADMIN, CARE_TEAM],
  [AccessAction.CaseSetSafetyStatus]: [CARE_TEAM],
  [AccessAction.CaseSecretsPolicyRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.CaseSecretsPolicyUpdate]: [CARE_TEAM],
  [AccessAction.CaseSecretsPolicySign]: [PARTICIPANT],
  [AccessAction.CaseTimelineRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  // The shared ledger, boundary events and the disclosure log: participants and the
  // care team (supervisors read); never the directory (a clinic admin who is not
  // on the care team gets 404, see CONTENT_READ_ACTION). Only another participant
  // confirms or disputes a check-in.
  [AccessAction.LedgerRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.LedgerRecord]: [CARE_TEAM, PARTICIPANT],
  [AccessAction.LedgerRespond]: [PARTICIPANT],
  [AccessAction.BoundaryEventRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.BoundaryEventRecord]: [CARE_TEAM, PARTICIPANT],
  [AccessAction.BoundaryEventComplete]: [CARE_TEAM, PARTICIPANT],
  [AccessAction.DisclosureList]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.NotificationList]: [SELF],
  [AccessAction.NotificationMarkRead]: [SELF],
  // The repair plan and readiness: the care team writes, supervisors read, participants
  // read what is shared with them; a participant proposes their own needs and gives
  // their own readiness rating. The directory (a clinic admin off the care team) sees
  // none of it (404, see CONTENT_READ_ACTION).
  [AccessAction.RepairPlanRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.RepairPlanUpdate]: [CARE_TEAM],
  [AccessAction.RepairPlanPhaseChange]: [CARE_TEAM],
  [AccessAction.RepairPlanProposeNeeds]: [PARTICIPANT],
  [AccessAction.ReadinessRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.ReadinessRecord]: [CARE_TEAM],
  [AccessAction.ReadinessRate]: [PARTICIPANT],
  // The exercise library (templates, no client content): every staff member reads it
  // and may add, version, copy and retire the clinic's own exercises (each change is
  // versioned and audited; built-ins are read-only in the service). Clients do not
  // browse the library: they see the exercises assigned to them (403 here).
  [AccessAction.ExerciseList]: [STAFF_MEMBER],
  [AccessAction.ExerciseRead]: [STAFF_MEMBER],
  [AccessAction.ExerciseCreate]: [STAFF_MEMBER],
  [AccessAction.ExerciseRevise]: [STAFF_MEMBER],
  [AccessAction.ExerciseRetire]: [STAFF_MEMBER],
  [AccessAction.ExerciseCopy]: [STAFF_MEMBER],
  // The I-statement coach: any member, for their own text; nothing is read or stored.
  [AccessAction.CoachHintsRequest]: [ANY_MEMBER],
  // Homework: the care team assigns, cancels, reviews and gives feedback; supervisors
  // read; a participant answers and releases their own work and reads what the
  // service lets them see (homework-visibility.ts in libs/homework). The directory
  // (a clinic admin off the care team) sees none of it (404, CONTENT_READ_ACTION).
  [AccessAction.HomeworkRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.HomeworkAssign]: [CARE_TEAM],
  [AccessAction.HomeworkCancel]: [CARE_TEAM],
  [AccessAction.HomeworkAnswer]: [PARTICIPANT],
  [AccessAction.HomeworkReview]: [CARE_TEAM],
  // The overview is a care-team tool (statuses and dates, no answers): participants and the
  // directory get 404 (CONTENT_READ_ACTION maps it to itself), like safety alerts.
  [AccessAction.HomeworkOverviewRead]: [CARE_TEAM, SUPERVISOR_OF],
  [AccessAction.HomeworkListOwn]: [CLIENT_SELF],
  // Outcome measures and safety (issue 6). Participants read only their own measures and
  // check-ins (the service filters: another participant's are 404); safety alerts are the
  // care team's (a participant or the directory gets 404).
  [AccessAction.MeasureRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.MeasureSchedule]: [CARE_TEAM],
  [AccessAction.MeasureRecord]: [CARE_TEAM],
  [AccessAction.MeasureComplete]: [PARTICIPANT],
  [AccessAction.SafetyAlertRead]: [CARE_TEAM, SUPERVISOR_OF],
  [AccessAction.SafetyAlertRaise]: [CARE_TEAM],
  [AccessAction.SafetyAlertAcknowledge]: [CARE_TEAM],
  [AccessAction.SafetyCheckInRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.SafetyCheckInOffer]: [CARE_TEAM],
  [AccessAction.SafetyCheckInRespond]: [PARTICIPANT],
  [AccessAction.MeasureList]: [STAFF_MEMBER],
  [AccessAction.MeasureManage]: [ADMIN],
  [AccessAction.SafetyAlertList]: [STAFF_MEMBER],
  [AccessAction.SafetySettingsRead]: [STAFF_MEMBER],
  [AccessAction.SafetySettingsUpdate]: [ADMIN],
  [AccessAction.CrisisResourcesRead]: [ANY_MEMBER],
  // Sessions and notes (issue 8). Sessions: the care team schedules and updates,
  // supervisors read, participants read joint sessions and their own individual
  // ones (filtered by the service). Progress notes: care team and supervisors only;
  // a supervisor co-signs a supervisee's note. Psychotherapy notes: the service
  // answers 404 to anyone but the author. The directory sees none of it (404).
  [AccessAction.SessionRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.SessionSchedule]: [CARE_TEAM],
  [AccessAction.SessionUpdate]: [CARE_TEAM],
  [AccessAction.NoteRead]: [CARE_TEAM, SUPERVISOR_OF],
  [AccessAction.NoteWrite]: [CARE_TEAM],
  [AccessAction.NoteCosign]: [SUPERVISOR_OF],
  [AccessAction.PsychotherapyNoteAccess]: [CARE_TEAM],
  [AccessAction.CalendarFeedManage]: [{ roles: STAFF, relationship: Relationship.Self }],
  [AccessAction.NoteQueueRead]: [{ roles: STAFF, relationship: Relationship.Self }],
  [AccessAction.NoteCosignRequirementManage]: [ADMIN],
  // Progress reports (issue 9). Case reports: the care team and the supervisors of its
  // members. Client summaries: the care team requests (deciding what the couple or one
  // partner receives); the participants it is for read it (the service narrows a
  // partner's copy to that partner). Caseload: the counselor themself and their
  // supervisors. Clinic: clinic admins; a supervisor gets a copy whose breakdown holds
  // their supervisees (the service narrows). A kind the caller may not request is 404
  // (issue 9 "Bad input"), like a record they may not see (CONTENT_READ_ACTION).
  [AccessAction.ReportCaseRequest]: [CARE_TEAM, SUPERVISOR_OF],
  [AccessAction.ReportCaseRead]: [CARE_TEAM, SUPERVISOR_OF],
  [AccessAction.ReportClientSummaryRequest]: [CARE_TEAM],
  [AccessAction.ReportClientSummaryRead]: [CARE_TEAM, SUPERVISOR_OF, PARTICIPANT],
  [AccessAction.ReportCaseloadRequest]: [{ roles: ['counselor'], relationship: Relationship.Self }, SUPERVISOR_OF],
  [AccessAction.ReportCaseloadRead]: [{ roles: ['counselor'], relationship: Relationship.Self }, SUPERVISOR_OF],
  [AccessAction.ReportClinicRequest]: [ADMIN, { roles: ['supervisor'] }],
  [AccessAction.ReportClinicRead]: [ADMIN, { roles: ['supervisor'] }],
  [AccessAction.ReportSectionsRead]: [ANY_MEMBER],
  [AccessAction.ReportListOwn]: [SELF],
};

/**
 * Whether a caller may see a record decides how a refusal answers: a record they
 * may read but not change is 403; one they may not read is 404, exactly like a
 * record that does not exist (nothing tells them it is there).
 */
export const READ_ACTION: Readonly<Record<ResourceKind, AccessAction>> = {
  clinic: AccessAction.ClinicRead,
  user: AccessAction.UserRead,
  membership: AccessAction.MemberRead,
  supervision_link: AccessAction.SupervisionLinkRead,
  invitation: AccessAction.InvitationRead,
  login_session: AccessAction.LoginSessionRead,
  client: AccessAction.ClientRead,
  case: AccessAction.CaseRead,
};

/**
 * Actions on clinical content inside a record, with the action that decides
 * whether the caller may see that content at all. A caller who may see the
 * record but not this content (a clinic admin sees a case in the directory, not
 * its ledger) is answered 404 as for a missing record, not 403; one who may see
 * the content but not do this (a counselor confirming a check-in) gets 403.
 */
export const CONTENT_READ_ACTION: Readonly<Partial<Record<AccessAction, AccessAction>>> = {
  [AccessAction.LedgerRead]: AccessAction.LedgerRead,
  [AccessAction.LedgerRecord]: AccessAction.LedgerRead,
  [AccessAction.LedgerRespond]: AccessAction.LedgerRead,
  [AccessAction.BoundaryEventRead]: AccessAction.BoundaryEventRead,
  [AccessAction.BoundaryEventRecord]: AccessAction.BoundaryEventRead,
  [AccessAction.BoundaryEventComplete]: AccessAction.BoundaryEventRead,
  [AccessAction.DisclosureList]: AccessAction.DisclosureList,
  [AccessAction.RepairPlanRead]: AccessAction.RepairPlanRead,
  [AccessAction.RepairPlanUpdate]: AccessAction.RepairPlanRead,
  [AccessAction.RepairPlanPhaseChange]: AccessAction.RepairPlanRead,
  [AccessAction.RepairPlanProposeNeeds]: AccessAction.RepairPlanRead,
  [AccessAction.ReadinessRead]: AccessAction.ReadinessRead,
  [AccessAction.ReadinessRecord]: AccessAction.ReadinessRead,
  [AccessAction.ReadinessRate]: AccessAction.ReadinessRead,
  [AccessAction.CaseTimelineRead]: AccessAction.CaseTimelineRead,
  [AccessAction.CaseSecretsPolicyRead]: AccessAction.CaseSecretsPolicyRead,
  [AccessAction.CaseSecretsPolicyUpdate]: AccessAction.CaseSecretsPolicyRead,
  [AccessAction.CaseSecretsPolicySign]: AccessAction.CaseSecretsPolicyRead,
  [AccessAction.HomeworkRead]: AccessAction.HomeworkRead,
  [AccessAction.HomeworkAssign]: AccessAction.HomeworkRead,
  [AccessAction.HomeworkCancel]: AccessAction.HomeworkRead,
  [AccessAction.HomeworkAnswer]: AccessAction.HomeworkRead,
  [AccessAction.HomeworkReview]: AccessAction.HomeworkRead,
  [AccessAction.HomeworkOverviewRead]: AccessAction.HomeworkOverviewRead,
  [AccessAction.MeasureRead]: AccessAction.MeasureRead,
  [AccessAction.MeasureSchedule]: AccessAction.MeasureRead,
  [AccessAction.MeasureRecord]: AccessAction.MeasureRead,
  [AccessAction.MeasureComplete]: AccessAction.MeasureRead,
  [AccessAction.SafetyAlertRead]: AccessAction.SafetyAlertRead,
  [AccessAction.SafetyAlertRaise]: AccessAction.SafetyAlertRead,
  [AccessAction.SafetyAlertAcknowledge]: AccessAction.SafetyAlertRead,
  [AccessAction.SafetyCheckInRead]: AccessAction.SafetyCheckInRead,
  [AccessAction.SafetyCheckInOffer]: AccessAction.SafetyCheckInRead,
  [AccessAction.SafetyCheckInRespond]: AccessAction.SafetyCheckInRead,
  [AccessAction.SessionRead]: AccessAction.SessionRead,
  [AccessAction.SessionSchedule]: AccessAction.SessionRead,
  [AccessAction.SessionUpdate]: AccessAction.SessionRead,
  [AccessAction.NoteRead]: AccessAction.NoteRead,
  [AccessAction.NoteWrite]: AccessAction.NoteRead,
  [AccessAction.NoteCosign]: AccessAction.NoteRead,
  // Nobody but the author may know a psychotherapy note exists: 404 to everyone refused.
  [AccessAction.PsychotherapyNoteAccess]: AccessAction.PsychotherapyNoteAccess,
  // Reports: a kind or a report the caller may not have is 404 (issue 9).
  [AccessAction.ReportCaseRequest]: AccessAction.ReportCaseRequest,
  [AccessAction.ReportCaseRead]: AccessAction.ReportCaseRead,
  [AccessAction.ReportClientSummaryRequest]: AccessAction.ReportClientSummaryRequest,
  [AccessAction.ReportClientSummaryRead]: AccessAction.ReportClientSummaryRead,
  [AccessAction.ReportCaseloadRequest]: AccessAction.ReportCaseloadRequest,
  [AccessAction.ReportCaseloadRead]: AccessAction.ReportCaseloadRead,
  [AccessAction.ReportClinicRequest]: AccessAction.ReportClinicRequest,
  [AccessAction.ReportClinicRead]: AccessAction.ReportClinicRead,
};
