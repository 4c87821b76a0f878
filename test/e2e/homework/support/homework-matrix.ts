import { randomUUID } from 'node:crypto';

import { FieldEncryption, UnitOfWork } from '@mend/core';
import { builtInExercise, contentOf } from '@mend/homework';

import type { MatrixCase, MatrixEntry } from '../../authorization/authorization-matrix.js';
import {
  memberOf,
  type AuthorizationWorld,
  type Caller,
  type RequestSpec,
} from '../../authorization/support/authorization-world.js';
import { sampleAnswers } from './homework-fixtures.js';

/**
 * Authorization-matrix entries of homework. Each request names a fresh couple case
 * of the caller's clinic (AuthorizationWorld.couple): the clinic's counselor is on
 * the care team, its supervisor supervises them, its client caller is partner A
 * (the recipient of the fixture's occurrence), and its clinic admin has the
 * directory only — so the admin gets 404 (no clinical content), the supervisor
 * reads but writes nothing (403), the participant reads and answers their own
 * work (403 for the care team's writes). Fixtures are inserted straight into the
 * tables (answers sealed with the app's FieldEncryption).
 */

const api = (path: string) => `/api/v1${path}`;
const get = (url: string): RequestSpec => ({ method: 'GET', url });
const READERS = ['supervisor', 'counselor', 'client'] as const;
const E07 = contentOf(builtInExercise('E07')!);

interface HomeworkFixture {
  readonly caseId: string;
  readonly assignmentId: string;
  readonly occurrenceId: string;
}

/**
 * A one-off assignment to partner A (open since 2000, due in 2099), with `visibility`;
 * `submitted` adds a submitted submission; `review` flags a release for review.
 */
async function fixture(
  world: AuthorizationWorld,
  caller: Caller,
  options: { visibility?: string; submitted?: boolean; review?: boolean } = {},
): Promise<HomeworkFixture> {
  const clinic = caller.clinic ?? world.clinics.A;
  const { caseId, partnerAClientId } = await world.couple(clinic);
  const counselor = memberOf(clinic.callers.counselor).membershipId;
  const assignmentId = randomUUID();
  const occurrenceId = randomUUID();
  const encryption = world.api.app.get(FieldEncryption);
  await world.api.app.get(UnitOfWork).run(clinic.clinicId, async (tx) => {
    await tx.query(
      `insert into assignments (clinic_id, id, case_id, exercise_ref, exercise_version, exercise_title, exercise_snapshot,
                                paired, visibility, release_requires_review, schedule, created_by_membership_id)
       values ($1, $2, $3, 'E07', 1, $4, $5::jsonb, false, $6, $7, '{"kind":"once","dueOn":"2099-01-01"}', $8)`,
      [
        clinic.clinicId,
        assignmentId,
        caseId,
        E07.title,
        JSON.stringify(E07),
        options.visibility ?? 'shared',
        options.review ?? false,
        counselor,
      ],
    );
    await tx.query(
      `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on, status)
       values ($1, $2, $3, $4, $5, '2000-01-01', '2099-01-01', $6)`,
      [
        clinic.clinicId,
        occurrenceId,
        assignmentId,
        caseId,
        partnerAClientId,
        options.submitted ? 'completed' : 'assigned',
      ],
    );
    if (options.submitted) {
      const submissionId = randomUUID();
      const sealed = await encryption.encrypt(
        tx,
        { table: 'submissions', rowId: submissionId, column: 'answers' },
        JSON.stringify(sampleAnswers('E07')),
      );
      await tx.query(
        `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, submitted_at)
         values ($1, $2, $3, $4, $5, 'submitted', $6, now())`,
        [clinic.clinicId, submissionId, occurrenceId, caseId, partnerAClientId, sealed],
      );
    }
  });
  return { caseId, assignmentId, occurrenceId };
}

/** Denied answers: 403 for who may read homework (supervisor, participant, counselor), 404 for the directory. */
function caseRoute(name: string, allow: MatrixCase['allow'], success: number, build: MatrixCase['build']): MatrixCase {
  return { name, allow, success, denied: 403, except: { clinic_admin: 404 }, build };
}

const isolated = (build: (caseId: string) => RequestSpec): MatrixEntry['isolation'] => ({
  slots: ['case'],
  build: ([caseId]) => build(caseId),
  expected: 404,
});

