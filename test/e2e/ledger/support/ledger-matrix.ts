import { randomUUID } from 'node:crypto';

import { UnitOfWork, type TenantTransaction } from '@mend/core';

import type { MatrixCase, MatrixEntry } from '../../authorization/authorization-matrix.js';
import {
  memberOf,
  type AuthorizationWorld,
  type Caller,
  type RequestSpec,
} from '../../authorization/support/authorization-world.js';

/**
 * Authorization-matrix entries of the trust ledger, boundary events, disclosures
 * and notifications. Each request names a fresh couple case in the caller's
 * clinic whose care team is that clinic's counselor (supervised by its
 * supervisor) and whose participants are that clinic's client caller and a
 * second, fresh client (`world.couple`), and a plan with one commitment and one boundary.
 */

interface CaseFixture {
  readonly clinicId: string;
  readonly caseId: string;
  /** The client row of the clinic's client caller (a participant). */
  readonly callerClientId: string;
  /** The other participant (no portal membership). */
  readonly otherClientId: string;
  readonly counselorMembershipId: string;
  /** A joint commitment and a boundary of the case's plan (the ledger accepts entries about real ones only). */
  readonly commitmentId: string;
  readonly boundaryId: string;
}

function run<T>(world: AuthorizationWorld, clinicId: string, work: (tx: TenantTransaction) => Promise<T>): Promise<T> {
  return world.api.app.get(UnitOfWork).run(clinicId, work);
}

/** The world's fresh couple case of the caller's clinic, with a plan holding one joint commitment and one boundary. */
async function caseFor(world: AuthorizationWorld, caller: Caller): Promise<CaseFixture> {
  const clinic = caller.clinic ?? world.clinics.A;
  const clinicId = clinic.clinicId;
  const counselorMembershipId = memberOf(clinic.callers.counselor).membershipId;
  const couple = await world.couple(clinic);
  const { caseId, partnerAClientId: callerClientId, partnerBClientId: otherClientId } = couple;
  const commitmentId = randomUUID();
  const boundaryId = randomUUID();
  await run(world, clinicId, async (tx) => {
    const document = {
      breachAssessment: [],
      goals: [],
      commitments: [
        {
          id: commitmentId,
          participantClientIds: [callerClientId, otherClientId],
          what: 'Synthetic commitment',
          cadence: 'daily',
          cadenceDetail: null,
          verification: 'Self-reported',
          startDate: null,
          endDate: null,
        },
      ],
      boundaries: [
        {
          id: boundaryId,
          participantClientIds: [],
          description: 'Synthetic boundary',
          consequence: 'Synthetic consequence',
          restorativeResponse: 'Synthetic restorative response',
        },
      ],
      needs: [],
      contingencyPlans: [],
      reviewDate: null,
    };
    await tx.query('insert into repair_plans (clinic_id, case_id, current_revision) values ($1, $2, 1)', [
      clinicId,
      caseId,
    ]);
    await tx.query(
      `insert into repair_plan_revisions (clinic_id, case_id, revision, id, document, author_membership_id)
       values ($1, $2, 1, $3, $4::jsonb, $5)`,
      [clinicId, caseId, randomUUID(), JSON.stringify(document), counselorMembershipId],
    );
  });
  return { clinicId, caseId, callerClientId, otherClientId, counselorMembershipId, commitmentId, boundaryId };
}

async function checkInAboutOther(world: AuthorizationWorld, fixture: CaseFixture): Promise<string> {
  const id = randomUUID();
  await run(world, fixture.clinicId, (tx) =>
    tx.query(
      `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status,
                                         occurred_on, recorded_by_membership_id, recorded_by_kind)
       values ($1, $2, $3, $4, $5, 'kept', '2026-05-01', $6, 'care_team')`,
      [
        fixture.clinicId,
        id,
        fixture.caseId,
        fixture.commitmentId,
        fixture.otherClientId,
        fixture.counselorMembershipId,
      ],
    ),
  );
  return id;
}

async function boundaryEvent(world: AuthorizationWorld, fixture: CaseFixture): Promise<string> {
  const id = randomUUID();
  await run(world, fixture.clinicId, (tx) =>
    tx.query(
      `insert into boundary_events (clinic_id, id, case_id, boundary_id, occurred_at, severity,
                                    reported_by_membership_id, reported_by_kind)
       values ($1, $2, $3, $4, '2026-05-01T10:00:00Z', 'low', $5, 'care_team')`,
      [fixture.clinicId, id, fixture.caseId, fixture.boundaryId, fixture.counselorMembershipId],
    ),
  );
  return id;
}

const casePath = (fixture: CaseFixture, rest: string) => `/api/v1/cases/${fixture.caseId}${rest}`;

