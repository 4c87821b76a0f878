import { UnitOfWork } from '@mend/core';
import type { CaseReportModel } from '@mend/reports';

import type { IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { startLoggedApp } from '../sessions/support/sessions-app.js';
import { PERIOD, pdfText, reportBuilder, seedReportScenario, type ReportScenario } from './support/report-scenario.js';

type Headers = Record<string, string>;

interface Built {
  readonly id: string;
  readonly model: CaseReportModel;
  /** The PDF's text (pdftotext), the JSON and every CSV, as one string per file. */
  readonly texts: Record<string, string>;
}

/**
 * Redaction by audience, on the fixture scenario: a client summary for
 * partner A holds none of partner B's private work, symptom scores or safety
 * items and no notes; the couple's copy holds no one's measures; no report of
 * any audience holds the psychotherapy note or any clinical text. Every file
 * (PDF text, JSON, CSV) is searched for the canaries. Who may read each copy.
 */
describe('client summaries: redaction by audience (e2e)', () => {
  let api: IdentityApp & { logs: () => string };
  let world: CaseWorld;
  let scenario: ReportScenario;
  const built = new Map<string, Built>();

  const send = async (method: 'GET' | 'POST', url: string, headers: Headers, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });

  async function build(label: string, body: Record<string, unknown>, reader: Headers): Promise<Built> {
    const requested = await send('POST', '/api/v1/reports', world.counselor.headers, {
      period: PERIOD,
      caseId: world.caseId,
      ...body,
    });
    expect(requested.statusCode).toBe(202);
    const id = requested.json<{ id: string }>().id;
    expect(await reportBuilder(api).build(world.clinicId, id)).toBe('ready');
    const status = await send('GET', `/api/v1/reports/${id}`, reader);
    expect(status.statusCode).toBe(200);
    const texts: Record<string, string> = {};
    for (const file of status.json<{ files: { name: string }[] }>().files) {
      const download = await send('GET', `/api/v1/reports/${id}/files/${file.name}`, reader);
      expect(download.statusCode).toBe(200);
      texts[file.name] = file.name.endsWith('.pdf') ? pdfText(download.rawPayload) : download.body;
    }
    const result = { id, model: JSON.parse(texts['report.json']) as CaseReportModel, texts };
    built.set(label, result);
    return result;
  }

  beforeAll(async () => {
    api = await startLoggedApp();
    world = await createCaseWorld(api);
    scenario = await seedReportScenario(api, world);
    await build(
      'partnerA',
      {
        kind: 'client_summary',
        audience: 'partner',
        audienceClientId: world.partnerA.clientId,
        narrative: 'Synthetic narrative for partner A.',
      },
      world.partnerA.headers,
    );
    await build('couple', { kind: 'client_summary', audience: 'couple' }, world.partnerB.headers);
    await build('careTeam', { kind: 'case', audience: 'care_team' }, world.supervisor.headers);
  }, 90_000);
  afterAll(() => api.close());

  const everyFile = (label: string): [string, string][] => Object.entries((built.get(label) as Built).texts);

  it('never puts the psychotherapy note or any clinical text in a report, for any audience', () => {
    for (const label of ['partnerA', 'couple', 'careTeam']) {
      for (const [file, text] of everyFile(label)) {
        for (const canary of [scenario.canaries.psychotherapy, ...scenario.canaries.clinicalText]) {
          expect({ label, file, leaked: text.includes(canary) }).toEqual({ label, file, leaked: false });
        }
      }
    }
    expect(api.logs().includes(scenario.canaries.psychotherapy)).toBe(false);
  });

  it("gives partner A none of partner B's private work, symptom scores or safety items, and no case title", () => {
    const { model, texts } = built.get('partnerA') as Built;
    for (const [file, text] of Object.entries(texts)) {
      for (const marker of [
        ...scenario.partnerBPrivate,
        scenario.caseTitle,
        'Safety alerts',
        'Synthetic private exercise',
      ]) {
        // "Safety alerts" may only appear in the "Not in this copy" note of the PDF.
        const found = marker === 'Safety alerts' && file === 'report.pdf' ? text.split('Not in this copy')[0] : text;
        expect({ file, marker, leaked: found.includes(marker) }).toEqual({ file, marker, leaked: false });
      }
    }
    expect(model.summary.forParticipant).toEqual({ clientId: world.partnerA.clientId, label: 'You', role: 'harmed' });
    expect(model.summary.caseTitle).toBeNull();
    expect(model.safetyAlerts).toBeNull();
    // Homework: A's own only. Measures: A's own only. Sessions: joint only.
    expect(model.homework?.map((entry) => [entry.participant.clientId, entry.totals])).toEqual([
      [world.partnerA.clientId, { assigned: 8, completed: 7, onTime: 6, completionRate: 0.875, onTimeRate: 0.75 }],
    ]);
    expect(model.measures?.map((entry) => [entry.participant.clientId, entry.series.map((s) => s.measureId)])).toEqual([
      [world.partnerA.clientId, ['csi-4', 'phq-9']],
    ]);
    expect(model.sessions).toEqual({ completed: 3, cancelled: 0, noShow: 0, scheduled: 0, jointCompleted: 3 });
    // The shared ledger shows both partners (A as "You").
    expect(model.ledger?.map((entry) => [entry.participant.label, entry.totals.kept])).toEqual([
      ['You', 16],
      ['Synthetic Partner B', 17],
    ]);
    expect(model.patterns.favourable.map((sentence) => sentence.rule)).toEqual([
      'homework_completion_high',
      'ledger_trend_up',
      'ledger_consistency_high',
      'reliable_improvement',
    ]);
    expect(model.patterns.concerns.map((sentence) => sentence.rule)).toEqual([
      'ledger_disputes',
      'clinical_range',
      'repair_outstanding',
    ]);
    expect(model.patterns.favourable[1].text).toBe(
      'Your share of commitments kept rose from 33% in the first half of the period to 100% in the second.',
    );
    // No sentence rests on B's measures.
    expect(JSON.stringify(model.patterns)).not.toContain("Synthetic Partner B's");
    expect(texts['report.pdf']).toContain('Progress summary');
    expect(texts['report.pdf']).toContain('Synthetic narrative for partner A.');
  });

  it("gives the couple no one's measures and only the homework neither partner keeps private", () => {
    const { model, texts } = built.get('couple') as Built;
    expect(model.measures).toBeNull();
    expect(model.safetyAlerts).toBeNull();
    expect(texts['measures.csv']).toBeUndefined();
    for (const [file, text] of Object.entries(texts)) {
      for (const marker of ['PHQ-9', 'GAD-7', 'CSI-4', 'phq-9', 'gad-7', 'csi-4', 'risk_scan', scenario.caseTitle]) {
        expect({ file, marker, leaked: text.includes(marker) }).toEqual({ file, marker, leaked: false });
      }
    }
    expect(
      model.homework?.map((entry) => [entry.participant.label, entry.totals.assigned, entry.totals.completed]),
    ).toEqual([
      ['Synthetic Partner A', 8, 7],
      ['Synthetic Partner B', 8, 3],
    ]);
    expect(model.patterns.concerns.map((sentence) => sentence.rule)).toEqual([
      'homework_completion_low',
      'ledger_disputes',
      'repair_outstanding',
    ]);
    expect(model.narrative).toBeNull();
  });

  it('shows partners side by side in the care-team copy, never averaged', () => {
    const { model } = built.get('careTeam') as Built;
    expect(model.measures?.map((entry) => entry.participant.label)).toEqual([
      'Synthetic Partner A',
      'Synthetic Partner B',
    ]);
    expect(JSON.stringify(model)).not.toMatch(/average|couple score|mean/i);
  });

  it('lets only the partner a summary is for read it (and the care team); others get 404 like a missing report', async () => {
    const { id } = built.get('partnerA') as Built;
    const url = `/api/v1/reports/${id}/files/report.json`;
    expect((await send('GET', url, world.partnerA.headers)).statusCode).toBe(200);
    expect((await send('GET', url, world.counselor.headers)).statusCode).toBe(200);
    expect((await send('GET', url, world.supervisor.headers)).statusCode).toBe(200);
    const missing = await send(
      'GET',
      `/api/v1/reports/00000000-0000-4000-8000-000000000000/files/report.json`,
      world.partnerB.headers,
    );
    for (const caller of [world.partnerB, world.admin, world.otherCounselor]) {
      const refused = await send('GET', url, caller.headers);
      expect(refused.statusCode).toBe(404);
      expect(refused.json<{ detail: string; code: string }>()).toMatchObject({
        code: missing.json<{ code: string }>().code,
        detail: missing.json<{ detail: string }>().detail,
      });
    }
    // The couple's copy: both partners.
    const couple = built.get('couple') as Built;
    expect((await send('GET', `/api/v1/reports/${couple.id}`, world.partnerA.headers)).statusCode).toBe(200);
    // The care team's copy: never a participant.
    const careTeam = built.get('careTeam') as Built;
    expect((await send('GET', `/api/v1/reports/${careTeam.id}`, world.partnerA.headers)).statusCode).toBe(404);
    // A participant's list holds the summaries addressed to them only.
    const listA = await send('GET', '/api/v1/reports', world.partnerA.headers);
    const listB = await send('GET', '/api/v1/reports', world.partnerB.headers);
    const ids = (response: typeof listA) =>
      response
        .json<{ reports: { id: string }[] }>()
        .reports.map((r) => r.id)
        .sort();
    expect(ids(listA)).toEqual([couple.id, id].sort());
    expect(ids(listB)).toEqual([couple.id]);
  });

  it("pauses a participant's copy while the case is on a safety hold, saying nothing of why", async () => {
    const { id } = built.get('partnerA') as Built;
    const hold = async (status: string) => {
      const response = await api.inject({
        method: 'PUT',
        url: `/api/v1/cases/${world.caseId}/safety`,
        headers: { ...world.counselor.headers, 'content-type': 'application/json' },
        payload: JSON.stringify(status === 'safety_hold' ? { status, reason: 'Synthetic reason' } : { status }),
      });
      expect(response.statusCode).toBeLessThan(300);
    };
    await hold('safety_hold');
    try {
      const paused = await send('GET', `/api/v1/reports/${id}/files/report.pdf`, world.partnerA.headers);
      expect(paused.statusCode).toBe(409);
      expect(paused.json<{ code: string }>().code).toBe('shared_space_paused');
      expect((await send('GET', `/api/v1/reports/${id}`, world.counselor.headers)).statusCode).toBe(200);
    } finally {
      await hold('normal');
    }
  });

  it('audits every download (ids and codes only)', async () => {
    const { id } = built.get('partnerA') as Built;
    const rows = await api.app
      .get(UnitOfWork)
      .run(world.clinicId, (tx) =>
        tx.query<{ action: string; metadata: Record<string, unknown> }>(
          `select action, metadata from audit_events where clinic_id = $1 and target_id = $2 and action = 'report.download'`,
          [world.clinicId, id],
        ),
      );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0].metadata).toMatchObject({ kind: 'client_summary', audience: 'partner' });
  });
});
