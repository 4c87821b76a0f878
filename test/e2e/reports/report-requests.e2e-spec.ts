import { randomBytes } from 'node:crypto';

import type { INestApplicationContext } from '@nestjs/common';
import { pino } from 'pino';

import { FieldEncryption, masterKeyEnvelope, MEND_CONFIG, UnitOfWork, type MendConfig } from '@mend/core';
import { scheduleDueReports, type CaseloadReportModel, type ClinicReportModel } from '@mend/reports';
import { DataKeyRotation } from '@mend/sessions';
import { testConfig, testEnvironment } from '@mend/testing';

import { createWorkerApplication } from '../../../apps/worker/src/bootstrap.js';
import { WorkerRuntime } from '../../../apps/worker/src/worker-runtime.service.js';
import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { PERIOD, pdfText, reportBuilder, seedReportScenario, type ReportScenario } from './support/report-scenario.js';

type Headers = Record<string, string>;
interface Problem {
  code: string;
  detail: string;
  errors?: { field: string; rule: string }[];
  reportStatus?: string;
  progress?: number;
}
interface ReportJson {
  id: string;
  status: string;
  progress: number;
  attempts: number;
  errorCode: string | null;
  files: { name: string; sha256: string; byteSize: number }[];
}

/**
 * Requests, bad input, the caseload and clinic reports of the fixture scenario
 * (numbers asserted exactly; the clinic report holds no client names and no
 * clinical text), cancellation, a build interrupted mid-way (a killed worker)
 * restarting without a partial file, the worker through the real outbox and
 * queue, the schedule of recurring reports, and key rotation of report files.
 */
