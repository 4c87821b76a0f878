import { createHash } from 'node:crypto';

import { parse } from 'csv-parse/sync';

import { renderPdf, type CaseReportModel } from '@mend/reports';

import type { IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { startLoggedApp } from '../sessions/support/sessions-app.js';
import { PERIOD, pdfText, reportBuilder, seedReportScenario, type ReportScenario } from './support/report-scenario.js';

type Headers = Record<string, string>;

const NARRATIVE = 'Synthetic narrative: the couple (Ἀλέξης, Анна, Łukasz, Ørjan) worked steadily — 3 ≥ 2.';

/**
 * The case report of the fixture scenario (support/report-scenario.ts), for the
 * care team: every number of the JSON asserted exactly, the PDF's sections
 * (pdftotext), the CSV tables, and identical numbers when the same period is
 * requested again.
 */
describe('case progress report: the fixture scenario for the care team (e2e)', () => {
  let api: IdentityApp & { logs: () => string };
  let world: CaseWorld;
  let scenario: ReportScenario;
  let reportId: string;
  let model: CaseReportModel;
  const files = new Map<string, Buffer>();

  const send = async (method: 'GET' | 'POST', url: string, headers: Headers, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });

  const requestCaseReport = async () => {
    const response = await send('POST', '/api/v1/reports', world.counselor.headers, {
      kind: 'case',
      audience: 'care_team',
      period: PERIOD,
      caseId: world.caseId,
      narrative: NARRATIVE,
    });
    expect(response.statusCode).toBe(202);
    return response.json<{ id: string; status: string; progress: number }>();
  };

  beforeAll(async () => {
    api = await startLoggedApp();
    world = await createCaseWorld(api);
    scenario = await seedReportScenario(api, world);
    const requested = await requestCaseReport();
    reportId = requested.id;
    expect(requested).toMatchObject({ status: 'queued', progress: 0 });
    // Before the worker has built it: 409 with the status and progress.
    const early = await send('GET', `/api/v1/reports/${reportId}/files/report.pdf`, world.counselor.headers);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'report_not_ready', reportStatus: 'queued', progress: 0 });
    expect(await reportBuilder(api).build(world.clinicId, reportId)).toBe('ready');
    const status = await send('GET', `/api/v1/reports/${reportId}`, world.counselor.headers);
    expect(status.json()).toMatchObject({ status: 'ready', progress: 100, attempts: 1 });
    for (const file of status.json<{ files: { name: string; sha256: string }[] }>().files) {
      const download = await send('GET', `/api/v1/reports/${reportId}/files/${file.name}`, world.counselor.headers);
      expect(download.statusCode).toBe(200);
      expect(download.headers.etag).toBe(`"${file.sha256}"`);
      expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(file.sha256);
      files.set(file.name, download.rawPayload);
    }
    model = JSON.parse((files.get('report.json') as Buffer).toString('utf8')) as CaseReportModel;
  }, 60_000);
  afterAll(() => api.close());

  it('holds the files of a care-team report', () => {
    expect([...files.keys()]).toEqual([
      'boundary-events.csv',
      'homework-weeks.csv',
      'ledger-weeks.csv',
      'measures.csv',
      'report.json',
      'report.pdf',
    ]);
  });

  it('summarises the period and the case, with the phase timeline', () => {
    expect(model.period).toEqual({
      start: '2026-01-05',
      end: '2026-03-02',
      timezone: 'UTC',
      startsAt: '2026-01-05T00:00:00.000Z',
      endsAt: '2026-03-02T00:00:00.000Z',
      days: 56,
    });
    expect(model.sections).toEqual([
      'summary',
      'phase_timeline',
      'homework',
      'ledger',
      'boundary_events',
      'measures',
      'sessions',
      'safety_alerts',
      'patterns',
      'narrative',
    ]);
    expect(model.summary).toEqual({
      caseTitle: scenario.caseTitle,
      caseType: 'couple',
      status: 'active',
      phaseAtEnd: 'P2',
      participants: [
        { clientId: world.partnerA.clientId, label: 'Synthetic Partner A', role: 'harmed' },
        { clientId: world.partnerB.clientId, label: 'Synthetic Partner B', role: 'harming' },
      ],
      forParticipant: null,
    });
    expect(model.phaseTimeline).toEqual({
      spans: [
        { phase: 'P1', from: '2026-01-05', to: '2026-02-02' },
        { phase: 'P2', from: '2026-02-02', to: null },
      ],
      changesInPeriod: 1,
    });
    expect(model.narrative).toBe(NARRATIVE);
  });

  it('counts homework assigned, completed and on time per participant per week', () => {
    const weeks = (rows: [number, number, number][]) =>
      rows.map(([assigned, completed, onTime], index) => ({
        week: `2026-W${String(index + 2).padStart(2, '0')}`,
        startsOn: new Date(Date.parse('2026-01-05T00:00:00Z') + index * 7 * 86_400_000).toISOString().slice(0, 10),
        assigned,
        completed,
        onTime,
      }));
    expect(
      model.homework?.map((entry) => ({ who: entry.participant.label, weeks: entry.weeks, totals: entry.totals })),
    ).toEqual([
      {
        who: 'Synthetic Partner A',
        weeks: weeks([
          [1, 1, 1],
          [1, 1, 1],
          [1, 1, 0],
          [1, 1, 1],
          [1, 1, 1],
          [1, 1, 1],
          [1, 1, 1],
          [1, 0, 0],
        ]),
        totals: { assigned: 8, completed: 7, onTime: 6, completionRate: 0.875, onTimeRate: 0.75 },
      },
      {
        who: 'Synthetic Partner B',
        weeks: weeks([
          [2, 2, 2],
          [2, 2, 2],
          [2, 1, 1],
          [2, 1, 1],
          [2, 2, 2],
          [2, 1, 1],
          [2, 1, 1],
          [2, 1, 1],
        ]),
        totals: { assigned: 16, completed: 11, onTime: 11, completionRate: 0.6875, onTimeRate: 0.6875 },
      },
    ]);
  });

  it('gives trust-ledger consistency per week with the current and longest run kept', () => {
    const [a, b] = model.ledger ?? [];
    expect(a.weeks.map((week) => [week.kept, week.partlyKept, week.missed, week.disputed, week.consistency])).toEqual([
      [1, 1, 1, 2, 0.3333],
      [1, 1, 1, 0, 0.3333],
      [1, 1, 1, 0, 0.3333],
      [1, 1, 1, 0, 0.3333],
      [3, 0, 0, 0, 1],
      [3, 0, 0, 0, 1],
      [3, 0, 0, 0, 1],
      [3, 0, 0, 0, 1],
    ]);
    expect(a).toMatchObject({
      totals: { kept: 16, partlyKept: 4, missed: 4, disputed: 2 },
      consistency: 0.6667,
      currentKeptRun: 12,
      longestKeptRun: 12,
    });
    // B: the corrected `missed` counts as its correction (`kept`); the entry after the period is left out.
    expect(b.weeks.map((week) => week.kept)).toEqual([3, 2, 2, 2, 2, 2, 2, 2]);
    expect(b).toMatchObject({
      totals: { kept: 17, partlyKept: 0, missed: 0, disputed: 1 },
      consistency: 1,
      currentKeptRun: 17,
      longestKeptRun: 17,
    });
  });

  it('lists boundary events with whether the repair was completed', () => {
    expect(model.boundaryEvents).toEqual({
      total: 2,
      repairCompleted: 1,
      events: [
        { occurredOn: '2026-01-20', severity: 'moderate', repairCompleted: true, completedOn: '2026-01-22' },
        { occurredOn: '2026-02-10', severity: 'high', repairCompleted: false, completedOn: null },
      ],
    });
  });

  it('gives each participant their own measure series with baseline, cutoff and reliable-change labels', () => {
    const series = (model.measures ?? []).map((entry) => ({
      who: entry.participant.label,
      series: entry.series.map((one) => ({
        id: one.measureId,
        threshold: one.reliableChangeThreshold,
        cutoff: one.cutoff?.value ?? null,
        change: one.change,
        latest: one.latestLabel,
        points: one.points.map((point) => [
          point.date,
          point.score,
          point.isBaseline,
          point.inClinicalRange,
          point.label,
        ]),
      })),
    }));
    expect(series).toEqual([
      {
        who: 'Synthetic Partner A',
        series: [
          {
            id: 'csi-4',
            threshold: null,
            cutoff: 13.5,
            change: 2,
            latest: null,
            points: [
              ['2026-01-12', 10, true, true, null],
              ['2026-02-23', 12, false, true, null],
            ],
          },
          {
            id: 'phq-9',
            threshold: 6,
            cutoff: 10,
            change: -7,
            latest: 'recovered',
            points: [
              ['2025-12-15', 16, true, true, null],
              ['2026-01-12', 13, false, true, 'no reliable change'],
              ['2026-02-09', 9, false, false, 'recovered'],
            ],
          },
        ],
      },
      {
        who: 'Synthetic Partner B',
        series: [
          {
            id: 'csi-4',
            threshold: null,
            cutoff: 13.5,
            change: -1,
            latest: null,
            points: [
              ['2026-01-12', 18, true, false, null],
              ['2026-02-23', 17, false, false, null],
            ],
          },
          {
            id: 'gad-7',
            threshold: 4,
            cutoff: 10,
            change: 6,
            latest: 'reliable deterioration',
            points: [
              ['2025-12-15', 8, true, false, null],
              ['2026-01-19', 11, false, true, 'no reliable change'],
              ['2026-02-16', 14, false, true, 'reliable deterioration'],
            ],
          },
        ],
      },
    ]);
  });

  it('counts sessions and lists the safety alerts open at the end of the period', () => {
    expect(model.sessions).toEqual({ completed: 4, cancelled: 1, noShow: 0, scheduled: 0, jointCompleted: 3 });
    expect(model.safetyAlerts).toEqual({
      openAtEnd: [
        {
          raisedOn: '2026-02-20',
          tier: 2,
          trigger: 'risk_scan',
          participantLabel: 'Synthetic Partner B',
          status: 'open',
        },
      ],
      raisedInPeriod: 2,
    });
  });

  it('derives favourable patterns and lingering concerns by the documented rules, each with its numbers', () => {
    expect(model.patterns.favourable.map((sentence) => sentence.rule)).toEqual([
      'homework_completion_high',
      'ledger_trend_up',
      'ledger_consistency_high',
      'reliable_improvement',
    ]);
    expect(model.patterns.concerns.map((sentence) => sentence.rule)).toEqual([
      'ledger_disputes',
      'clinical_range',
      'reliable_deterioration',
      'clinical_range',
      'partner_gap',
      'repair_outstanding',
      'open_safety_alerts',
    ]);
    expect(model.patterns.favourable[0]).toEqual({
      rule: 'homework_completion_high',
      text: 'Synthetic Partner A completed 7 of 8 homework items due (88%), 6 on time.',
      basis: { participant: 'Synthetic Partner A', assigned: 8, completed: 7, onTime: 6, completionRate: 0.875 },
    });
    expect(model.patterns.favourable[1]).toEqual({
      rule: 'ledger_trend_up',
      text: "Synthetic Partner A's share of commitments kept rose from 33% in the first half of the period to 100% in the second.",
      basis: {
        participant: 'Synthetic Partner A',
        firstHalfKept: 4,
        firstHalfEntries: 12,
        secondHalfKept: 12,
        secondHalfEntries: 12,
      },
    });
    expect(model.patterns.favourable[3].text).toBe(
      "Synthetic Partner A's PHQ-9 score moved from 16 to 9, a reliable improvement that also left the clinical range.",
    );
    expect(model.patterns.concerns[4]).toEqual({
      rule: 'partner_gap',
      text: 'Synthetic Partner A and Synthetic Partner B differ by 5 points on CSI-4 (latest 12 and 17); the difference is worth exploring.',
      basis: { measure: 'CSI-4', first: 12, second: 17, gap: 5, limit: 4.2 },
    });
    expect(model.patterns.concerns[6].basis).toEqual({ openAlerts: 1, highestTier: 2 });
  });

  it('prints every section in the PDF, with charts as vectors and no clinical text', () => {
    const pdf = files.get('report.pdf') as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const heading of [
      'Case progress report',
      'Phase timeline',
      'Homework',
      'Trust ledger',
      'Boundary events',
      'Outcome measures',
      'Sessions',
      'Safety alerts',
      'Favourable patterns',
      'Lingering concerns',
      "Counselor's narrative",
      scenario.caseTitle,
      'Synthetic Partner A completed 7 of 8 homework items due (88%), 6 on time.',
      'cutoff 10',
      // Names and text beyond Latin-1 print as written (the embedded DejaVu Sans).
      NARRATIVE,
    ]) {
      expect({ heading, found: text.includes(heading) }).toEqual({ heading, found: true });
    }
    // The chart is drawn (path operators), not an embedded image.
    const raw = pdf.toString('latin1');
    expect(raw).not.toContain('/Subtype /Image');
    expect(raw).toContain('/Length');
    for (const canary of [scenario.canaries.psychotherapy, ...scenario.canaries.clinicalText]) {
      expect(text.includes(canary)).toBe(false);
      expect(JSON.stringify(model).includes(canary)).toBe(false);
    }
    expect(api.logs().includes(scenario.canaries.psychotherapy)).toBe(false);
  });

  it('writes the tabular parts as CSV with a header row', () => {
    const homework = parse<Record<string, string>>(files.get('homework-weeks.csv') as Buffer, { columns: true });
    expect(homework).toHaveLength(16);
    expect(homework[2]).toEqual({
      participant: 'Synthetic Partner A',
      role: 'harmed',
      week: '2026-W04',
      starts_on: '2026-01-19',
      assigned: '1',
      completed: '1',
      on_time: '0',
    });
    const measures = parse<Record<string, string>>(files.get('measures.csv') as Buffer, { columns: true });
    expect(measures.filter((row) => row.reliable_change === 'recovered')).toEqual([
      {
        participant: 'Synthetic Partner A',
        measure: 'PHQ-9',
        date: '2026-02-09',
        score: '9',
        baseline: 'false',
        in_clinical_range: 'false',
        reliable_change: 'recovered',
      },
    ]);
  });

  it('gives identical numbers when the same period is requested again, and the same PDF bytes for the same model', async () => {
    const again = await requestCaseReport();
    expect(await reportBuilder(api).build(world.clinicId, again.id)).toBe('ready');
    const download = await send('GET', `/api/v1/reports/${again.id}/files/report.json`, world.counselor.headers);
    const second = download.json<CaseReportModel>();
    const numbers = ({ reportId: _id, asOf: _asOf, ...rest }: CaseReportModel) => rest;
    expect(numbers(second)).toEqual(numbers(model));
    expect((await renderPdf(model)).equals(await renderPdf(model))).toBe(true);
    expect((await renderPdf(model)).equals(files.get('report.pdf') as Buffer)).toBe(true);
  });
});
