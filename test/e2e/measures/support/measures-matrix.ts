import { randomUUID } from 'node:crypto';

import { UnitOfWork, type TenantTransaction } from '@mend/core';

import type { MatrixCase, MatrixEntry } from '../../authorization/authorization-matrix.js';
import {
  memberOf,
  type AuthorizationWorld,
  type Caller,
  type ClinicFixtures,
  type RequestSpec,
} from '../../authorization/support/authorization-world.js';

/**
 * Authorization-matrix entries of outcome measures and safety (issue 6). Case
 * routes name a fresh couple case of the caller's clinic (AuthorizationWorld.couple):
 * its counselor is the primary counselor (care team), its supervisor supervises
 * them, its client caller is partner A, and its clinic admin has the directory
 * only. So, as in libs/access/src/access-policy.spec.ts: measures and check-ins
 * are clinical content (admin 404; the supervisor reads, writes nothing: 403);
 * safety alerts belong to the care team and its supervisors (participants and the
 * directory: 404). Clinic routes: the catalogue, caseload and settings are read by
 * staff (a client: 403), changed by the clinic admin (others: 403); every member
 * reads the crisis resources. Fixtures are inserted straight into the tables.
 */

const api = (path: string) => `/api/v1${path}`;
const get = (url: string): RequestSpec => ({ method: 'GET', url });
const phq9 = (value: number) =>
  Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`phq9_${index + 1}`, value]));

function run<T>(world: AuthorizationWorld, clinicId: string, work: (tx: TenantTransaction) => Promise<T>): Promise<T> {
  return world.api.app.get(UnitOfWork).run(clinicId, work);
}

interface MeasureCase {
  readonly clinic: ClinicFixtures;
  readonly caseId: string;
  /** Partner A: the clinic's client caller. */
  readonly clientId: string;
  readonly counselorMembershipId: string;
}

async function caseOf(world: AuthorizationWorld, caller: Caller): Promise<MeasureCase> {
  const clinic = caller.clinic ?? world.clinics.A;
  const fixture = await world.couple(clinic);
  return {
    clinic,
    caseId: fixture.caseId,
    clientId: fixture.partnerAClientId,
    counselorMembershipId: memberOf(clinic.callers.counselor).membershipId,
  };
}

const casePath = (fixture: MeasureCase, rest: string) => api(`/cases/${fixture.caseId}${rest}`);

/** A synthetic measure the clinic holds a licence for (invented: not a real instrument), with complete wording. */
function clinicMeasure(id: string): Record<string, unknown> {
  return {
    id,
    version: '1',
    name: 'Synthetic Check',
    displayLabel: 'Synthetic check',
    domain: 'relationship',
    recallPeriod: 'past week',
    attribution: 'Synthetic test instrument, Example Clinic.',
    licence: { verdict: 'clinic_licensed', note: 'Test fixture.', source: 'Example Clinic licence 2024-001' },
    wording: { status: 'complete', note: 'Synthetic wording.' },
    responseOptions: [1, 2, 3, 4, 5].map((value) => ({ value, label: `Option ${value}` })),
    items: [1, 2, 3].map((number) => ({ id: `sc_${number}`, number, text: `Synthetic item ${number}.` })),
    scoring: {
      method: 'mean',
      range: { min: 1, max: 5 },
      partialAnswers: { rule: 'prorate', maxMissing: 1, source: 'Example Clinic scoring manual p. 2' },
      source: 'Example Clinic scoring manual p. 2',
    },
    subscales: [],
    direction: 'higher_is_better',
    severityBands: null,
    cutoff: null,
    reliableChange: {
      kind: 'platform_computed',
      threshold: 0.86,
      n: 120,
      sd: 0.8,
      r: 0.85,
      reliability: 'test_retest',
      source: 'platform-computed from N = 120, SD = 0.8, r = 0.85 (test-retest r); Jacobson & Truax 1991',
    },
    separatelyReportedItems: [],
    safetySignals: [],
  };
}

const newMeasureId = () => `matrix-${randomUUID().slice(0, 8)}`;

/** One administrable clinic measure per clinic (inserted once), for the participant's completion route. */
const administrable = new Map<string, Promise<string>>();
function administrableMeasure(world: AuthorizationWorld, clinicId: string): Promise<string> {
  let existing = administrable.get(clinicId);
  if (existing === undefined) {
    const id = newMeasureId();
    existing = run(world, clinicId, async (tx) => {
      await tx.query(
        `insert into clinic_measures (clinic_id, measure_id, version, kind, definition, licence_reference)
         values ($1, $2, '1', 'clinic', $3::jsonb, 'Synthetic licence')`,
        [clinicId, id, JSON.stringify(clinicMeasure(id))],
      );
      return id;
    });
    administrable.set(clinicId, existing);
  }
  return existing;
}