describe('report requests, caseload and clinic reports, and the build job (e2e)', () => {
  const env = {
    MASTER_KEY: randomBytes(32).toString('base64'),
    QUEUE_PREFIX: `${testEnvironment().queuePrefix}-reports`,
    OUTBOX_POLL_MS: '50',
  };
  let api: IdentityApp;
  let world: CaseWorld;
  let scenario: ReportScenario;

  const send = async (method: 'GET' | 'POST', url: string, headers: Headers, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  const request = (headers: Headers, body: Record<string, unknown>) =>
    send('POST', '/api/v1/reports', headers, { period: PERIOD, ...body });
  const filesOf = async (id: string, headers: Headers): Promise<Map<string, string>> => {
    const status = (await send('GET', `/api/v1/reports/${id}`, headers)).json<ReportJson>();
    const files = new Map<string, string>();
    for (const file of status.files) {
      const download = await send('GET', `/api/v1/reports/${id}/files/${file.name}`, headers);
      expect(download.statusCode).toBe(200);
      files.set(file.name, file.name.endsWith('.pdf') ? pdfText(download.rawPayload) : download.body);
    }
    return files;
  };

  beforeAll(async () => {
    api = await startIdentityApp({ env });
    world = await createCaseWorld(api);
    scenario = await seedReportScenario(api, world);
  }, 60_000);
  afterAll(() => api?.close());

  describe('bad input', () => {
    const caseReport = { kind: 'case', audience: 'care_team' };
    it.each([
      ['reversed', { start: '2026-03-01', end: '2026-02-01' }, 'report_period_reversed'],
      ['empty', { start: '2026-03-01', end: '2026-03-01' }, 'report_period_empty'],
      ['longer than 366 days', { start: '2025-01-01', end: '2026-01-03' }, 'report_period_too_long'],
      [
        'ending in the future',
        {
          start: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
          end: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
        },
        'report_period_in_future',
      ],
    ])('refuses a period %s with 422 naming the field', async (_label, period, code) => {
      const response = await request(world.counselor.headers, { ...caseReport, caseId: world.caseId, period });
      expect(response.statusCode).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json<Problem>()).toMatchObject({ code, errors: [{ field: 'period.end', rule: code }] });
    });

    it('refuses malformed dates and unknown kinds with 400', async () => {
      const malformed = await request(world.counselor.headers, {
        ...caseReport,
        caseId: world.caseId,
        period: { start: '01/01/2026', end: '2026-02-01' },
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json<Problem>().errors?.[0].field).toBe('period.start');
      expect((await request(world.counselor.headers, { kind: 'payroll', audience: 'clinic' })).statusCode).toBe(400);
    });

    it('answers 404 for a kind the caller may not request, like a record they may not see', async () => {
      const refusals: [Headers, Record<string, unknown>][] = [
        [world.partnerA.headers, { kind: 'clinic', audience: 'clinic' }],
        [world.counselor.headers, { kind: 'clinic', audience: 'clinic' }],
        [world.supervisor.headers, { kind: 'clinic', audience: 'clinic' }],
        [world.admin.headers, { kind: 'clinic', audience: 'supervisor' }],
        [world.partnerA.headers, { ...caseReport, caseId: world.caseId }],
        [world.admin.headers, { ...caseReport, caseId: world.caseId }],
        [world.otherCounselor.headers, { ...caseReport, caseId: world.caseId }],
        [world.supervisor.headers, { kind: 'client_summary', audience: 'couple', caseId: world.caseId }],
        [world.partnerA.headers, { kind: 'client_summary', audience: 'couple', caseId: world.caseId }],
        [
          world.otherCounselor.headers,
          { kind: 'caseload', audience: 'counselor', counselorMembershipId: world.counselor.member.membershipId },
        ],
        [
          world.admin.headers,
          { kind: 'caseload', audience: 'counselor', counselorMembershipId: world.counselor.member.membershipId },
        ],
      ];
      for (const [headers, body] of refusals) {
        const response = await request(headers, body);
        expect({ body, status: response.statusCode }).toEqual({ body, status: 404 });
      }
    });

    it('refuses an audience the kind has not, a narrative on counts-only kinds and a partner outside the case', async () => {
      const wrongAudience = await request(world.counselor.headers, {
        kind: 'case',
        audience: 'couple',
        caseId: world.caseId,
      });
      expect(wrongAudience.statusCode).toBe(422);
      expect(wrongAudience.json<Problem>().code).toBe('report_audience_invalid');
      const narrative = await request(world.admin.headers, { kind: 'clinic', audience: 'clinic', narrative: 'Text' });
      expect(narrative.json<Problem>()).toMatchObject({ code: 'report_narrative_not_allowed' });
      const stranger = await request(world.counselor.headers, {
        kind: 'client_summary',
        audience: 'partner',
        caseId: world.caseId,
        audienceClientId: world.caseId,
      });
      expect(stranger.json<Problem>()).toMatchObject({
        code: 'report_audience_invalid',
        errors: [{ field: 'audienceClientId' }],
      });
    });

    it('lists the sections an audience receives (the redaction table)', async () => {
      const partner = await send(
        'GET',
        '/api/v1/reports/sections?kind=client_summary&audience=partner',
        world.partnerA.headers,
      );
      expect(partner.statusCode).toBe(200);
      const sections = partner.json<{ sections: { id: string; included: boolean }[]; never: string[] }>();
      expect(sections.sections.filter((s) => !s.included).map((s) => s.id)).toEqual(['safety_alerts']);
      expect(sections.never).toContain('psychotherapy notes');
      const couple = await send(
        'GET',
        '/api/v1/reports/sections?kind=client_summary&audience=couple',
        world.admin.headers,
      );
      expect(
        couple
          .json<{ sections: { id: string; included: boolean }[] }>()
          .sections.filter((s) => !s.included)
          .map((s) => s.id),
      ).toEqual(['measures', 'safety_alerts']);
      const invalid = await send('GET', '/api/v1/reports/sections?kind=clinic&audience=partner', world.admin.headers);
      expect(invalid.statusCode).toBe(422);
    });
  });

  it("builds the counselor's caseload report: counts per case, documented patterns, no clinical text", async () => {
    const response = await request(world.counselor.headers, { kind: 'caseload', audience: 'counselor' });
    expect(response.statusCode).toBe(202);
    const id = response.json<ReportJson>().id;
    expect(await reportBuilder(api, { pageSize: 1 }).build(world.clinicId, id)).toBe('ready');
    // The counselor's supervisor reads it too; another counselor does not.
    expect((await send('GET', `/api/v1/reports/${id}`, world.otherCounselor.headers)).statusCode).toBe(404);
    const files = await filesOf(id, world.supervisor.headers);
    const model = JSON.parse(files.get('report.json') as string) as CaseloadReportModel;
    expect(model.cases).toEqual([
      {
        caseId: world.caseId,
        caseTitle: scenario.caseTitle,
        participants: ['Synthetic Partner A', 'Synthetic Partner B'],
        status: 'active',
        phase: 'P2',
        homework: { assigned: 24, completed: 18, onTime: 17, completionRate: 0.75, onTimeRate: 0.7083 },
        ledgerConsistency: 0.8049,
        boundaryEvents: 2,
        openAlerts: 1,
        unsignedNotes: 1,
        reliableImprovements: 1,
        reliableDeteriorations: 1,
      },
    ]);
    expect(model.totals).toEqual({
      cases: 1,
      homework: { assigned: 24, completed: 18, onTime: 17, completionRate: 0.75, onTimeRate: 0.7083 },
      openAlerts: 1,
      unsignedNotes: 1,
      boundaryEvents: 2,
    });
    expect(model.patterns.favourable.map((s) => s.rule)).toEqual(['caseload_improvements']);
    expect(model.patterns.concerns.map((s) => s.rule)).toEqual([
      'caseload_alerts',
      'caseload_unsigned_notes',
      'caseload_deteriorations',
    ]);
    expect([...files.keys()]).toEqual(['cases.csv', 'report.json', 'report.pdf']);
    for (const text of files.values()) {
      for (const canary of [scenario.canaries.psychotherapy, ...scenario.canaries.clinicalText]) {
        expect(text.includes(canary)).toBe(false);
      }
    }
  });

  it('builds the clinic report: counts, rates, shares and response times; no client names or clinical text', async () => {
    const response = await request(world.admin.headers, { kind: 'clinic', audience: 'clinic' });
    expect(response.statusCode).toBe(202);
    const id = response.json<ReportJson>().id;
    const progress: number[] = [];
    expect(
      await reportBuilder(api, { pageSize: 1, afterProgress: (value) => void progress.push(value) }).build(
        world.clinicId,
        id,
      ),
    ).toBe('ready');
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const names = await api.app
      .get(UnitOfWork)
      .run(world.clinicId, (tx) =>
        tx.query<{ id: string; display_name: string | null }>(
          `select m.id, u.display_name from memberships m join users u on u.id = m.user_id where m.clinic_id = $1`,
          [world.clinicId],
        ),
      );
    const nameOf = (membershipId: string) =>
      names.find((row) => row.id === membershipId)?.display_name ?? `Member ${membershipId.slice(0, 8)}`;
    const files = await filesOf(id, world.admin.headers);
    const model = JSON.parse(files.get('report.json') as string) as ClinicReportModel;
    expect(model.cases).toEqual({
      activeAtEnd: 1,
      byPhase: { P0: 0, P1: 0, P2: 1, P3: 0, P4: 0 },
      onSafetyHold: 0,
      opened: 0,
      closed: 0,
    });
    expect(model.clients).toEqual({ withActiveCase: 2 });
    expect(model.homework).toEqual({
      assigned: 24,
      completed: 18,
      onTime: 17,
      completionRate: 0.75,
      onTimeRate: 0.7083,
    });
    expect(model.measures).toEqual([
      {
        measureId: 'csi-4',
        name: 'CSI-4',
        clientsMeasured: 2,
        reliableImprovement: 0,
        recovered: 0,
        noReliableChange: 0,
        reliableDeterioration: 0,
        improvementShare: null,
        deteriorationShare: null,
        hasThreshold: false,
      },
      {
        measureId: 'gad-7',
        name: 'GAD-7',
        clientsMeasured: 1,
        reliableImprovement: 0,
        recovered: 0,
        noReliableChange: 0,
        reliableDeterioration: 1,
        improvementShare: 0,
        deteriorationShare: 1,
        hasThreshold: true,
      },
      {
        measureId: 'phq-9',
        name: 'PHQ-9',
        clientsMeasured: 1,
        reliableImprovement: 0,
        recovered: 1,
        noReliableChange: 0,
        reliableDeterioration: 0,
        improvementShare: 1,
        deteriorationShare: 0,
        hasThreshold: true,
      },
    ]);
    const alerts = {
      raised: 2,
      acknowledged: 1,
      byTier: { tier1: 1, tier2: 1, tier3: 0 },
      medianMinutesToAcknowledge: 30,
      p90MinutesToAcknowledge: 30,
    };
    expect(model.alerts).toEqual({ ...alerts, openAtEnd: 1 });
    expect(model.notes).toEqual({ unsignedAtEnd: 1, signedInPeriod: 1 });
    expect(model.sessions).toEqual({ completed: 4, cancelled: 1, noShow: 0, scheduled: 0 });
    const counselor = world.counselor.member.membershipId;
    const other = world.otherCounselor.member.membershipId;
    expect(
      [...model.counselors].sort((a, b) => (a.membershipId === counselor ? -1 : b.membershipId === counselor ? 1 : 0)),
    ).toEqual([
      {
        membershipId: counselor,
        name: nameOf(counselor),
        activeCases: 1,
        homework: { assigned: 24, completed: 18, onTime: 17, completionRate: 0.75, onTimeRate: 0.7083 },
        alerts: { ...alerts, openAtEnd: 0 },
        unsignedNotes: 1,
      },
      {
        membershipId: other,
        name: nameOf(other),
        activeCases: 0,
        homework: { assigned: 0, completed: 0, onTime: 0, completionRate: null, onTimeRate: null },
        alerts: {
          raised: 0,
          acknowledged: 0,
          openAtEnd: 0,
          byTier: { tier1: 0, tier2: 0, tier3: 0 },
          medianMinutesToAcknowledge: null,
          p90MinutesToAcknowledge: null,
        },
        unsignedNotes: 0,
      },
    ]);
    // No client names, case titles or clinical text anywhere; counselor names only in the breakdown.
    for (const [file, text] of files) {
      for (const marker of [
        'Synthetic Partner A',
        'Synthetic Partner B',
        scenario.caseTitle,
        scenario.canaries.psychotherapy,
        ...scenario.canaries.clinicalText,
      ]) {
        expect({ file, marker, leaked: text.includes(marker) }).toEqual({ file, marker, leaked: false });
      }
    }
    const pdf = files.get('report.pdf') as string;
    expect(pdf.indexOf(nameOf(counselor))).toBeGreaterThan(pdf.indexOf('Per-counselor breakdown'));
    expect(files.get('summary.csv')).not.toContain(nameOf(counselor));
    expect(files.get('counselors.csv')).toContain(nameOf(counselor));
    // A supervisor's copy: their supervisees only, readable by them and not by other supervisors' requests.
    const mine = await request(world.supervisor.headers, { kind: 'clinic', audience: 'supervisor' });
    expect(mine.statusCode).toBe(202);
    await reportBuilder(api).build(world.clinicId, mine.json<ReportJson>().id);
    const supervisorCopy = JSON.parse(
      (await filesOf(mine.json<ReportJson>().id, world.supervisor.headers)).get('report.json') as string,
    ) as ClinicReportModel;
    expect(supervisorCopy.counselors.map((row) => row.membershipId)).toEqual([counselor]);
    expect(supervisorCopy.homework).toEqual(model.homework);
    // The supervisor may not read the admins' copy.
    expect((await send('GET', `/api/v1/reports/${id}`, world.supervisor.headers)).statusCode).toBe(404);
  });

  it("answers 404 to another clinic's members for every report route, byte for byte like a missing report", async () => {
    const other = await createCaseWorld(api);
    const id = (
      await request(world.counselor.headers, { kind: 'case', audience: 'care_team', caseId: world.caseId })
    ).json<ReportJson>().id;
    await reportBuilder(api).build(world.clinicId, id);
    const missing = await send('GET', '/api/v1/reports/00000000-0000-4000-8000-000000000000', other.counselor.headers);
    for (const caller of [other.admin, other.counselor, other.supervisor, other.partnerA]) {
      for (const [method, url] of [
        ['GET', `/api/v1/reports/${id}`],
        ['GET', `/api/v1/reports/${id}/files/report.json`],
        ['POST', `/api/v1/reports/${id}/cancel`],
      ] as const) {
        const response = await send(method, url, caller.headers);
        expect({ url, status: response.statusCode, detail: response.json<Problem>().detail }).toEqual({
          url,
          status: 404,
          detail: missing.json<Problem>().detail,
        });
      }
    }
    const foreignCase = await request(other.counselor.headers, {
      kind: 'case',
      audience: 'care_team',
      caseId: world.caseId,
    });
    expect(foreignCase.statusCode).toBe(404);
  });

  it('stops a cancelled build at its next step and writes no file', async () => {
    const id = (await request(world.admin.headers, { kind: 'clinic', audience: 'clinic' })).json<ReportJson>().id;
    const outcome = await reportBuilder(api, {
      pageSize: 1,
      afterProgress: async (value) => {
        if (value >= 5) {
          const cancelled = await send('POST', `/api/v1/reports/${id}/cancel`, world.admin.headers);
          if (cancelled.statusCode !== 200 && cancelled.statusCode !== 409) throw new Error('cancel failed');
        }
      },
    }).build(world.clinicId, id);
    expect(outcome).toBe('cancelled');
    const status = (await send('GET', `/api/v1/reports/${id}`, world.admin.headers)).json<ReportJson>();
    expect(status).toMatchObject({ status: 'cancelled', files: [] });
    const download = await send('GET', `/api/v1/reports/${id}/files/report.pdf`, world.admin.headers);
    expect(download.statusCode).toBe(409);
    expect(download.json<Problem>()).toMatchObject({ code: 'report_not_ready', reportStatus: 'cancelled' });
    const again = await send('POST', `/api/v1/reports/${id}/cancel`, world.admin.headers);
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().code).toBe('report_already_finished');
    // A participant may not cancel the care team's report (404, like a missing one).
    const caseReport = (
      await request(world.counselor.headers, { kind: 'case', audience: 'care_team', caseId: world.caseId })
    ).json<ReportJson>();
    expect((await send('POST', `/api/v1/reports/${caseReport.id}/cancel`, world.partnerA.headers)).statusCode).toBe(
      404,
    );
  });

  it('restarts a build killed mid-report without ever storing a partial file, with the same numbers', async () => {
    const id = (await request(world.admin.headers, { kind: 'clinic', audience: 'clinic' })).json<ReportJson>().id;
    // The worker "dies" half-way: the build throws after recording progress past 30 %.
    const killed = reportBuilder(api, {
      pageSize: 1,
      afterProgress: (value) => {
        if (value >= 30) throw new Error('worker killed');
      },
    }).build(world.clinicId, id);
    await expect(killed).rejects.toThrow('worker killed');
    const midway = (await send('GET', `/api/v1/reports/${id}`, world.admin.headers)).json<ReportJson>();
    expect(midway).toMatchObject({ status: 'building', attempts: 1, files: [] });
    expect(midway.progress).toBeGreaterThanOrEqual(30);
    expect(midway.progress).toBeLessThan(100);
    const download = await send('GET', `/api/v1/reports/${id}/files/report.json`, world.admin.headers);
    expect(download.json<Problem>()).toMatchObject({ code: 'report_not_ready', reportStatus: 'building' });
    const stored = await api.app
      .get(UnitOfWork)
      .run(world.clinicId, (tx) =>
        tx.query<{ n: number }>(
          'select count(*)::int as n from report_artifacts where clinic_id = $1 and report_id = $2',
          [world.clinicId, id],
        ),
      );
    expect(stored[0].n).toBe(0);
    // The job runs again (BullMQ redelivers a stalled job): it restarts and finishes.
    expect(await reportBuilder(api, { pageSize: 1 }).build(world.clinicId, id)).toBe('ready');
    const ready = (await send('GET', `/api/v1/reports/${id}`, world.admin.headers)).json<ReportJson>();
    expect(ready).toMatchObject({ status: 'ready', progress: 100, attempts: 2 });
    const uninterrupted = (
      await request(world.admin.headers, { kind: 'clinic', audience: 'clinic' })
    ).json<ReportJson>().id;
    await reportBuilder(api).build(world.clinicId, uninterrupted);
    const numbers = (json: string) => {
      const { reportId: _id, asOf: _asOf, ...rest } = JSON.parse(json) as ClinicReportModel;
      return rest;
    };
    expect(numbers((await filesOf(id, world.admin.headers)).get('report.json') as string)).toEqual(
      numbers((await filesOf(uninterrupted, world.admin.headers)).get('report.json') as string),
    );
    // A second delivery of the finished job does nothing.
    expect(await reportBuilder(api).build(world.clinicId, id)).toBe('skipped');
  });

  it('re-encrypts report files and narratives on key rotation; downloads still match their checksums', async () => {
    const requested = await request(world.counselor.headers, {
      kind: 'case',
      audience: 'care_team',
      caseId: world.caseId,
      narrative: 'Synthetic narrative before rotation.',
    });
    const id = requested.json<ReportJson>().id;
    await reportBuilder(api).build(world.clinicId, id);
    const before = (await send('GET', `/api/v1/reports/${id}`, world.counselor.headers)).json<ReportJson>();
    const config = api.app.get<MendConfig>(MEND_CONFIG);
    const envelope = masterKeyEnvelope(config);
    if (envelope === null) throw new Error('no master key');
    const rotation = new DataKeyRotation(api.app.get(UnitOfWork), envelope, api.app.get(FieldEncryption));
    const result = await rotation.rotateClinic(world.clinicId);
    expect(result.reencrypted).toBeGreaterThanOrEqual(before.files.length + 1);
    const versions = await api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
      tx.query<{ version: number }>(
        `select distinct sealed_key_version(content) as version from report_artifacts where clinic_id = $1
         union select distinct sealed_key_version(narrative) from report_requests where clinic_id = $1 and narrative is not null`,
        [world.clinicId],
      ),
    );
    expect(versions.map((row) => row.version)).toEqual([result.version]);
    for (const file of before.files) {
      const download = await send('GET', `/api/v1/reports/${id}/files/${file.name}`, world.counselor.headers);
      expect({ file: file.name, status: download.statusCode, etag: download.headers.etag }).toEqual({
        file: file.name,
        status: 200,
        etag: `"${file.sha256}"`,
      });
    }
  });

  it('makes the scheduled reports once per period, in the clinic timezone', async () => {
    const unitOfWork = api.app.get(UnitOfWork);
    // Weeks ahead (the clinic and its counselors must exist before the periods end): computed, not literal.
    const now = new Date(Date.now() + 45 * 86_400_000);
    const only = { onlyClinicIds: [world.clinicId] };
    const first = await scheduleDueReports(unitOfWork, now, only);
    const second = await scheduleDueReports(unitOfWork, now, only);
    expect([first.created, second.created]).toEqual([3, 0]);
    const today = now.toISOString().slice(0, 10);
    const monthStart = `${today.slice(0, 7)}-01`;
    const previousMonth = new Date(`${monthStart}T00:00:00Z`);
    previousMonth.setUTCMonth(previousMonth.getUTCMonth() - 1);
    const monday = new Date(`${today}T00:00:00Z`);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    const lastMonday = new Date(monday.getTime() - 7 * 86_400_000);
    const rows = await unitOfWork.run(world.clinicId, (tx) =>
      tx.query<{ kind: string; key: string; period_start: string; period_end: string; requested_by: string | null }>(
        `select kind, schedule_key as key, period_start::text, period_end::text, requested_by_membership_id as requested_by
           from report_requests where clinic_id = $1 and schedule_key is not null order by schedule_key`,
        [world.clinicId],
      ),
    );
    const counselors = [world.counselor.member.membershipId, world.otherCounselor.member.membershipId].sort();
    const weekly = (membershipId: string) => ({
      kind: 'caseload',
      key: expect.stringMatching(new RegExp(`^caseload-weekly:${membershipId}:\\d{4}-w\\d{2}$`)) as string,
      period_start: lastMonday.toISOString().slice(0, 10),
      period_end: monday.toISOString().slice(0, 10),
      requested_by: null,
    });
    expect(rows).toEqual([
      ...counselors.map(weekly),
      {
        kind: 'clinic',
        key: `clinic-monthly:${previousMonth.toISOString().slice(0, 7)}`,
        period_start: previousMonth.toISOString().slice(0, 10),
        period_end: monthStart,
        requested_by: null,
      },
    ]);
    // The clinic's admins read the scheduled clinic report; a counselor reads their own digest.
    const ids = await unitOfWork.run(world.clinicId, (tx) =>
      tx.query<{ id: string; kind: string; counselor: string | null }>(
        `select id, kind, counselor_membership_id as counselor from report_requests
          where clinic_id = $1 and schedule_key is not null`,
        [world.clinicId],
      ),
    );
    const clinicReport = ids.find((row) => row.kind === 'clinic')?.id ?? '';
    const digest = ids.find((row) => row.counselor === world.counselor.member.membershipId)?.id ?? '';
    expect((await send('GET', `/api/v1/reports/${clinicReport}`, world.admin.headers)).statusCode).toBe(200);
    expect((await send('GET', `/api/v1/reports/${digest}`, world.counselor.headers)).statusCode).toBe(200);
    expect((await send('GET', `/api/v1/reports/${digest}`, world.otherCounselor.headers)).statusCode).toBe(404);
  });

  describe('through the real outbox, reports queue and worker', () => {
    let worker: INestApplicationContext;
    beforeAll(async () => {
      worker = await createWorkerApplication(testConfig(env), pino({ level: 'silent' }));
      await worker.get(WorkerRuntime).start();
    }, 60_000);
    afterAll(async () => {
      await worker?.get(WorkerRuntime).stop(5_000);
      await worker?.close();
    }, 60_000);

    it('builds a requested report in the worker; polling shows it ready', async () => {
      const id = (
        await request(world.counselor.headers, { kind: 'caseload', audience: 'counselor' })
      ).json<ReportJson>().id;
      let status: ReportJson | undefined;
      for (let attempt = 0; attempt < 200; attempt += 1) {
        status = (await send('GET', `/api/v1/reports/${id}`, world.counselor.headers)).json<ReportJson>();
        if (status.status === 'ready') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toMatchObject({ status: 'ready', progress: 100, attempts: 1 });
      expect(status?.files.map((file) => file.name)).toEqual(['cases.csv', 'report.json', 'report.pdf']);
    }, 30_000);
  });
});
