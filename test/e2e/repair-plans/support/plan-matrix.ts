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
 * Authorization-matrix entries of the repair plan and readiness assessments.
 * Each request names a fresh couple case of the caller's clinic
 * (AuthorizationWorld.couple): the clinic's counselor is on the care team, its
 * supervisor supervises them, its client caller is partner A, and its clinic
 * admin has the directory only — so on these routes the admin gets 404 (no
 * clinical content), the supervisor reads but writes nothing (403), the
 * participant reads and does their own part (403 for the care team's writes).
 */

const api = (path: string) => `/api/v1${path}`;
const get = (url: string): RequestSpec => ({ method: 'GET', url });
const today = (): string => new Date().toISOString().slice(0, 10);
const EMPTY = { breachAssessment: [], goals: [], commitments: [], boundaries: [], needs: [], contingencyPlans: [] };

function run<T>(world: AuthorizationWorld, clinicId: string, work: (tx: TenantTransaction) => Promise<T>): Promise<T> {
  return world.api.app.get(UnitOfWork).run(clinicId, work);
}

async function caseOf(world: AuthorizationWorld, caller: Caller): Promise<string> {
  return (await world.couple(caller.clinic ?? world.clinics.A)).caseId;
}

/** A case whose plan has two revisions (the second moves the shared review date, so participants see both). */
async function caseWithPlan(world: AuthorizationWorld, caller: Caller): Promise<string> {
  const clinic = caller.clinic ?? world.clinics.A;
  const caseId = await caseOf(world, caller);
  const author = memberOf(clinic.callers.counselor).membershipId;
  await run(world, clinic.clinicId, async (tx) => {
    await tx.query('insert into repair_plans (clinic_id, case_id, current_revision) values ($1, $2, 2)', [
      clinic.clinicId,
      caseId,
    ]);
    await tx.query(
      `insert into repair_plan_revisions (clinic_id, case_id, revision, id, document, author_membership_id)
       values ($1, $2, 1, $3, $4::jsonb, $7), ($1, $2, 2, $5, $6::jsonb, $7)`,
      [
        clinic.clinicId,
        caseId,
        randomUUID(),
        JSON.stringify({ ...EMPTY, reviewDate: null }),
        randomUUID(),
        JSON.stringify({ ...EMPTY, reviewDate: '2099-01-01' }),
        author,
      ],
    );
  });
  return caseId;
}

/** A case with a pending readiness assessment. */
async function pendingAssessment(
  world: AuthorizationWorld,
  caller: Caller,
): Promise<{ caseId: string; assessmentId: string }> {
  const clinic = caller.clinic ?? world.clinics.A;
  const caseId = await caseOf(world, caller);
  const assessmentId = randomUUID();
  await run(world, clinic.clinicId, (tx) =>
    tx.query(
      `insert into readiness_assessments (clinic_id, id, case_id, assessed_on, counselor_rating, recorded_by_membership_id)
       values ($1, $2, $3, current_date, 5, $4)`,
      [clinic.clinicId, assessmentId, caseId, memberOf(clinic.callers.counselor).membershipId],
    ),
  );
  return { caseId, assessmentId };
}

const READERS = ['supervisor', 'counselor', 'client'] as const;

/** Denied answers: 403 for who may read the plan (supervisor, participant, counselor), 404 for the directory. */
function caseRoute(name: string, allow: MatrixCase['allow'], success: number, build: MatrixCase['build']): MatrixCase {
  return { name, allow, success, denied: 403, except: { clinic_admin: 404 }, build };
}

const isolated = (build: (caseId: string) => RequestSpec): MatrixEntry['isolation'] => ({
  slots: ['case'],
  build: ([caseId]) => build(caseId),
  expected: 404,
});

const planBody = (expectedRevision: number) => ({ expectedRevision, content: { ...EMPTY, reviewDate: null } });

export const PLAN_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  'GET /api/v1/cases/:caseId/plan': {
    cases: [
      caseRoute('the current plan', READERS, 200, async (world, caller) =>
        get(api(`/cases/${await caseWithPlan(world, caller)}/plan`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/plan`))),
  },
  'PUT /api/v1/cases/:caseId/plan': {
    cases: [
      caseRoute('the first revision', ['counselor'], 200, async (world, caller) => ({
        method: 'PUT',
        url: api(`/cases/${await caseOf(world, caller)}/plan`),
        body: planBody(0),
      })),
    ],
    isolation: isolated((caseId) => ({ method: 'PUT', url: api(`/cases/${caseId}/plan`), body: planBody(0) })),
  },
  'PATCH /api/v1/cases/:caseId/plan': {
    cases: [
      caseRoute('a new revision of some sections', ['counselor'], 200, async (world, caller) => ({
        method: 'PATCH',
        url: api(`/cases/${await caseWithPlan(world, caller)}/plan`),
        body: { expectedRevision: 2, content: { contingencyPlans: [] } },
      })),
    ],
    isolation: isolated((caseId) => ({
      method: 'PATCH',
      url: api(`/cases/${caseId}/plan`),
      body: { expectedRevision: 1, content: { goals: [] } },
    })),
  },
  'PUT /api/v1/cases/:caseId/plan/my-needs': {
    cases: [
      caseRoute("a participant's own needs", ['client'], 200, async (world, caller) => ({
        method: 'PUT',
        url: api(`/cases/${await caseWithPlan(world, caller)}/plan/my-needs`),
        body: { expectedRevision: 2, needs: [{ text: 'Synthetic need' }] },
      })),
    ],
    isolation: isolated((caseId) => ({
      method: 'PUT',
      url: api(`/cases/${caseId}/plan/my-needs`),
      body: { expectedRevision: 1, needs: [] },
    })),
  },
  'GET /api/v1/cases/:caseId/plan/revisions': {
    cases: [
      caseRoute('the revisions', READERS, 200, async (world, caller) =>
        get(api(`/cases/${await caseWithPlan(world, caller)}/plan/revisions`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/plan/revisions`))),
  },
  'GET /api/v1/cases/:caseId/plan/revisions/:revision': {
    cases: [
      caseRoute('one revision', READERS, 200, async (world, caller) =>
        get(api(`/cases/${await caseWithPlan(world, caller)}/plan/revisions/1`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/plan/revisions/1`))),
  },
  'GET /api/v1/cases/:caseId/plan/diff': {
    cases: [
      caseRoute('a diff', READERS, 200, async (world, caller) =>
        get(api(`/cases/${await caseWithPlan(world, caller)}/plan/diff?from=1&to=2`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/plan/diff?from=1&to=2`))),
  },
  'POST /api/v1/cases/:caseId/plan/phase': {
    cases: [
      caseRoute('a phase change', ['counselor'], 201, async (world, caller) => ({
        method: 'POST',
        url: api(`/cases/${await caseOf(world, caller)}/plan/phase`),
        body: { toPhase: 'P1', reason: 'Synthetic reason' },
      })),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/plan/phase`),
      body: { toPhase: 'P1', reason: 'Synthetic reason' },
    })),
  },
  'GET /api/v1/cases/:caseId/plan/phase-changes': {
    cases: [
      caseRoute('the phase history', READERS, 200, async (world, caller) =>
        get(api(`/cases/${await caseOf(world, caller)}/plan/phase-changes`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/plan/phase-changes`))),
  },
  'POST /api/v1/cases/:caseId/readiness-assessments': {
    cases: [
      caseRoute('a readiness assessment', ['counselor'], 201, async (world, caller) => ({
        method: 'POST',
        url: api(`/cases/${await caseOf(world, caller)}/readiness-assessments`),
        body: { assessedOn: today(), counselorRating: 6 },
      })),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/readiness-assessments`),
      body: { assessedOn: today(), counselorRating: 6 },
    })),
  },
  'GET /api/v1/cases/:caseId/readiness-assessments': {
    cases: [
      caseRoute('the assessments', READERS, 200, async (world, caller) =>
        get(api(`/cases/${(await pendingAssessment(world, caller)).caseId}/readiness-assessments`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/readiness-assessments`))),
  },
  'GET /api/v1/cases/:caseId/readiness-assessments/:assessmentId': {
    cases: [
      caseRoute('one assessment', READERS, 200, async (world, caller) => {
        const { caseId, assessmentId } = await pendingAssessment(world, caller);
        return get(api(`/cases/${caseId}/readiness-assessments/${assessmentId}`));
      }),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/readiness-assessments/${randomUUID()}`))),
  },
  'POST /api/v1/cases/:caseId/readiness-assessments/:assessmentId/outcome': {
    cases: [
      caseRoute('the outcome of a pending assessment', ['counselor'], 200, async (world, caller) => {
        const { caseId, assessmentId } = await pendingAssessment(world, caller);
        return {
          method: 'POST',
          url: api(`/cases/${caseId}/readiness-assessments/${assessmentId}/outcome`),
          body: { outcome: 'continue' },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/readiness-assessments/${randomUUID()}/outcome`),
      body: { outcome: 'continue' },
    })),
  },
  'PUT /api/v1/cases/:caseId/readiness-assessments/:assessmentId/my-rating': {
    cases: [
      caseRoute("a participant's own rating", ['client'], 200, async (world, caller) => {
        const { caseId, assessmentId } = await pendingAssessment(world, caller);
        return {
          method: 'PUT',
          url: api(`/cases/${caseId}/readiness-assessments/${assessmentId}/my-rating`),
          body: { rating: 7 },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'PUT',
      url: api(`/cases/${caseId}/readiness-assessments/${randomUUID()}/my-rating`),
      body: { rating: 7 },
    })),
  },
};