/** A due administration of partner A (the client caller). */
async function dueAdministration(world: AuthorizationWorld, fixture: MeasureCase, measureId = 'phq-9') {
  const id = randomUUID();
  await run(world, fixture.clinic.clinicId, (tx) =>
    tx.query(
      `insert into measure_administrations (clinic_id, id, case_id, client_id, measure_id, measure_version, status, due_at)
       values ($1, $2, $3, $4, $5, '1', 'due', now())`,
      [fixture.clinic.clinicId, id, fixture.caseId, fixture.clientId, measureId],
    ),
  );
  return id;
}

/** An open tier-3 alert of the case. */
async function openAlert(world: AuthorizationWorld, fixture: MeasureCase): Promise<string> {
  const id = randomUUID();
  await run(world, fixture.clinic.clinicId, (tx) =>
    tx.query(
      `insert into safety_alerts (clinic_id, id, case_id, tier, trigger, rule_ids, spans, raised_at, raised_by_membership_id)
       values ($1, $2, $3, 3, 'manual', '["manual"]'::jsonb, '[]'::jsonb, now(), $4)`,
      [fixture.clinic.clinicId, id, fixture.caseId, fixture.counselorMembershipId],
    ),
  );
  return id;
}

/** A check-in offered to partner A, with one yes/no question. */
async function offeredCheckIn(world: AuthorizationWorld, fixture: MeasureCase): Promise<string> {
  const id = randomUUID();
  await run(world, fixture.clinic.clinicId, (tx) =>
    tx.query(
      `insert into safety_check_ins (clinic_id, id, case_id, client_id, questions, offered_by_membership_id)
       values ($1, $2, $3, $4, $5::jsonb, $6)`,
      [
        fixture.clinic.clinicId,
        id,
        fixture.caseId,
        fixture.clientId,
        JSON.stringify([{ id: 'afraid', text: 'Synthetic question?', kind: 'yes_no' }]),
        fixture.counselorMembershipId,
      ],
    ),
  );
  return id;
}

/** Reads of a case's measures and check-ins: care team, its supervisor, the participant; the directory gets 404. */
const contentRead = (name: string, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow: ['supervisor', 'counselor', 'client'],
  success: 200,
  denied: 404,
  build,
});
/** Care-team writes: the supervisor and the participant may see the case (403), the directory may not (404). */
const careTeamWrite = (name: string, success: number, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow: ['counselor'],
  success,
  denied: 403,
  except: { clinic_admin: 404 },
  build,
});
/** A participant's own part: the care team and supervisor may see the case (403), the directory may not (404). */
const participantWrite = (name: string, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow: ['client'],
  success: 201,
  denied: 403,
  except: { clinic_admin: 404 },
  build,
});
/** Safety alerts and the dyadic view of a case: the care team and its supervisors only (participants: 404). */
const careTeamRead = (name: string, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow: ['supervisor', 'counselor'],
  success: 200,
  denied: 404,
  build,
});
const alertWrite = (name: string, success: number, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow: ['counselor'],
  success,
  denied: 404,
  except: { supervisor: 403 },
  build,
});
const staff = (name: string, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow: ['clinic_admin', 'supervisor', 'counselor'],
  success: 200,
  denied: 403,
  build,
});
const admin = (name: string, success: number, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow: ['clinic_admin'],
  success,
  denied: 403,
  build,
});

/** Every case route: another clinic's case (or an unknown one) is 404, whatever else the request names. */
const isolated = (build: (caseId: string) => RequestSpec): MatrixEntry['isolation'] => ({
  slots: ['case'],
  build: ([caseId]) => build(caseId),
  expected: 404,
});

const scheduleBody = (clientId: string) => ({
  clientId,
  measureId: 'phq-9',
  version: '1',
  startDate: '2026-07-01',
  localTime: '18:00',
  intervalDays: 14,
  occurrences: 2,
});
const recordBody = (clientId: string) => ({ clientId, measureId: 'phq-9', version: '1', answers: phq9(0) });

/** A current licence confirmation of the CSI-16 in the caller's clinic (kept if one is current), for the withdrawal route. */
async function currentCsi16Confirmation(world: AuthorizationWorld, clinic: ClinicFixtures): Promise<void> {
  await run(world, clinic.clinicId, (tx) =>
    tx.query(
      `insert into measure_licence_confirmations (clinic_id, id, measure_id, reference, confirmed_by_membership_id)
       values ($1, $2, 'csi-16', 'Synthetic licence confirmation', $3)
       on conflict (clinic_id, measure_id) where withdrawn_at is null do nothing`,
      [clinic.clinicId, randomUUID(), memberOf(clinic.callers.clinic_admin).membershipId],
    ),
  );
}

