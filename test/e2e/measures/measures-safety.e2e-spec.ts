import { BUILT_IN_MEASURES, PHQ_9, scoreAnswers } from '@mend/measures';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';

const phq9 = (values: number[]) => Object.fromEntries(values.map((value, index) => [`phq9_${index + 1}`, value]));

/** Verbatim wording stand-ins: synthetic text (a test supplies "the clinic's licensed wording"). */
function syntheticWording(measureId: string) {
  const definition = BUILT_IN_MEASURES.find((entry) => entry.id === measureId)!;
  return {
    items: Object.fromEntries(definition.items.map((item) => [item.id, `Synthetic item ${item.number}`])),
    responseOptions: Object.fromEntries(
      definition.responseOptions.map((option) => [option.value, `Option ${option.value}`]),
    ),
    licenceReference: 'Synthetic licence 1',
  };
}

describe('measures and safety (e2e)', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  let base: string;

  const send = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  const record = (
    clientId: string,
    answers: Record<string, unknown>,
    administeredAt: string,
    measureId = 'phq-9',
    version = '1',
  ) =>
    send('POST', `${base}/measure-administrations`, world.counselor.headers, {
      clientId,
      measureId,
      version,
      answers,
      administeredAt,
    });

  beforeAll(async () => {
    api = await startIdentityApp();
    api.clock.set(new Date('2026-06-01T12:00:00Z'));
    world = await createCaseWorld(api);
    base = `/api/v1/cases/${world.caseId}`;
  });
  afterAll(() => api.close());

  it('scores on the server exactly as the instruments library does', async () => {
    const answers = phq9([1, 2, 0, 3, 1, 0, 2, 1, 0]);
    const response = await record(world.partnerA.clientId, answers, '2026-05-01T10:00:00Z');
    expect(response.statusCode).toBe(201);
    const body = response.json<{
      administration: { score: unknown; measureVersion: string; administeredAt: string };
    }>();
    expect(body.administration.score).toEqual(JSON.parse(JSON.stringify(scoreAnswers(PHQ_9, answers))));
    expect(body.administration.measureVersion).toBe('1');
  });

  it('answers 422 naming each missing or out-of-range item, and 404 for an unknown version', async () => {
    const bad = await record(
      world.partnerA.clientId,
      { ...phq9([1, 1, 1, 1, 1, 1, 1, 1, 1]), phq9_3: 7, phq9_5: undefined },
      '2026-05-02T10:00:00Z',
    );
    expect(bad.statusCode).toBe(422);
    const fields = bad
      .json<{ errors: { field: string; rule: string }[] }>()
      .errors.map((error) => `${error.field}:${error.rule}`);
    expect(fields).toEqual(expect.arrayContaining(['answers.phq9_3:out-of-range', 'answers.phq9_5:missing']));
    const unknown = await record(
      world.partnerA.clientId,
      phq9([0, 0, 0, 0, 0, 0, 0, 0, 0]),
      '2026-05-02T10:00:00Z',
      'phq-9',
      '99',
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('labels change over time: recovered, then reliable deterioration', async () => {
    // Partner B: baseline 15 (clinical), then 8 (−7 ≥ 6 and below 10: recovered), then 22 (+7 from baseline: deterioration).
    await record(world.partnerB.clientId, phq9([2, 2, 2, 2, 2, 2, 2, 1, 0]), '2026-04-01T10:00:00Z');
    await record(world.partnerB.clientId, phq9([1, 1, 1, 1, 1, 1, 1, 1, 0]), '2026-04-15T10:00:00Z');
    const change = await send(
      'GET',
      `${base}/clients/${world.partnerB.clientId}/measures/phq-9/change`,
      world.counselor.headers,
    );
    expect(change.statusCode).toBe(200);
    const series = change.json<{
      points: { score: number; label?: string }[];
      reliableChange: { threshold: number };
    }>();
    expect(series.points.map((point) => point.score)).toEqual([15, 8]);
    expect(series.points[1].label).toBe('recovered');
    expect(series.reliableChange.threshold).toBe(6);
    await record(world.partnerB.clientId, phq9([3, 3, 3, 3, 3, 3, 2, 2, 0]), '2026-04-29T10:00:00Z');
    const later = await send(
      'GET',
      `${base}/clients/${world.partnerB.clientId}/measures/phq-9/change`,
      world.counselor.headers,
    );
    expect(later.json<{ points: { label?: string }[] }>().points[2].label).toBe('reliable deterioration');
  });

  it("never shows one partner's symptom measures to the other (404 on everything), nor the dyadic view", async () => {
    const mine = await send(
      'GET',
      `${base}/clients/${world.partnerA.clientId}/measures/phq-9/change`,
      world.partnerA.headers,
    );
    expect(mine.statusCode).toBe(200);
    const matrix: [string, Record<string, string>, number][] = [
      [`${base}/clients/${world.partnerB.clientId}/measures/phq-9/change`, world.partnerA.headers, 404],
      [`${base}/clients/${world.partnerA.clientId}/measures/phq-9/change`, world.partnerB.headers, 404],
      [`${base}/clients/${world.partnerA.clientId}/measures/gad-7/change`, world.partnerB.headers, 404],
      [`${base}/clients/${world.partnerA.clientId}/measures/pcl-5/change`, world.partnerB.headers, 404],
      [`${base}/measures/csi-4/dyadic`, world.partnerA.headers, 404],
      [`${base}/measures/csi-4/dyadic`, world.partnerB.headers, 404],
      [`${base}/safety-alerts`, world.partnerA.headers, 404],
      [`${base}/safety-alerts`, world.partnerB.headers, 404],
      [`${base}/clients/${world.partnerA.clientId}/measures/phq-9/change`, world.admin.headers, 404],
    ];
    for (const [url, headers, status] of matrix)
      expect([url, (await send('GET', url, headers)).statusCode]).toEqual([url, status]);
    const listB = await send('GET', `${base}/measure-administrations`, world.partnerB.headers);
    const own = listB.json<{ administrations: { clientId: string }[] }>().administrations;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((entry) => entry.clientId === world.partnerB.clientId)).toBe(true);
    const ofA = listB.json<{ administrations: { id: string }[] }>();
    const listA = await send('GET', `${base}/measure-administrations`, world.counselor.headers);
    const aId = listA
      .json<{ administrations: { id: string; clientId: string }[] }>()
      .administrations.find((entry) => entry.clientId === world.partnerA.clientId)!.id;
    expect(ofA.administrations.some((entry) => entry.id === aId)).toBe(false);
    expect((await send('GET', `${base}/measure-administrations/${aId}`, world.partnerB.headers)).statusCode).toBe(404);
  });

  it('shows both partners of a relationship measure side by side with their gap, never averaged', async () => {
    const csi4 = (a: number, b: number, c: number, d: number) => ({ csi4_1: a, csi4_2: b, csi4_3: c, csi4_4: d });
    expect((await record(world.partnerA.clientId, csi4(5, 4, 4, 4), '2026-05-10T10:00:00Z', 'csi-4')).statusCode).toBe(
      201,
    );
    expect((await record(world.partnerB.clientId, csi4(2, 2, 2, 2), '2026-05-11T10:00:00Z', 'csi-4')).statusCode).toBe(
      201,
    );
    const view = await send('GET', `${base}/measures/csi-4/dyadic`, world.counselor.headers);
    expect(view.statusCode).toBe(200);
    const body = view.json<{ partners: { series: { latest: { score: number } } }[]; gap: { gap: number }[] }>();
    expect(body.partners.map((partner) => partner.series.latest.score)).toEqual([17, 8]);
    expect(body.gap.at(-1)?.gap).toBe(9);
    expect(JSON.stringify(body)).not.toMatch(/average|mean/i);
    const symptom = await send('GET', `${base}/measures/phq-9/dyadic`, world.counselor.headers);
    expect(symptom.statusCode).toBe(422);
    // Partner B fell below the CSI-4 distress cutoff: a tier-3 alert for the care team.
    const alerts = await send('GET', `${base}/safety-alerts`, world.counselor.headers);
    expect(alerts.json<{ alerts: { ruleIds: string[]; tier: number }[] }>().alerts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tier: 3, ruleIds: expect.arrayContaining(['couple-distress-cutoff']) }),
      ]),
    );
  });

  it('offers a built-in in the portal only once its wording is configured; tier 1 answers show crisis resources', async () => {
    const scheduled = await send('POST', `${base}/measure-schedules`, world.counselor.headers, {
      clientId: world.partnerA.clientId,
      measureId: 'phq-9',
      version: '1',
      startDate: '2026-06-01',
      localTime: '18:00',
      intervalDays: 14,
      occurrences: 3,
    });
    expect(scheduled.statusCode).toBe(201);
    const administrationId = scheduled.json<{ first: { id: string; dueAt: string } }>().first.id;
    const dueList = () => send('GET', `${base}/measure-administrations`, world.partnerA.headers);
    const isOffered = async () =>
      (await dueList())
        .json<{ administrations: { id: string }[] }>()
        .administrations.some((entry) => entry.id === administrationId);
    expect(await isOffered()).toBe(false);
    const completeEarly = await send(
      'POST',
      `${base}/measure-administrations/${administrationId}/responses`,
      world.partnerA.headers,
      {
        answers: phq9([0, 0, 0, 0, 0, 0, 0, 0, 2]),
      },
    );
    expect(completeEarly.statusCode).toBe(404);

    const wording = await send(
      'PUT',
      '/api/v1/measures/phq-9/versions/1/wording',
      world.admin.headers,
      syntheticWording('phq-9'),
    );
    expect(wording.statusCode).toBe(200);
    expect(wording.json<{ administrable: boolean }>().administrable).toBe(true);
    expect(await isOffered()).toBe(true);

    const completed = await send(
      'POST',
      `${base}/measure-administrations/${administrationId}/responses`,
      world.partnerA.headers,
      {
        answers: phq9([1, 1, 0, 0, 0, 0, 0, 0, 2]),
      },
    );
    expect(completed.statusCode).toBe(201);
    const body = completed.json<{
      safety: {
        level: string;
        message: string;
        stopFlow: boolean;
        crisisResources: { country: string; needsLocalVerification: boolean; resources: unknown[] };
      };
    }>();
    expect(body.safety.level).toBe('immediate');
    expect(body.safety.stopFlow).toBe(true);
    expect(body.safety.message).toMatch(/not monitored around the clock/);
    expect(body.safety.crisisResources.needsLocalVerification).toBe(true);
    expect(body.safety.crisisResources.resources.length).toBeGreaterThan(0);
    expect(JSON.stringify(body.safety)).not.toMatch(/phq|item|score/i);

    const alerts = (await send('GET', `${base}/safety-alerts`, world.counselor.headers)).json<{
      alerts: { tier: number; suggestSafetyHold: boolean; escalationDueAt: string | null; sourceId: string }[];
    }>().alerts;
    const tier1 = alerts.find((alert) => alert.sourceId === administrationId);
    expect(tier1).toMatchObject({ tier: 1, suggestSafetyHold: true });
    expect(tier1?.escalationDueAt).not.toBeNull();
    // The next occurrence is due 14 days later at 18:00 in the client's timezone.
    const next = (await dueList()).json<{ administrations: { status: string; occurrence: number | null }[] }>();
    expect(next.administrations.some((entry) => entry.status === 'due' && entry.occurrence === 2)).toBe(true);
  });

  it('delivers the private safety check-in only to its partner; a "yes" raises a tier-2 alert', async () => {
    const offered = await send('POST', `${base}/safety-check-ins`, world.counselor.headers, {
      clientId: world.partnerA.clientId,
    });
    expect(offered.statusCode).toBe(201);
    const checkIn = offered.json<{ id: string; questions: { id: string; kind: string }[] }>();
    const forB = await send('GET', `${base}/safety-check-ins`, world.partnerB.headers);
    expect(forB.json<{ checkIns: unknown[] }>().checkIns).toEqual([]);
    const byB = await send('POST', `${base}/safety-check-ins/${checkIn.id}/responses`, world.partnerB.headers, {
      answers: {},
    });
    expect(byB.statusCode).toBe(404);
    const answers = Object.fromEntries(
      checkIn.questions
        .filter((question) => question.kind === 'yes_no')
        .map((question) => [question.id, question.id === 'afraid']),
    );
    const response = await send('POST', `${base}/safety-check-ins/${checkIn.id}/responses`, world.partnerA.headers, {
      answers,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json<{ safety: { level: string } }>().safety.level).toBe('supportive');
    const alerts = (await send('GET', `${base}/safety-alerts`, world.counselor.headers)).json<{
      alerts: { tier: number; trigger: string; sourceId: string; suggestSafetyHold: boolean }[];
    }>().alerts;
    expect(alerts.find((alert) => alert.sourceId === checkIn.id)).toMatchObject({
      tier: 2,
      trigger: 'check_in',
      suggestSafetyHold: true,
    });
  });

  it('refuses thresholds outside safe bounds with the allowed range', async () => {
    const response = await send('PUT', '/api/v1/clinic/safety-settings', world.admin.headers, {
      phq9Item9Tier1Min: 3,
      escalationDelayMinutes: 1,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json<{ errors: { field: string; message: string }[] }>().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'phq9Item9Tier1Min', message: 'must be an integer from 1 to 2' }),
        expect.objectContaining({ field: 'escalationDelayMinutes', message: 'must be an integer from 5 to 240' }),
      ]),
    );
    const ok = await send('PUT', '/api/v1/clinic/safety-settings', world.admin.headers, {
      escalationDelayMinutes: 10,
      escalationMembershipId: world.supervisor.member.membershipId,
    });
    expect(ok.statusCode).toBe(200);
  });
});
