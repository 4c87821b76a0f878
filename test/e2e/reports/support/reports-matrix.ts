import { FieldEncryption, UnitOfWork } from '@mend/core';
import { ReportBuilder } from '@mend/reports';

import type { MatrixCase, MatrixEntry } from '../../authorization/authorization-matrix.js';
import {
  memberOf,
  type AuthorizationWorld,
  type Caller,
  type RequestSpec,
} from '../../authorization/support/authorization-world.js';

/**
 * Authorization-matrix entries of progress reports (issue 9). Each request
 * names a fresh couple case of the caller's clinic (AuthorizationWorld.couple):
 * its counselor is on the care team, its supervisor supervises that counselor,
 * its client caller is partner A, its clinic admin has the directory only.
 * Every refusal is 404 (a kind or a report the caller may not have does not
 * exist for them). Report fixtures are requested through the API by the
 * clinic's counselor (or admin) and, where a file is downloaded, built as the
 * worker builds them.
 */

const api = (path: string) => `/api/v1${path}`;
const get = (url: string): RequestSpec => ({ method: 'GET', url });
const clinicOf = (world: AuthorizationWorld, caller: Caller) => caller.clinic ?? world.clinics.A;
const PERIOD = { start: '2026-01-01', end: '2026-02-01' };

const route = (name: string, allow: MatrixCase['allow'], success: number, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow,
  success,
  denied: 404,
  build,
});

async function caseReportOf(
  world: AuthorizationWorld,
  caller: Caller,
  kind: 'case' | 'client_summary' = 'case',
  built = false,
): Promise<string> {
  const clinic = clinicOf(world, caller);
  const { caseId } = await world.couple(clinic);
  const response = await world.inject(
    {
      method: 'POST',
      url: api('/reports'),
      body: { kind, audience: kind === 'case' ? 'care_team' : 'couple', period: PERIOD, caseId },
    },
    clinic.callers.counselor,
  );
  if (response.statusCode !== 202) throw new Error(`requesting a report answered ${response.statusCode}`);
  const id = response.json<{ id: string }>().id;
  if (built) {
    const app = world.api.app;
    await new ReportBuilder(app.get(UnitOfWork), app.get(FieldEncryption)).build(clinic.clinicId, id);
  }
  return id;
}

const CLINICIANS = ['supervisor', 'counselor'] as const;

export const REPORTS_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  'POST /api/v1/reports': {
    cases: [
      route('a case report', CLINICIANS, 202, async (world, caller) => ({
        method: 'POST',
        url: api('/reports'),
        body: {
          kind: 'case',
          audience: 'care_team',
          period: PERIOD,
          caseId: (await world.couple(clinicOf(world, caller))).caseId,
        },
      })),
      route('a client summary for the couple', ['counselor'], 202, async (world, caller) => ({
        method: 'POST',
        url: api('/reports'),
        body: {
          kind: 'client_summary',
          audience: 'couple',
          period: PERIOD,
          caseId: (await world.couple(clinicOf(world, caller))).caseId,
        },
      })),
      route("the clinic counselor's caseload", CLINICIANS, 202, (world, caller) =>
        Promise.resolve({
          method: 'POST',
          url: api('/reports'),
          body: {
            kind: 'caseload',
            audience: 'counselor',
            period: PERIOD,
            counselorMembershipId: memberOf(clinicOf(world, caller).callers.counselor).membershipId,
          },
        }),
      ),
      route('the clinic report', ['clinic_admin'], 202, () =>
        Promise.resolve({
          method: 'POST',
          url: api('/reports'),
          body: { kind: 'clinic', audience: 'clinic', period: PERIOD },
        }),
      ),
      route("a supervisor's clinic report", ['supervisor'], 202, () =>
        Promise.resolve({
          method: 'POST',
          url: api('/reports'),
          body: { kind: 'clinic', audience: 'supervisor', period: PERIOD },
        }),
      ),
    ],
    isolation: {
      slots: ['case'],
      build: ([caseId]) => ({
        method: 'POST',
        url: api('/reports'),
        body: { kind: 'case', audience: 'care_team', period: PERIOD, caseId },
      }),
      expected: 404,
    },
  },
  'GET /api/v1/reports': {
    cases: [
      { name: "one's own reports", allow: 'members', success: 200, build: () => Promise.resolve(get(api('/reports'))) },
    ],
  },
  'GET /api/v1/reports/sections': {
    cases: [
      {
        name: 'the sections of a client summary for one partner',
        allow: 'members',
        success: 200,
        build: () => Promise.resolve(get(api('/reports/sections?kind=client_summary&audience=partner'))),
      },
    ],
  },
  'GET /api/v1/reports/:reportId': {
    cases: [
      route('a case report', CLINICIANS, 200, async (world, caller) =>
        get(api(`/reports/${await caseReportOf(world, caller)}`)),
      ),
      route("the couple's summary", [...CLINICIANS, 'client'], 200, async (world, caller) =>
        get(api(`/reports/${await caseReportOf(world, caller, 'client_summary')}`)),
      ),
    ],
  },
  'GET /api/v1/reports/:reportId/files/:fileName': {
    cases: [
      route('the JSON of a ready case report', CLINICIANS, 200, async (world, caller) =>
        get(api(`/reports/${await caseReportOf(world, caller, 'case', true)}/files/report.json`)),
      ),
      route(
        "the PDF of the couple's summary still queued (409 with progress)",
        [...CLINICIANS, 'client'],
        409,
        async (world, caller) =>
          get(api(`/reports/${await caseReportOf(world, caller, 'client_summary')}/files/report.pdf`)),
      ),
    ],
  },
  'POST /api/v1/reports/:reportId/cancel': {
    cases: [
      route('a queued case report', CLINICIANS, 200, async (world, caller) => ({
        method: 'POST',
        url: api(`/reports/${await caseReportOf(world, caller)}/cancel`),
      })),
    ],
  },
};