export const MEASURES_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  // ---- the measure catalogue (clinic) ---------------------------------------------------------------
  'GET /api/v1/measures': { cases: [staff('the catalogue', () => Promise.resolve(get(api('/measures'))))] },
  'GET /api/v1/measures/:measureId/versions/:version': {
    cases: [staff('a built-in version', () => Promise.resolve(get(api('/measures/phq-9/versions/1'))))],
  },
  'POST /api/v1/measures': {
    cases: [
      admin('a licensed measure', 201, () =>
        Promise.resolve({
          method: 'POST',
          url: api('/measures'),
          body: { definition: clinicMeasure(newMeasureId()), licenceReference: 'Synthetic licence' },
        }),
      ),
    ],
  },
  // The CSI's licence confirmation: recorded (a current one is replaced) and withdrawn by the clinic admin only.
  'PUT /api/v1/measures/:measureId/licence-confirmation': {
    cases: [
      admin('a licence confirmation of the CSI-4', 200, () =>
        Promise.resolve({
          method: 'PUT',
          url: api('/measures/csi-4/licence-confirmation'),
          body: { reference: "Synthetic: the authors' email" },
        }),
      ),
    ],
  },
  'DELETE /api/v1/measures/:measureId/licence-confirmation': {
    cases: [
      admin('withdrawing the current confirmation of the CSI-16', 200, async (world, caller) => {
        await currentCsi16Confirmation(world, caller.clinic ?? world.clinics.A);
        return { method: 'DELETE', url: api('/measures/csi-16/licence-confirmation') };
      }),
    ],
  },

  // ---- measures of a case ---------------------------------------------------------------------------
  'POST /api/v1/cases/:caseId/measure-schedules': {
    cases: [
      careTeamWrite('a schedule for partner A', 201, async (world, caller) => {
        const fixture = await caseOf(world, caller);
        return { method: 'POST', url: casePath(fixture, '/measure-schedules'), body: scheduleBody(fixture.clientId) };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/measure-schedules`),
      body: scheduleBody(randomUUID()),
    })),
  },
  'GET /api/v1/cases/:caseId/measure-administrations': {
    cases: [
      contentRead('the administrations', async (world, caller) =>
        get(casePath(await caseOf(world, caller), '/measure-administrations')),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/measure-administrations`))),
  },
  'GET /api/v1/cases/:caseId/measure-administrations/:administrationId': {
    cases: [
      contentRead("one of partner A's administrations", async (world, caller) => {
        const fixture = await caseOf(world, caller);
        return get(casePath(fixture, `/measure-administrations/${await dueAdministration(world, fixture)}`));
      }),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/measure-administrations/${randomUUID()}`))),
  },
  'POST /api/v1/cases/:caseId/measure-administrations': {
    cases: [
      careTeamWrite('answers from a paper form', 201, async (world, caller) => {
        const fixture = await caseOf(world, caller);
        return {
          method: 'POST',
          url: casePath(fixture, '/measure-administrations'),
          body: recordBody(fixture.clientId),
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/measure-administrations`),
      body: recordBody(randomUUID()),
    })),
  },
  'POST /api/v1/cases/:caseId/measure-administrations/:administrationId/responses': {
    cases: [
      participantWrite("completing one's own due administration", async (world, caller) => {
        const fixture = await caseOf(world, caller);
        const measureId = await administrableMeasure(world, fixture.clinic.clinicId);
        const administrationId = await dueAdministration(world, fixture, measureId);
        return {
          method: 'POST',
          url: casePath(fixture, `/measure-administrations/${administrationId}/responses`),
          body: { answers: { sc_1: 3, sc_2: 4, sc_3: 5 } },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/measure-administrations/${randomUUID()}/responses`),
      body: { answers: phq9(0) },
    })),
  },
  'GET /api/v1/cases/:caseId/clients/:clientId/measures/:measureId/change': {
    cases: [
      contentRead("partner A's change over time", async (world, caller) => {
        const fixture = await caseOf(world, caller);
        return get(casePath(fixture, `/clients/${fixture.clientId}/measures/phq-9/change`));
      }),
    ],
    isolation: {
      slots: ['case', 'client'],
      build: ([caseId, clientId]) => get(api(`/cases/${caseId}/clients/${clientId}/measures/phq-9/change`)),
      expected: 404,
    },
  },
  'GET /api/v1/cases/:caseId/measures/:measureId/dyadic': {
    cases: [
      // Care team only: the participant sees the case but not the side-by-side view (404 like the directory).
      careTeamRead('the dyadic view of a relationship measure', async (world, caller) =>
        get(casePath(await caseOf(world, caller), '/measures/csi-4/dyadic')),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/measures/csi-4/dyadic`))),
  },

  // ---- safety alerts and check-ins of a case --------------------------------------------------------
  'GET /api/v1/cases/:caseId/safety-alerts': {
    cases: [
      careTeamRead('the alerts of a case', async (world, caller) => {
        const fixture = await caseOf(world, caller);
        await openAlert(world, fixture);
        return get(casePath(fixture, '/safety-alerts'));
      }),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/safety-alerts`))),
  },
  'GET /api/v1/cases/:caseId/safety-alerts/:alertId': {
    cases: [
      careTeamRead('one alert', async (world, caller) => {
        const fixture = await caseOf(world, caller);
        return get(casePath(fixture, `/safety-alerts/${await openAlert(world, fixture)}`));
      }),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/safety-alerts/${randomUUID()}`))),
  },
  'POST /api/v1/cases/:caseId/safety-alerts': {
    cases: [
      alertWrite('a tier-3 alert by hand', 201, async (world, caller) => ({
        method: 'POST',
        url: casePath(await caseOf(world, caller), '/safety-alerts'),
        body: { tier: 3, reason: 'Synthetic reason' },
      })),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/safety-alerts`),
      body: { tier: 3 },
    })),
  },
  'POST /api/v1/cases/:caseId/safety-alerts/:alertId/acknowledge': {
    cases: [
      alertWrite('an open alert', 201, async (world, caller) => {
        const fixture = await caseOf(world, caller);
        return {
          method: 'POST',
          url: casePath(fixture, `/safety-alerts/${await openAlert(world, fixture)}/acknowledge`),
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/safety-alerts/${randomUUID()}/acknowledge`),
    })),
  },
  'GET /api/v1/cases/:caseId/safety-check-ins': {
    cases: [
      contentRead('the check-ins (a participant: their own)', async (world, caller) => {
        const fixture = await caseOf(world, caller);
        await offeredCheckIn(world, fixture);
        return get(casePath(fixture, '/safety-check-ins'));
      }),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/safety-check-ins`))),
  },
  'POST /api/v1/cases/:caseId/safety-check-ins': {
    cases: [
      careTeamWrite('a check-in for partner A', 201, async (world, caller) => {
        const fixture = await caseOf(world, caller);
        return { method: 'POST', url: casePath(fixture, '/safety-check-ins'), body: { clientId: fixture.clientId } };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/safety-check-ins`),
      body: { clientId: randomUUID() },
    })),
  },
  'POST /api/v1/cases/:caseId/safety-check-ins/:checkInId/responses': {
    cases: [
      participantWrite("answering one's own check-in", async (world, caller) => {
        const fixture = await caseOf(world, caller);
        return {
          method: 'POST',
          url: casePath(fixture, `/safety-check-ins/${await offeredCheckIn(world, fixture)}/responses`),
          body: { answers: { afraid: false } },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/safety-check-ins/${randomUUID()}/responses`),
      body: { answers: { afraid: false } },
    })),
  },

  // ---- the caseload, safety settings and crisis resources (clinic) ----------------------------------
  'GET /api/v1/safety-alerts': {
    cases: [staff("the caller's caseload of alerts", () => Promise.resolve(get(api('/safety-alerts'))))],
  },
  'GET /api/v1/clinic/safety-settings': {
    cases: [staff('the settings', () => Promise.resolve(get(api('/clinic/safety-settings'))))],
  },
  'PUT /api/v1/clinic/safety-settings': {
    cases: [
      admin('a longer escalation delay', 200, () =>
        Promise.resolve({ method: 'PUT', url: api('/clinic/safety-settings'), body: { escalationDelayMinutes: 45 } }),
      ),
    ],
  },
  'GET /api/v1/clinic/crisis-resources': {
    cases: [
      {
        name: "the caller's crisis resources",
        allow: 'members',
        success: 200,
        build: () => Promise.resolve(get(api('/clinic/crisis-resources'))),
      },
    ],
  },
  'PUT /api/v1/clinic/crisis-resources/:country': {
    cases: [
      admin("a country's resources", 200, () =>
        Promise.resolve({
          method: 'PUT',
          url: api('/clinic/crisis-resources/GB'),
          body: {
            resources: [{ name: 'Synthetic line', contact: '000 000', kind: 'call', href: 'tel:000000' }],
            verified: true,
          },
        }),
      ),
    ],
  },
};
