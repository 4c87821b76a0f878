import { randomUUID } from 'node:crypto';

import type { MembershipRole } from '@mend/contracts';

import { ACCESS_ACTIONS, ACTION_RESOURCE_KIND, AccessAction } from './access-action.js';
import { AccessPolicy } from './access-policy.js';
import type { AccessPrincipal } from './access-principal.js';
import type { AccessResource, ResourceKind } from './access-resource.js';
import { AccessDeniedError, NOT_FOUND_DETAIL } from './access.errors.js';

/**
 * The full role × relationship × action table of this issue, written out by hand
 * as the specification: the policy must answer every cell exactly so.
 * `ok` = allowed; 403 = may see the record but not do this; 404 = may not see it
 * (answered like a record that does not exist).
 */
type Outcome = 'ok' | 403 | 404;
/** Outcomes for [clinic_admin, supervisor, counselor, client]. */
type Row = readonly [Outcome, Outcome, Outcome, Outcome];

/** How the principal stands to the record, per kind of record. */
type Scenario =
  /** The record is the principal's own (their clinic, account, membership, sign-in, a link they are an end of). */
  | 'own'
  /** A record of a counselor the principal is recorded as supervising (a link of that counselor to someone else). */
  | 'supervisee'
  /** Another member's record in the same clinic, no relationship. */
  | 'colleague'
  /** A record of another clinic. */
  | 'other_clinic';

const ROLES: readonly MembershipRole[] = ['clinic_admin', 'supervisor', 'counselor', 'client'];
const ALL_OK: Row = ['ok', 'ok', 'ok', 'ok'];
const ALL_404: Row = [404, 404, 404, 404];
const ADMIN_ONLY_VISIBLE: Row = ['ok', 403, 403, 403];
const ADMIN_ONLY_HIDDEN: Row = ['ok', 404, 404, 404];
const STAFF_ONLY: Row = ['ok', 'ok', 'ok', 403];
/** Rows for cases and clients: `own` = on the care team (staff) / the participant or the client themselves (client). */
const CARE_TEAM_WRITE = { own: STAFF_ONLY, supervisee: [403, 403, 404, 404], colleague: [403, 404, 404, 404] } as const;
const DIRECTORY_WRITE = { own: STAFF_ONLY, supervisee: ['ok', 403, 404, 404], colleague: ADMIN_ONLY_HIDDEN } as const;
/** Clinical content of a case (ledger, boundary events, disclosures): the directory (a clinic admin off the care team) gets 404. */
const CONTENT_READ = { own: ALL_OK, supervisee: [404, 'ok', 404, 404], colleague: ALL_404 } as const;
const CONTENT_WRITE = { own: ALL_OK, supervisee: [404, 403, 404, 404], colleague: ALL_404 } as const;

