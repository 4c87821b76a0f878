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
  /** The clinic's reminders that failed every attempt (ids and error codes only), and retrying one. */
  ReminderFailedList = 'reminder.list_failed',
  ReminderRetry = 'reminder.retry',
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
  /** The shared trust ledger of a case: entries with their responses, and the summary. */
  LedgerRead = 'case.ledger.read',
  /** Record a check-in (a participant about their own commitment; the care team on a participant's behalf). */
  LedgerRecord = 'case.ledger.record',
  /** Confirm or dispute another participant's check-in. */
  LedgerRespond = 'case.ledger.respond',
  BoundaryEventRead = 'case.boundary_event.read',
  BoundaryEventRecord = 'case.boundary_event.record',
  /** Record that the restorative response of a boundary event was completed. */
  BoundaryEventComplete = 'case.boundary_event.complete',
  /** The disclosure log (care team: all; a participant: disclosures of their own content). */
  DisclosureList = 'case.disclosure.list',
  /** One's own in-app notifications (list, unread count). */
  NotificationList = 'user.notification.list',
  /** Mark one's own notifications read. */
  NotificationMarkRead = 'user.notification.mark_read',
  /** The repair plan: current content, revisions, diffs and phase history (filtered per viewer). */
  RepairPlanRead = 'case.plan.read',
  /** Write a new plan revision (optimistic concurrency on the revision number). */
  RepairPlanUpdate = 'case.plan.update',
  /** Move the case on the phase spine P0..P4, with a reason. */
  RepairPlanPhaseChange = 'case.plan.change_phase',
  /** A participant's own proposals among the plan's needs (the one plan edit participants make). */
  RepairPlanProposeNeeds = 'case.plan.propose_needs',
  /** Readiness assessments (care team: all; a participant: the outcome and their own rating). */
  ReadinessRead = 'case.readiness.read',
  /** Record an assessment and its outcome (which may close the case). */
  ReadinessRecord = 'case.readiness.record',
  /** A participant's own readiness rating. */
  ReadinessRate = 'case.readiness.rate',
  /** The exercise library: built-ins and the clinic's own exercises (staff). */
  ExerciseList = 'exercise.list',
  /** One exercise, at its current or a pinned version, and its version list. */
  ExerciseRead = 'exercise.read',
  /** A new clinic exercise. */
  ExerciseCreate = 'exercise.create',
  /** A new immutable version of a clinic exercise (built-ins are read-only). */
  ExerciseRevise = 'exercise.revise',
  /** Retire a clinic exercise (no new assignments; pinned versions stay readable). */
  ExerciseRetire = 'exercise.retire',
  /** Copy a built-in (or a clinic exercise) into a new clinic exercise. */
  ExerciseCopy = 'exercise.copy',
  /** I-statement coach hints for one's own draft text (stateless: nothing read, stored or audited). */
  CoachHintsRequest = 'clinic.coach_hints',
  /** Assignments and occurrences of a case, filtered per viewer (a partner never sees another's private or clinician work). */
  HomeworkRead = 'case.homework.read',
  /** Give an exercise to one participant or, paired, to both partners. */
  HomeworkAssign = 'case.homework.assign',
  HomeworkCancel = 'case.homework.cancel',
  /** A participant's own draft, submission and release. */
  HomeworkAnswer = 'case.homework.answer',
  /** Approve a release that requires review; feedback on a submission. */
  HomeworkReview = 'case.homework.review',
  /** The counselor's homework overview of a case: due, overdue, submitted, awaiting review, weekly rates (care team only). */
  HomeworkOverviewRead = 'case.homework.overview',
  /** A client's own open homework across their cases (the portal's "today"). */
  HomeworkListOwn = 'user.homework.list',
  /** Outcome measures of a case: administrations, change over time (care team: all; a participant: their own only). */
  MeasureRead = 'case.measure.read',
  /** Schedule a measure for a participant (once or recurring). */
  MeasureSchedule = 'case.measure.schedule',
  /** Record a participant's answers from a paper form. */
  MeasureRecord = 'case.measure.record',
  /** A participant completes their own due administration in the portal. */
  MeasureComplete = 'case.measure.complete',
  /** Safety alerts of a case (care team and supervisors only; participants: 404). */
  SafetyAlertRead = 'case.safety_alert.read',
  /** Raise a safety alert by hand. */
  SafetyAlertRaise = 'case.safety_alert.raise',
  SafetyAlertAcknowledge = 'case.safety_alert.acknowledge',
  /** Private safety check-ins (care team: all; a participant: their own only). */
  SafetyCheckInRead = 'case.safety_check_in.read',
  SafetyCheckInOffer = 'case.safety_check_in.offer',
  SafetyCheckInRespond = 'case.safety_check_in.respond',
  /** The measure catalogue: built-ins and the clinic's licensed measures (staff). */
  MeasureList = 'measure.list',
  /** Add a clinic-licensed measure, or record/withdraw a built-in's licence confirmation (clinic admin). */
  MeasureManage = 'measure.manage',
  /** Safety alerts of the caller's caseload (filtered by the service). */
  SafetyAlertList = 'safety_alert.list',
  SafetySettingsRead = 'clinic.safety_settings.read',
  SafetySettingsUpdate = 'clinic.safety_settings.update',
  /** The clinic's crisis resources (every member: clients are shown them). */
  CrisisResourcesRead = 'clinic.crisis_resources.read',
  /** Sessions of a case (care team: all; a participant: joint sessions and their own individual ones). */
  SessionRead = 'case.session.read',
  /** Schedule a session (joint, or individual under a signed secrets policy). */
  SessionSchedule = 'case.session.schedule',
  /** Reschedule, change status (completed / cancelled / no_show), record attendance. */
  SessionUpdate = 'case.session.update',
  /** Progress notes of a case with their amendments (care team and supervisors; never participants). */
  NoteRead = 'case.note.read',
  /** Write, edit (draft), sign and amend progress notes. */
  NoteWrite = 'case.note.write',
  /** Co-sign a signed note of a supervisee (the service checks the supervision of the author). */
  NoteCosign = 'case.note.cosign',
  /** One's own psychotherapy notes of a case (the service answers 404 for anyone but the author). */
  PsychotherapyNoteAccess = 'case.psychotherapy_note.access',
  /** One's own private calendar feed of sessions: issue, see whether live, revoke. */
  CalendarFeedManage = 'user.calendar_feed.manage',
  /** One's own unsigned notes and notes awaiting one's co-signature (no content). */
  NoteQueueRead = 'user.note_queue.read',
  /** Whether a counselor's progress notes need a supervisor's co-signature (clinic setting). */
  NoteCosignRequirementManage = 'membership.note_cosign_requirement.manage',
  /** Request a case progress report (care team and supervisors of its members). */
  ReportCaseRequest = 'case.report.request',
  /** Status and files of a case progress report. */
  ReportCaseRead = 'case.report.read',
  /** Request a client summary for the couple or one partner (the care team: they decide what is shared). */
  ReportClientSummaryRequest = 'case.client_summary.request',
  /** Status and files of a client summary (care team, supervisors, and the participants it is for). */
  ReportClientSummaryRead = 'case.client_summary.read',
  /** Request a counselor's caseload report (the counselor themself, their supervisors). */
  ReportCaseloadRequest = 'membership.caseload_report.request',
  ReportCaseloadRead = 'membership.caseload_report.read',
  /** Request the clinic report (clinic admins; supervisors get their supervisees' breakdown). */
  ReportClinicRequest = 'clinic.report.request',
  ReportClinicRead = 'clinic.report.read',
  /** Which sections a report kind gives an audience (no data: the redaction table). */
  ReportSectionsRead = 'clinic.report_sections.read',
  /** The reports one requested, and the client summaries shared with one. */
  ReportListOwn = 'user.report.list',
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
  [AccessAction.ReminderFailedList]: 'clinic',
  [AccessAction.ReminderRetry]: 'clinic',
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
  [AccessAction.LedgerRead]: 'case',
  [AccessAction.LedgerRecord]: 'case',
  [AccessAction.LedgerRespond]: 'case',
  [AccessAction.BoundaryEventRead]: 'case',
  [AccessAction.BoundaryEventRecord]: 'case',
  [AccessAction.BoundaryEventComplete]: 'case',
  [AccessAction.DisclosureList]: 'case',
  [AccessAction.NotificationList]: 'user',
  [AccessAction.NotificationMarkRead]: 'user',
  [AccessAction.RepairPlanRead]: 'case',
  [AccessAction.RepairPlanUpdate]: 'case',
  [AccessAction.RepairPlanPhaseChange]: 'case',
  [AccessAction.RepairPlanProposeNeeds]: 'case',
  [AccessAction.ReadinessRead]: 'case',
  [AccessAction.ReadinessRecord]: 'case',
  [AccessAction.ReadinessRate]: 'case',
  [AccessAction.ExerciseList]: 'clinic',
  [AccessAction.ExerciseRead]: 'clinic',
  [AccessAction.ExerciseCreate]: 'clinic',
  [AccessAction.ExerciseRevise]: 'clinic',
  [AccessAction.ExerciseRetire]: 'clinic',
  [AccessAction.ExerciseCopy]: 'clinic',
  [AccessAction.CoachHintsRequest]: 'clinic',
  [AccessAction.HomeworkRead]: 'case',
  [AccessAction.HomeworkAssign]: 'case',
  [AccessAction.HomeworkCancel]: 'case',
  [AccessAction.HomeworkAnswer]: 'case',
  [AccessAction.HomeworkReview]: 'case',
  [AccessAction.HomeworkOverviewRead]: 'case',
  [AccessAction.HomeworkListOwn]: 'user',
  [AccessAction.MeasureRead]: 'case',
  [AccessAction.MeasureSchedule]: 'case',
  [AccessAction.MeasureRecord]: 'case',
  [AccessAction.MeasureComplete]: 'case',
  [AccessAction.SafetyAlertRead]: 'case',
  [AccessAction.SafetyAlertRaise]: 'case',
  [AccessAction.SafetyAlertAcknowledge]: 'case',
  [AccessAction.SafetyCheckInRead]: 'case',
  [AccessAction.SafetyCheckInOffer]: 'case',
  [AccessAction.SafetyCheckInRespond]: 'case',
  [AccessAction.MeasureList]: 'clinic',
  [AccessAction.MeasureManage]: 'clinic',
  [AccessAction.SafetyAlertList]: 'clinic',
  [AccessAction.SafetySettingsRead]: 'clinic',
  [AccessAction.SafetySettingsUpdate]: 'clinic',
  [AccessAction.CrisisResourcesRead]: 'clinic',
  [AccessAction.SessionRead]: 'case',
  [AccessAction.SessionSchedule]: 'case',
  [AccessAction.SessionUpdate]: 'case',
  [AccessAction.NoteRead]: 'case',
  [AccessAction.NoteWrite]: 'case',
  [AccessAction.NoteCosign]: 'case',
  [AccessAction.PsychotherapyNoteAccess]: 'case',
  [AccessAction.CalendarFeedManage]: 'user',
  [AccessAction.NoteQueueRead]: 'user',
  [AccessAction.NoteCosignRequirementManage]: 'membership',
  [AccessAction.ReportCaseRequest]: 'case',
  [AccessAction.ReportCaseRead]: 'case',
  [AccessAction.ReportClientSummaryRequest]: 'case',
  [AccessAction.ReportClientSummaryRead]: 'case',
  [AccessAction.ReportCaseloadRequest]: 'membership',
  [AccessAction.ReportCaseloadRead]: 'membership',
  [AccessAction.ReportClinicRequest]: 'clinic',
  [AccessAction.ReportClinicRead]: 'clinic',
  [AccessAction.ReportSectionsRead]: 'clinic',
  [AccessAction.ReportListOwn]: 'user',
} as const satisfies Record<AccessAction, ResourceKind>;

export type ResourceKindOf<A extends AccessAction> = (typeof ACTION_RESOURCE_KIND)[A];