/** Reads of shared case content: care team, its supervisor, participants; the directory (admin) gets 404. */
function sharedRead(name: string, rest: string): MatrixEntry {
  return {
    cases: [
      {
        name,
        allow: ['supervisor', 'counselor', 'client'],
        success: 200,
        denied: 404,
        build: async (world, caller) => ({ method: 'GET', url: casePath(await caseFor(world, caller), rest) }),
      },
    ],
  };
}

/** Writes by the care team or a participant: the supervisor may see (403), the admin may not (404). */
function sharedWrite(name: string, build: MatrixCase['build']): MatrixEntry {
  return {
    cases: [
      {
        name,
        allow: ['counselor', 'client'],
        success: 201,
        denied: 404,
        except: { supervisor: 403 },
        build,
      },
    ],
  };
}

async function ownNotification(world: AuthorizationWorld, caller: Caller): Promise<RequestSpec> {
  const id = randomUUID();
  if (caller.member !== null) {
    await run(world, caller.member.clinicId, (tx) =>
      tx.query(
        `insert into notifications (clinic_id, id, recipient_membership_id, kind, title)
         values ($1, $2, $3, 'disclosure.made', 'Something you wrote was shared in your case')`,
        [caller.member?.clinicId, id, caller.member?.membershipId],
      ),
    );
  }
  return { method: 'POST', url: `/api/v1/notifications/${id}/read` };
}

const members = (name: string, spec: RequestSpec, success = 200): MatrixEntry => ({
  cases: [{ name, allow: 'members', success, build: () => Promise.resolve(spec) }],
});

export const LEDGER_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  'GET /api/v1/cases/:caseId/ledger': sharedRead('the ledger of a case of theirs', '/ledger'),
  'GET /api/v1/cases/:caseId/ledger/summary': sharedRead('the ledger summary', '/ledger/summary'),
  'POST /api/v1/cases/:caseId/ledger/check-ins': sharedWrite(
    'a check-in (about the client caller)',
    async (world, caller) => {
      const fixture = await caseFor(world, caller);
      return {
        method: 'POST',
        url: casePath(fixture, '/ledger/check-ins'),
        body: {
          commitmentId: fixture.commitmentId,
          status: 'kept',
          occurredOn: '2026-05-01',
          participantClientId: fixture.callerClientId,
        },
      };
    },
  ),
  'POST /api/v1/cases/:caseId/ledger/check-ins/:checkInId/responses': {
    cases: [
      {
        name: "confirming the other participant's check-in",
        allow: ['client'],
        success: 201,
        denied: 404,
        except: { supervisor: 403, counselor: 403 },
        build: async (world, caller) => {
          const fixture = await caseFor(world, caller);
          const checkInId = await checkInAboutOther(world, fixture);
          return {
            method: 'POST',
            url: casePath(fixture, `/ledger/check-ins/${checkInId}/responses`),
            body: { response: 'confirmed' },
          };
        },
      },
    ],
  },
  'GET /api/v1/cases/:caseId/boundary-events': sharedRead(
    'the boundary events of a case of theirs',
    '/boundary-events',
  ),
  'POST /api/v1/cases/:caseId/boundary-events': sharedWrite('a crossed boundary', async (world, caller) => {
    const fixture = await caseFor(world, caller);
    return {
      method: 'POST',
      url: casePath(fixture, '/boundary-events'),
      body: { boundaryId: fixture.boundaryId, occurredAt: '2026-05-01T10:00:00Z', severity: 'low' },
    };
  }),
  'POST /api/v1/cases/:caseId/boundary-events/:eventId/completion': sharedWrite(
    'completing a restorative response',
    async (world, caller) => {
      const fixture = await caseFor(world, caller);
      const eventId = await boundaryEvent(world, fixture);
      return { method: 'POST', url: casePath(fixture, `/boundary-events/${eventId}/completion`), body: {} };
    },
  ),
  'GET /api/v1/cases/:caseId/disclosures': sharedRead('the disclosure log of a case of theirs', '/disclosures'),
  'GET /api/v1/notifications': members('their own notifications', { method: 'GET', url: '/api/v1/notifications' }),
  'GET /api/v1/notifications/unread-count': members('their own unread count', {
    method: 'GET',
    url: '/api/v1/notifications/unread-count',
  }),
  'POST /api/v1/notifications/read-all': members('marking their own read', {
    method: 'POST',
    url: '/api/v1/notifications/read-all',
  }),
  'POST /api/v1/notifications/:notificationId/read': {
    cases: [{ name: 'one of their own', allow: 'members', success: 200, build: ownNotification }],
  },
};
