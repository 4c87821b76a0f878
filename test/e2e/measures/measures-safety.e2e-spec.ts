import { UnitOfWork } from '@mend/core';
import { CSI_4, PHQ_9, scoreAnswers } from '@mend/measures';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';

const phq9 = (values: number[]) => Object.fromEntries(values.map((value, index) => [`phq9_${index + 1}`, value]));

describe('measures and safety (e2e)', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  let base: string;

  const send = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ) =>
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

  it('offers the PHQ-9 in the portal with its verbatim wording at once; tier 1 answers show crisis resources', async () => {
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
    expect(await isOffered()).toBe(true);

    // What the portal renders: the published stem, items and labels, verbatim.
    const shown = await send('GET', `${base}/measure-administrations/${administrationId}`, world.partnerA.headers);
    expect(shown.statusCode).toBe(200);
    const measure = shown.json<{
      measure: {
        administrable: boolean;
        wordingProvidedBy: string;
        portal: string;
        definition: {
          instructions: string;
          items: { id: string; text: string }[];
          responseOptions: { label: string }[];
        };
      };
    }>().measure;
    expect(measure).toMatchObject({ administrable: true, wordingProvidedBy: 'mend' });
    expect(measure.portal).toMatch(/verbatim/);
    expect(measure.definition.instructions).toBe(PHQ_9.instructions);
    expect(measure.definition.items[8]).toEqual({
      id: 'phq9_9',
      number: 9,
      text: 'Thoughts that you would be better off dead or of hurting yourself in some way',
    });
    expect(measure.definition.responseOptions.map((option) => option.label)).toEqual([
      'Not at all',
      'Several days',
      'More than half the days',
      'Nearly every day',
    ]);

    // It needs no licence confirmation (free to embed with attribution).
    const confirm = await send('PUT', '/api/v1/measures/phq-9/licence-confirmation', world.admin.headers, {
      reference: 'Synthetic reference',
    });
    expect(confirm.statusCode).toBe(409);
    expect(confirm.json<{ code: string }>().code).toBe('measure_conflict');

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

  it('completes a due administration once: of answers sent at once, one is recorded (201) and the others refused (422)', async () => {
    const scheduled = await send('POST', `${base}/measure-schedules`, world.counselor.headers, {
      clientId: world.partnerB.clientId,
      measureId: 'phq-9',
      version: '1',
      startDate: '2026-06-01',
      localTime: '09:00',
      occurrences: 1,
    });
    expect(scheduled.statusCode).toBe(201);
    const administrationId = scheduled.json<{ first: { id: string } }>().first.id;
    const answer = (values: number[]) =>
      send('POST', `${base}/measure-administrations/${administrationId}/responses`, world.partnerB.headers, {
        answers: phq9(values),
      });
    // A double tap, or two tabs: every answer read the administration as due before any had written.
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) => answer([index % 3, index % 2, 0, 0, 0, 0, 0, 0, 0])),
    );
    expect(answers.map((response) => response.statusCode).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    const recorded = answers.find((response) => response.statusCode === 201)!;
    for (const refused of answers.filter((response) => response.statusCode === 422))
      expect(refused.json<{ code: string }>().code).toBe('measure_administration_not_due');
    // The stored answers are the ones the 201 reported, and one completion is audited.
    const stored = await api.app
      .get(UnitOfWork)
      .run(world.clinicId, (tx) =>
        tx.query<{ total: number }>('select total from measure_administrations where clinic_id = $1 and id = $2', [
          world.clinicId,
          administrationId,
        ]),
      );
    expect(Number(stored[0].total)).toBe(
      recorded.json<{ administration: { score: { total: number } } }>().administration.score.total,
    );
    const audited = await api.app
      .get(UnitOfWork)
      .run(world.clinicId, (tx) =>
        tx.query(
          `select 1 from audit_events where clinic_id = $1 and action = 'measure_administration.complete' and target_id = $2`,
          [world.clinicId, administrationId],
        ),
      );
    expect(audited).toHaveLength(1);
  });

  it("ships the CSI's wording but offers it in the portal only while a clinic admin's licence confirmation is current", async () => {
    interface Entry {
      id: string;
      origin: string;
      administrable: boolean;
      wordingProvidedBy: string;
      licenceConfirmationRequired: boolean;
      licenceConfirmation: {
        id: string;
        reference: string;
        confirmedByMembershipId: string;
        confirmedAt: string;
      } | null;
      portal: string;
      definition: {
        items: { id: string; text: string | null; anchors?: { left: string; right: string }; options?: unknown[] }[];
      };
    }
    const catalogue = (await send('GET', '/api/v1/measures', world.counselor.headers)).json<{ measures: Entry[] }>()
      .measures;
    const byId = new Map(catalogue.map((entry) => [entry.id, entry]));
    for (const id of ['phq-9', 'gad-7', 'pcl-5'])
      expect(byId.get(id)).toMatchObject({
        origin: 'built_in',
        administrable: true,
        wordingProvidedBy: 'mend',
        licenceConfirmationRequired: false,
      });
    for (const id of ['csi-4', 'csi-16']) {
      expect(byId.get(id)).toMatchObject({
        origin: 'built_in',
        administrable: false,
        wordingProvidedBy: 'mend',
        licenceConfirmationRequired: true,
        licenceConfirmation: null,
      });
      expect(byId.get(id)?.portal).toMatch(/^Not offered in the portal until a clinic admin records/);
      expect(byId.get(id)?.portal).toMatch(/authors' terms/);
    }
    // The wording is Mend's, in the API: the CSI-16's semantic differentials carry their poles.
    expect(byId.get('csi-16')?.definition.items[10]).toMatchObject({
      id: 'csi16_11',
      text: null,
      anchors: { left: 'INTERESTING', right: 'BORING' },
    });

    const scheduled = await send('POST', `${base}/measure-schedules`, world.counselor.headers, {
      clientId: world.partnerB.clientId,
      measureId: 'csi-4',
      version: '1',
      startDate: '2026-06-01',
      localTime: '09:00',
    });
    expect(scheduled.statusCode).toBe(201);
    const administrationId = scheduled.json<{ first: { id: string } }>().first.id;
    const isOffered = async () =>
      (await send('GET', `${base}/measure-administrations`, world.partnerB.headers))
        .json<{ administrations: { id: string }[] }>()
        .administrations.some((entry) => entry.id === administrationId);
    const shown = () => send('GET', `${base}/measure-administrations/${administrationId}`, world.partnerB.headers);
    const complete = () =>
      send('POST', `${base}/measure-administrations/${administrationId}/responses`, world.partnerB.headers, {
        answers: { csi4_1: 4, csi4_2: 3, csi4_3: 3, csi4_4: 3 },
      });
    expect(await isOffered()).toBe(false);
    expect((await shown()).statusCode).toBe(404);
    expect((await complete()).statusCode).toBe(404);

    const confirmation = (
      who: { headers: Record<string, string> },
      reference: unknown = "Synthetic: authors' email of 2026-03-02",
    ) => send('PUT', '/api/v1/measures/csi-4/licence-confirmation', who.headers, { reference });
    // Only the clinic admin records it; a blank reference names the field; unknown measures are 404.
    expect((await confirmation(world.counselor)).statusCode).toBe(403);
    expect((await confirmation(world.supervisor)).statusCode).toBe(403);
    expect((await confirmation(world.partnerB)).statusCode).toBe(403);
    const blank = await confirmation(world.admin, '   ');
    expect(blank.statusCode).toBe(400);
    expect(blank.json<{ errors: { field: string }[] }>().errors.map((error) => error.field)).toContain('reference');
    const unknown = await send('PUT', '/api/v1/measures/csi-99/licence-confirmation', world.admin.headers, {
      reference: 'x',
    });
    expect(unknown.statusCode).toBe(404);
    expect(await isOffered()).toBe(false);

    const confirmed = await confirmation(world.admin);
    expect(confirmed.statusCode).toBe(200);
    const entry = confirmed.json<Entry>();
    expect(entry).toMatchObject({
      id: 'csi-4',
      administrable: true,
      wordingProvidedBy: 'mend',
      licenceConfirmation: {
        reference: "Synthetic: authors' email of 2026-03-02",
        confirmedByMembershipId: world.admin.member.membershipId,
      },
    });
    expect(entry.portal).toMatch(/^Offered in the portal with the published wording, verbatim/);
    // Each measure on its own: the CSI-16 is still not offered.
    const csi16 = await send('GET', '/api/v1/measures/csi-16/versions/1', world.admin.headers);
    expect(csi16.json<Entry>()).toMatchObject({ administrable: false, licenceConfirmation: null });

    // The client now sees it, with the CSI-4's verbatim wording.
    expect(await isOffered()).toBe(true);
    const view = await shown();
    expect(view.statusCode).toBe(200);
    expect(view.json<{ measure: Entry }>().measure.definition.items.map((item) => item.text)).toEqual(
      CSI_4.items.map((item) => item.text),
    );

    const auditRows = () =>
      api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
        tx.query<{ action: string; actor_membership_id: string; metadata: Record<string, unknown> }>(
          `select action, actor_membership_id, metadata from audit_events
            where clinic_id = $1 and target_type = 'measure' and target_id = 'csi-4' order by seq`,
          [world.clinicId],
        ),
      );
    expect(await auditRows()).toEqual([
      {
        action: 'measure.licence_confirm',
        actor_membership_id: world.admin.member.membershipId,
        metadata: { confirmationId: entry.licenceConfirmation?.id },
      },
    ]);

    // Withdrawn: no longer offered (the due administration stays, hidden); only the admin may withdraw.
    const withdraw = (who: { headers: Record<string, string> }) =>
      send('DELETE', '/api/v1/measures/csi-4/licence-confirmation', who.headers);
    expect((await withdraw(world.counselor)).statusCode).toBe(403);
    const withdrawn = await withdraw(world.admin);
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json<Entry>()).toMatchObject({ administrable: false, licenceConfirmation: null });
    expect(await isOffered()).toBe(false);
    expect((await complete()).statusCode).toBe(404);
    const again = await withdraw(world.admin);
    expect(again.statusCode).toBe(404);
    expect(again.json<{ code: string }>().code).toBe('licence_confirmation_not_found');
    expect((await auditRows()).map((row) => [row.action, row.metadata.reason ?? null])).toEqual([
      ['measure.licence_confirm', null],
      ['measure.licence_withdraw', 'withdrawn'],
    ]);
    const kept = await api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
      tx.query<{ withdrawn_by_membership_id: string | null; withdrawn_at: Date | null }>(
        `select withdrawn_by_membership_id, withdrawn_at from measure_licence_confirmations
          where clinic_id = $1 and measure_id = 'csi-4'`,
        [world.clinicId],
      ),
    );
    expect(kept).toHaveLength(1);
    expect(kept[0].withdrawn_by_membership_id).toBe(world.admin.member.membershipId);
    expect(kept[0].withdrawn_at).not.toBeNull();

    // Confirmed again: offered again. Recording another while one is current replaces it (the old one withdrawn).
    expect((await confirmation(world.admin, 'Synthetic: renewed')).statusCode).toBe(200);
    const replaced = await confirmation(world.admin, 'Synthetic: renewed, new reference');
    expect(replaced.json<Entry>().licenceConfirmation?.reference).toBe('Synthetic: renewed, new reference');
    expect((await auditRows()).slice(2).map((row) => [row.action, row.metadata.reason ?? null])).toEqual([
      ['measure.licence_confirm', null],
      ['measure.licence_withdraw', 'replaced'],
      ['measure.licence_confirm', null],
    ]);
    expect(await isOffered()).toBe(true);
    // And the client completes it, scored on the server.
    const done = await complete();
    expect(done.statusCode).toBe(201);
    expect(
      done.json<{ administration: { score: { total: number }; measureVersion: string } }>().administration,
    ).toMatchObject({ score: { total: 13 }, measureVersion: '1' });
  });

  it('takes concurrent licence confirmations and withdrawals of one measure in turn (never a 409 or 404 from the race)', async () => {
    const confirm = (reference: string) =>
      send('PUT', '/api/v1/measures/csi-16/licence-confirmation', world.admin.headers, { reference });
    const withdraw = () => send('DELETE', '/api/v1/measures/csi-16/licence-confirmation', world.admin.headers);
    const current = () =>
      api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
        tx.query<{ reference: string }>(
          `select reference from measure_licence_confirmations
            where clinic_id = $1 and measure_id = 'csi-16' and withdrawn_at is null`,
          [world.clinicId],
        ),
      );
    // A double click (or two admins): each confirmation replaces the one before, as one after the other would.
    const confirmations = await Promise.all(Array.from({ length: 6 }, (_, index) => confirm(`Synthetic: ${index}`)));
    expect(confirmations.map((response) => response.statusCode)).toEqual(Array(6).fill(200));
    expect(await current()).toHaveLength(1);
    // A withdrawal racing a replacement: both done, in either order (never a 404 while one is current).
    for (let round = 0; round < 8; round += 1) {
      // The confirmation gets a head start of a few event-loop turns, so either request reaches the row first.
      const replacing = confirm(`Synthetic: round ${round}`);
      for (let tick = 0; tick < round % 4; tick += 1) await new Promise((resolve) => setImmediate(resolve));
      const [replaced, withdrawn] = await Promise.all([replacing, withdraw()]);
      expect([replaced.statusCode, withdrawn.statusCode]).toEqual([200, 200]);
      expect((await current()).length).toBeLessThanOrEqual(1);
      if ((await current()).length === 0) expect((await confirm('Synthetic: again')).statusCode).toBe(200);
    }
    expect((await withdraw()).statusCode).toBe(200);
    expect(await current()).toEqual([]);
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

  it('takes one answer to a safety check-in: of answers sent at once one is recorded (201), the others refused (422)', async () => {
    const offered = await send('POST', `${base}/safety-check-ins`, world.counselor.headers, {
      clientId: world.partnerB.clientId,
    });
    expect(offered.statusCode).toBe(201);
    const checkIn = offered.json<{ id: string; questions: { id: string; kind: string }[] }>();
    const answersOf = (afraid: boolean) =>
      Object.fromEntries(
        checkIn.questions
          .filter((question) => question.kind === 'yes_no')
          .map((question) => [question.id, question.id === 'afraid' && afraid]),
      );
    const url = `${base}/safety-check-ins/${checkIn.id}/responses`;
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        send('POST', url, world.partnerB.headers, { answers: answersOf(index % 2 === 1) }),
      ),
    );
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    for (const refused of responses.filter((response) => response.statusCode === 422))
      expect(refused.json<{ code: string }>().code).toBe('safety_check_in_completed');
    // An alert stands exactly when the answers that were stored said "yes" (never for answers that were refused).
    const stored = (await send('GET', `${base}/safety-check-ins`, world.partnerB.headers))
      .json<{ checkIns: { id: string; answers: Record<string, boolean> | null }[] }>()
      .checkIns.find((entry) => entry.id === checkIn.id);
    const recorded = responses.find((response) => response.statusCode === 201)!;
    expect(recorded.json<{ checkIn: { answers: unknown } }>().checkIn.answers).toEqual(stored?.answers);
    const alerts = (await send('GET', `${base}/safety-alerts`, world.counselor.headers)).json<{
      alerts: { sourceId: string }[];
    }>().alerts;
    expect(alerts.some((alert) => alert.sourceId === checkIn.id)).toBe(stored?.answers?.afraid === true);
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