const occurrencePath = (f: HomeworkFixture, rest = '') =>
  api(`/cases/${f.caseId}/occurrences/${f.occurrenceId}${rest}`);
const NO_ID = '00000000-0000-4000-8000-000000000000';

export const HOMEWORK_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  'POST /api/v1/cases/:caseId/assignments': {
    cases: [
      caseRoute('a shared exercise for partner A', ['counselor'], 201, async (world, caller) => {
        const clinic = caller.clinic ?? world.clinics.A;
        const { caseId, partnerAClientId } = await world.couple(clinic);
        return {
          method: 'POST',
          url: api(`/cases/${caseId}/assignments`),
          body: {
            exerciseRef: 'E07',
            recipients: [{ clientId: partnerAClientId }],
            schedule: { kind: 'once', dueOn: '2099-01-01' },
          },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/assignments`),
      body: { exerciseRef: 'E07', recipients: [{ clientId: NO_ID }], schedule: { kind: 'once', dueOn: '2099-01-01' } },
    })),
  },
  'GET /api/v1/cases/:caseId/assignments': {
    cases: [
      caseRoute('the assignments of a case of theirs', READERS, 200, async (world, caller) =>
        get(api(`/cases/${(await fixture(world, caller)).caseId}/assignments`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/assignments`))),
  },
  'GET /api/v1/cases/:caseId/assignments/:assignmentId': {
    cases: [
      caseRoute('a shared assignment of partner A', READERS, 200, async (world, caller) => {
        const f = await fixture(world, caller);
        return get(api(`/cases/${f.caseId}/assignments/${f.assignmentId}`));
      }),
    ],
  },
  'POST /api/v1/cases/:caseId/assignments/:assignmentId/cancel': {
    cases: [
      caseRoute('cancelling an assignment', ['counselor'], 200, async (world, caller) => {
        const f = await fixture(world, caller);
        return { method: 'POST', url: api(`/cases/${f.caseId}/assignments/${f.assignmentId}/cancel`) };
      }),
    ],
  },
  'GET /api/v1/cases/:caseId/occurrences/:occurrenceId': {
    cases: [
      caseRoute('a shared occurrence of partner A', READERS, 200, async (world, caller) =>
        get(occurrencePath(await fixture(world, caller))),
      ),
    ],
  },
  'PUT /api/v1/cases/:caseId/occurrences/:occurrenceId/draft': {
    cases: [
      caseRoute("partner A's own draft", ['client'], 200, async (world, caller) => ({
        method: 'PUT',
        url: occurrencePath(await fixture(world, caller), '/draft'),
        body: { version: 0, answers: {} },
      })),
    ],
  },
  'POST /api/v1/cases/:caseId/occurrences/:occurrenceId/submit': {
    cases: [
      caseRoute("partner A's own submission", ['client'], 200, async (world, caller) => ({
        method: 'POST',
        url: occurrencePath(await fixture(world, caller), '/submit'),
        body: { answers: sampleAnswers('E07') },
      })),
    ],
  },
  'POST /api/v1/cases/:caseId/occurrences/:occurrenceId/release': {
    cases: [
      caseRoute('partner A releasing their own answer', ['client'], 200, async (world, caller) => ({
        method: 'POST',
        url: occurrencePath(await fixture(world, caller, { visibility: 'release', submitted: true }), '/release'),
      })),
    ],
  },
  'POST /api/v1/cases/:caseId/occurrences/:occurrenceId/review': {
    cases: [
      caseRoute('approving a release', ['counselor'], 200, async (world, caller) => ({
        method: 'POST',
        url: occurrencePath(
          await fixture(world, caller, { visibility: 'release', submitted: true, review: true }),
          '/review',
        ),
      })),
    ],
  },
  'POST /api/v1/cases/:caseId/occurrences/:occurrenceId/feedback': {
    cases: [
      caseRoute('feedback on a submission', ['counselor'], 201, async (world, caller) => ({
        method: 'POST',
        url: occurrencePath(await fixture(world, caller, { submitted: true }), '/feedback'),
        body: { note: 'Synthetic feedback' },
      })),
    ],
  },
  'GET /api/v1/me/assignments': {
    cases: [
      {
        name: "a client's own open homework",
        allow: ['client'],
        success: 200,
        denied: 403,
        build: () => Promise.resolve(get(api('/me/assignments'))),
      },
    ],
  },
};