const EXPECTED: Readonly<Record<AccessAction, Partial<Record<Scenario, Row>>>> = {
  [AccessAction.ClinicRead]: { own: ALL_OK, other_clinic: ALL_404 },
  [AccessAction.ClinicUpdate]: { own: ADMIN_ONLY_VISIBLE, other_clinic: ALL_404 },
  [AccessAction.MemberList]: { own: ADMIN_ONLY_VISIBLE, other_clinic: ALL_404 },
  [AccessAction.InvitationList]: { own: ADMIN_ONLY_VISIBLE, other_clinic: ALL_404 },
  [AccessAction.InvitationCreate]: { own: ADMIN_ONLY_VISIBLE, other_clinic: ALL_404 },
  [AccessAction.AuditEventList]: { own: ADMIN_ONLY_VISIBLE, other_clinic: ALL_404 },
  [AccessAction.ReminderFailedList]: { own: ADMIN_ONLY_VISIBLE, other_clinic: ALL_404 },
  [AccessAction.ReminderRetry]: { own: ADMIN_ONLY_VISIBLE, other_clinic: ALL_404 },
  [AccessAction.MemberRead]: {
    own: ALL_OK,
    supervisee: ['ok', 'ok', 404, 404],
    colleague: ADMIN_ONLY_HIDDEN,
    other_clinic: ALL_404,
  },
  [AccessAction.MemberUpdate]: {
    own: ADMIN_ONLY_VISIBLE,
    supervisee: ['ok', 403, 404, 404],
    colleague: ADMIN_ONLY_HIDDEN,
    other_clinic: ALL_404,
  },
  [AccessAction.MemberIssuePasswordReset]: {
    own: ADMIN_ONLY_VISIBLE,
    supervisee: ['ok', 403, 404, 404],
    colleague: ADMIN_ONLY_HIDDEN,
    other_clinic: ALL_404,
  },
  [AccessAction.SupervisionLinkRead]: {
    own: ALL_OK,
    supervisee: ['ok', 'ok', 404, 404],
    colleague: ADMIN_ONLY_HIDDEN,
    other_clinic: ALL_404,
  },
  [AccessAction.SupervisionLinkCreate]: {
    own: ADMIN_ONLY_VISIBLE,
    supervisee: ['ok', 403, 404, 404],
    colleague: ADMIN_ONLY_HIDDEN,
    other_clinic: ALL_404,
  },
  [AccessAction.SupervisionLinkDelete]: {
    own: ADMIN_ONLY_VISIBLE,
    supervisee: ['ok', 403, 404, 404],
    colleague: ADMIN_ONLY_HIDDEN,
    other_clinic: ALL_404,
  },
  [AccessAction.InvitationRead]: { own: ADMIN_ONLY_HIDDEN, colleague: ADMIN_ONLY_HIDDEN, other_clinic: ALL_404 },
  [AccessAction.InvitationRevoke]: { own: ADMIN_ONLY_HIDDEN, colleague: ADMIN_ONLY_HIDDEN, other_clinic: ALL_404 },
  [AccessAction.UserRead]: { own: ALL_OK, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.UserChangePassword]: { own: ALL_OK, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.UserManageSecondFactor]: { own: ALL_OK, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.LoginSessionList]: { own: ALL_OK, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.LoginSessionRead]: { own: ALL_OK, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.LoginSessionRevoke]: { own: ALL_OK, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.ClientList]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.ClientCreate]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.CaseList]: { own: ALL_OK, other_clinic: ALL_404 },
  [AccessAction.CaseCreate]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.ClientRead]: {
    own: ALL_OK,
    supervisee: ['ok', 'ok', 404, 404],
    colleague: ADMIN_ONLY_HIDDEN,
    other_clinic: ALL_404,
  },
  [AccessAction.ClientUpdate]: { ...DIRECTORY_WRITE, other_clinic: ALL_404 },
  [AccessAction.ClientUpdatePreferences]: { ...DIRECTORY_WRITE, own: ALL_OK, other_clinic: ALL_404 },
  [AccessAction.ClientInvite]: { ...DIRECTORY_WRITE, other_clinic: ALL_404 },
  [AccessAction.CaseRead]: {
    own: ALL_OK,
    supervisee: ['ok', 'ok', 404, 404],
    colleague: ADMIN_ONLY_HIDDEN,
    other_clinic: ALL_404,
  },
  [AccessAction.CaseUpdate]: { ...CARE_TEAM_WRITE, other_clinic: ALL_404 },
  [AccessAction.CaseManageParticipants]: { ...CARE_TEAM_WRITE, other_clinic: ALL_404 },
  [AccessAction.CaseManageCareTeam]: { ...DIRECTORY_WRITE, other_clinic: ALL_404 },
  [AccessAction.CaseSetSafetyStatus]: { ...CARE_TEAM_WRITE, other_clinic: ALL_404 },
  [AccessAction.CaseSecretsPolicyRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.CaseSecretsPolicyUpdate]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.CaseSecretsPolicySign]: { ...CONTENT_WRITE, own: [403, 403, 403, 'ok'], other_clinic: ALL_404 },
  [AccessAction.CaseTimelineRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.LedgerRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.LedgerRecord]: { ...CONTENT_WRITE, other_clinic: ALL_404 },
  [AccessAction.LedgerRespond]: { ...CONTENT_WRITE, own: [403, 403, 403, 'ok'], other_clinic: ALL_404 },
  [AccessAction.BoundaryEventRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.BoundaryEventRecord]: { ...CONTENT_WRITE, other_clinic: ALL_404 },
  [AccessAction.BoundaryEventComplete]: { ...CONTENT_WRITE, other_clinic: ALL_404 },
  [AccessAction.DisclosureList]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.NotificationList]: { own: ALL_OK, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.NotificationMarkRead]: { own: ALL_OK, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.RepairPlanRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.RepairPlanUpdate]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.RepairPlanPhaseChange]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.RepairPlanProposeNeeds]: { ...CONTENT_WRITE, own: [403, 403, 403, 'ok'], other_clinic: ALL_404 },
  [AccessAction.ReadinessRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.ReadinessRecord]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.ReadinessRate]: { ...CONTENT_WRITE, own: [403, 403, 403, 'ok'], other_clinic: ALL_404 },
  // The exercise library: all staff, never clients (they may see the clinic: 403).
  [AccessAction.ExerciseList]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.ExerciseRead]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.ExerciseCreate]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.ExerciseRevise]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.ExerciseRetire]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.ExerciseCopy]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  // Homework: care team writes, supervisors read, a participant answers their own.
  [AccessAction.HomeworkRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.HomeworkAssign]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.HomeworkCancel]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.HomeworkAnswer]: { ...CONTENT_WRITE, own: [403, 403, 403, 'ok'], other_clinic: ALL_404 },
  [AccessAction.HomeworkReview]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  // The homework overview: the care team and supervisors; a participant and the directory get 404.
  [AccessAction.HomeworkOverviewRead]: {
    own: ['ok', 'ok', 'ok', 404],
    supervisee: [404, 'ok', 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.HomeworkListOwn]: { own: [403, 403, 403, 'ok'], colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.CoachHintsRequest]: { own: ALL_OK, other_clinic: ALL_404 },
  // Outcome measures and safety (issue 6).
  [AccessAction.MeasureRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.MeasureSchedule]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.MeasureRecord]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.MeasureComplete]: { ...CONTENT_WRITE, own: [403, 403, 403, 'ok'], other_clinic: ALL_404 },
  [AccessAction.SafetyAlertRead]: {
    own: ['ok', 'ok', 'ok', 404],
    supervisee: [404, 'ok', 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.SafetyAlertRaise]: {
    own: ['ok', 'ok', 'ok', 404],
    supervisee: [404, 403, 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.SafetyAlertAcknowledge]: {
    own: ['ok', 'ok', 'ok', 404],
    supervisee: [404, 403, 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.SafetyCheckInRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.SafetyCheckInOffer]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.SafetyCheckInRespond]: { ...CONTENT_WRITE, own: [403, 403, 403, 'ok'], other_clinic: ALL_404 },
  [AccessAction.MeasureList]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.MeasureManage]: { own: ADMIN_ONLY_VISIBLE, other_clinic: ALL_404 },
  [AccessAction.SafetyAlertList]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.SafetySettingsRead]: { own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.SafetySettingsUpdate]: { own: ADMIN_ONLY_VISIBLE, other_clinic: ALL_404 },
  [AccessAction.CrisisResourcesRead]: { own: ALL_OK, other_clinic: ALL_404 },
  // Sessions and notes (issue 8).
  [AccessAction.SessionRead]: { ...CONTENT_READ, other_clinic: ALL_404 },
  [AccessAction.SessionSchedule]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.SessionUpdate]: { ...CONTENT_WRITE, own: STAFF_ONLY, other_clinic: ALL_404 },
  [AccessAction.NoteRead]: { ...CONTENT_READ, own: ['ok', 'ok', 'ok', 404], other_clinic: ALL_404 },
  [AccessAction.NoteWrite]: { ...CONTENT_WRITE, own: ['ok', 'ok', 'ok', 404], other_clinic: ALL_404 },
  [AccessAction.NoteCosign]: {
    own: [403, 403, 403, 404],
    supervisee: [404, 'ok', 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.PsychotherapyNoteAccess]: {
    own: ['ok', 'ok', 'ok', 404],
    supervisee: ALL_404,
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.CalendarFeedManage]: { own: STAFF_ONLY, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.NoteQueueRead]: { own: STAFF_ONLY, colleague: ALL_404, other_clinic: ALL_404 },
  [AccessAction.NoteCosignRequirementManage]: {
    own: ADMIN_ONLY_VISIBLE,
    supervisee: ['ok', 403, 404, 404],
    colleague: ADMIN_ONLY_HIDDEN,
    other_clinic: ALL_404,
  },
  // Progress reports (issue 9): a refusal is always 404 (a kind you may not request does not exist for you).
  [AccessAction.ReportCaseRequest]: {
    own: ['ok', 'ok', 'ok', 404],
    supervisee: [404, 'ok', 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.ReportCaseRead]: {
    own: ['ok', 'ok', 'ok', 404],
    supervisee: [404, 'ok', 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.ReportClientSummaryRequest]: {
    own: ['ok', 'ok', 'ok', 404],
    supervisee: ALL_404,
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.ReportClientSummaryRead]: {
    own: ALL_OK,
    supervisee: [404, 'ok', 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.ReportCaseloadRequest]: {
    own: [404, 404, 'ok', 404],
    supervisee: [404, 'ok', 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.ReportCaseloadRead]: {
    own: [404, 404, 'ok', 404],
    supervisee: [404, 'ok', 404, 404],
    colleague: ALL_404,
    other_clinic: ALL_404,
  },
  [AccessAction.ReportClinicRequest]: { own: ['ok', 'ok', 404, 404], other_clinic: ALL_404 },
  [AccessAction.ReportClinicRead]: { own: ['ok', 'ok', 404, 404], other_clinic: ALL_404 },
  [AccessAction.ReportSectionsRead]: { own: ALL_OK, other_clinic: ALL_404 },
  [AccessAction.ReportListOwn]: { own: ALL_OK, colleague: ALL_404, other_clinic: ALL_404 },
};

const clinicA = randomUUID();
const clinicB = randomUUID();

function principalWith(roles: readonly MembershipRole[], clinicId = clinicA): AccessPrincipal {
  return { clinicId, userId: randomUUID(), membershipId: randomUUID(), roles };
}

/** A record of the given kind standing in `scenario` to `principal`. */
function resourceFor(kind: ResourceKind, scenario: Scenario, principal: AccessPrincipal): AccessResource {
  const clinicId = scenario === 'other_clinic' ? clinicB : principal.clinicId;
  const isOwn = scenario === 'own';
  const someone = { userId: randomUUID(), membershipId: randomUUID() };
  const owner = isOwn ? { userId: principal.userId, membershipId: principal.membershipId } : someone;
  const supervisors = scenario === 'supervisee' ? [randomUUID(), principal.membershipId] : [randomUUID()];
  switch (kind) {
    case 'clinic':
      return { kind, clinicId };
    case 'user':
      return { kind, clinicId, userId: owner.userId };
    case 'membership':
      return {
        kind,
        clinicId,
        ...owner,
        roles: ['counselor'],
        status: 'active',
        supervisorMembershipIds: scenario === 'own' ? [] : supervisors,
      };
    case 'supervision_link':
      return {
        kind,
        clinicId,
        supervisor: { membershipId: randomUUID(), userId: randomUUID() },
        counselor: { ...owner, supervisorMembershipIds: scenario === 'own' ? [] : supervisors },
      };
    case 'invitation':
      return {
        kind,
        clinicId,
        invitationId: randomUUID(),
        invitedByMembershipId: isOwn ? principal.membershipId : randomUUID(),
      };
    case 'login_session':
      return { kind, clinicId, loginSessionId: randomUUID(), ...owner };
    case 'client':
      // `own`: the principal looks after the client (care team) and, for a client, is that client.
      return {
        kind,
        clinicId,
        clientId: randomUUID(),
        status: 'active',
        membershipId: owner.membershipId,
        createdByMembershipId: randomUUID(),
        careTeamMembershipIds: isOwn ? [principal.membershipId] : [randomUUID()],
        supervisorMembershipIds: supervisors,
      };
    case 'case':
      // `own`: the principal is on the care team (staff) and a participant (client).
      return {
        kind,
        clinicId,
        caseId: randomUUID(),
        status: 'active',
        safetyStatus: 'normal',
        careTeam: [{ membershipId: owner.membershipId, isPrimary: true }],
        supervisorMembershipIds: supervisors,
        participants: [
          { clientId: randomUUID(), membershipId: owner.membershipId, role: 'harmed' },
          { clientId: randomUUID(), membershipId: randomUUID(), role: 'harming' },
        ],
      };
  }
}

describe('AccessPolicy', () => {
  const policy = new AccessPolicy();

  const cells = ACCESS_ACTIONS.flatMap((action) =>
    (Object.entries(EXPECTED[action]) as [Scenario, Row][]).flatMap(([scenario, row]) =>
      ROLES.map((role, index) => ({ action, scenario, role, expected: row[index] })),
    ),
  );

  it('has a specification row for every action, with the other-clinic column', () => {
    for (const action of ACCESS_ACTIONS) {
      expect({ action, scenarios: Object.keys(EXPECTED[action]) }).toEqual({
        action,
        scenarios: expect.arrayContaining(['own', 'other_clinic']),
      });
    }
    expect(cells.length).toBeGreaterThan(200);
  });

  it.each(cells)('$action on a $scenario record by a $role: $expected', ({ action, scenario, role, expected }) => {
    const principal = principalWith([role]);
    const resource = resourceFor(ACTION_RESOURCE_KIND[action], scenario, principal);
    const decision = policy.decide(principal, action, resource);
    expect(decision.allowed ? 'ok' : decision.status).toBe(expected);
  });

  it('gives a member with several roles the union of their grants', () => {
    const adminCounselor = principalWith(['clinic_admin', 'counselor']);
    const supervisorCounselor = principalWith(['supervisor', 'counselor']);
    const colleague = resourceFor('membership', 'colleague', adminCounselor);
    expect(policy.can(adminCounselor, AccessAction.MemberUpdate, colleague)).toBe(true);
    const supervisee = resourceFor('membership', 'supervisee', supervisorCounselor);
    expect(policy.can(supervisorCounselor, AccessAction.MemberRead, supervisee)).toBe(true);
    expect(policy.decide(supervisorCounselor, AccessAction.MemberUpdate, supervisee)).toMatchObject({ status: 403 });
  });

  it('refuses a principal with no role at all, even on their own records', () => {
    const nobody = principalWith([]);
    for (const action of ACCESS_ACTIONS) {
      const resource = resourceFor(ACTION_RESOURCE_KIND[action], 'own', nobody);
      expect({ action, allowed: policy.can(nobody, action, resource) }).toEqual({ action, allowed: false });
    }
  });

  it('never lets anything cross clinics, whatever the roles and relationships claimed', () => {
    const everything = principalWith(['clinic_admin', 'supervisor', 'counselor']);
    for (const action of ACCESS_ACTIONS) {
      // Own ids, supervision and all: only the clinic differs.
      const own = resourceFor(ACTION_RESOURCE_KIND[action], 'supervisee', everything);
      const elsewhere = { ...own, clinicId: clinicB } as AccessResource;
      expect({ action, decision: policy.decide(everything, action, elsewhere) }).toEqual({
        action,
        decision: { allowed: false, status: 404, reason: 'other_clinic' },
      });
    }
  });

  it('compares ids without regard to case (PostgreSQL and callers may differ)', () => {
    const principal = principalWith(['counselor']);
    const resource = resourceFor('login_session', 'own', principal) as Extract<
      AccessResource,
      { kind: 'login_session' }
    >;
    const upper = {
      ...resource,
      clinicId: resource.clinicId.toUpperCase(),
      userId: resource.userId.toUpperCase(),
      membershipId: resource.membershipId.toUpperCase(),
    };
    expect(policy.can(principal, AccessAction.LoginSessionRevoke, upper)).toBe(true);
  });

  it('throws on an action applied to the wrong kind of record (a programming error, not a refusal)', () => {
    const principal = principalWith(['clinic_admin']);
    expect(() =>
      policy.decide(principal, AccessAction.MemberUpdate, { kind: 'clinic', clinicId: principal.clinicId }),
    ).toThrow(/applies to a membership, not a clinic/);
  });

  describe('assert', () => {
    it('throws a 404 for a hidden record with exactly the body of a missing one', () => {
      const counselor = principalWith(['counselor']);
      const hidden = resourceFor('membership', 'colleague', counselor) as Extract<
        AccessResource,
        { kind: 'membership' }
      >;
      let thrown: unknown;
      try {
        policy.assert(counselor, AccessAction.MemberUpdate, hidden);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AccessDeniedError);
      const missing = new AccessDeniedError(AccessAction.MemberUpdate, 'membership', randomUUID(), 'not_found');
      const answer = (error: AccessDeniedError) => ({ status: error.status, code: error.code, detail: error.detail });
      expect(answer(thrown as AccessDeniedError)).toEqual(answer(missing));
      expect(answer(missing)).toEqual({ status: 404, code: 'not_found', detail: NOT_FOUND_DETAIL.membership });
      expect(thrown).toMatchObject({
        action: 'membership.update',
        resourceKind: 'membership',
        resourceId: hidden.membershipId,
        reason: 'hidden',
      });
    });

    it('throws a 403 forbidden for a visible record the caller may not change', () => {
      const counselor = principalWith(['counselor']);
      const clinic = { kind: 'clinic' as const, clinicId: counselor.clinicId };
      let thrown: unknown;
      try {
        policy.assert(counselor, AccessAction.ClinicUpdate, clinic);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AccessDeniedError);
      expect(thrown).toMatchObject({
        status: 403,
        code: 'forbidden',
        reason: 'forbidden',
        resourceId: clinic.clinicId,
      });
    });

    it('returns quietly when allowed', () => {
      const admin = principalWith(['clinic_admin']);
      expect(() =>
        policy.assert(admin, AccessAction.ClinicUpdate, { kind: 'clinic', clinicId: admin.clinicId }),
      ).not.toThrow();
    });
  });
});
