import type { TenantTransaction } from '@mend/core';
import { changeOverTime } from '@mend/measures';

import { endOf } from '../model/period.js';
import type {
  AlertResponse,
  CaseloadReportModel,
  CaseloadRow,
  ClinicReportModel,
  CounselorBreakdownRow,
  HomeworkTotals,
  MeasureOutcomeRow,
  ReportPeriod,
} from '../model/report.types.js';
import { includedSections } from '../model/sections.js';
import { caseloadPatterns, rate4 } from '../rules/patterns.js';
import {
  alertResponses,
  caseMovements,
  casePage,
  clientPage,
  homeworkByCase,
  measureOutcomes,
  memberNames,
  noteCounts,
  openAlertCount,
  signalsByCase,
  superviseesOf,
  type AlertResponseRow,
  type OutcomeRow,
} from '../sources/aggregate-data.js';
import { sessionCounts } from '../sources/case-data.js';
import { DefinitionCache, thresholdOf } from './measure-definitions.js';

/** Runs one short unit of work of the report's clinic (a long report is many of them, never one long transaction). */
export type ChunkRunner = <T>(work: (tx: TenantTransaction) => Promise<T>) => Promise<T>;

/**
 * Told the progress (0-100) between chunks; it records it and throws when the
 * report was cancelled meanwhile, which stops the build there.
 */
export type ProgressSink = (progress: number) => Promise<void>;

export const DEFAULT_PAGE_SIZE = 500;

const PHASES = ['P0', 'P1', 'P2', 'P3', 'P4'] as const;
const OPEN_STATUSES = new Set(['intake', 'active', 'on_hold']);

interface Sums {
  assigned: number;
  completed: number;
  onTime: number;
}

const totalsOf = (sums: Sums): HomeworkTotals => ({
  assigned: sums.assigned,
  completed: sums.completed,
  onTime: sums.onTime,
  completionRate: rate4(sums.completed, sums.assigned),
  onTimeRate: rate4(sums.onTime, sums.assigned),
});

const add = (sums: Sums, row: { assigned: number; completed: number; on_time: number } | undefined): void => {
  if (row === undefined) return;
  sums.assigned += row.assigned;
  sums.completed += row.completed;
  sums.onTime += row.on_time;
};

/** The reliable-change label of the latest score against the baseline, or null without a threshold. */
async function labelOf(tx: TenantTransaction, definitions: DefinitionCache, row: OutcomeRow): Promise<string | null> {
  const definition = await definitions.get(tx, row.measure_id, row.measure_version);
  if (definition === null || thresholdOf(definition) === null) return null;
  const series = changeOverTime(definition, [
    { administeredAt: '2000-01-01T00:00:00.000Z', score: Number(row.baseline) },
    { administeredAt: '2000-01-02T00:00:00.000Z', score: Number(row.latest) },
  ]);
  return series.points[1]?.label ?? null;
}

export interface CaseloadInput {
  readonly reportId: string;
  readonly clinicName: string;
  readonly counselorMembershipId: string;
  readonly period: ReportPeriod;
  readonly asOf: Date;
}

/**
 * One counselor's caseload: every case on whose care team they are that is
 * open (intake, active, on hold) at the as-of instant, with counts per case.
 */
export async function buildCaseloadReport(
  run: ChunkRunner,
  input: CaseloadInput,
  progress: ProgressSink,
  options: { pageSize?: number; definitions?: DefinitionCache } = {},
): Promise<CaseloadReportModel> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const definitions = options.definitions ?? new DefinitionCache();
  const { period, asOf } = input;
  const atEnd = endOf(period, asOf);
  const rows: CaseloadRow[] = [];
  let afterId: string | null = null;
  for (;;) {
    const page = await run(async (tx) => {
      const cases = await casePage(tx, {
        afterId,
        limit: pageSize,
        asOf: atEnd,
        counselorMembershipId: input.counselorMembershipId,
        withNames: true,
      });
      const open = cases.filter((row) => OPEN_STATUSES.has(row.status_at));
      const ids = open.map((row) => row.id);
      if (ids.length === 0) return { last: cases.at(-1)?.id ?? null, count: cases.length, rows: [] as CaseloadRow[] };
      const homework = new Map(
        (await homeworkByCase(tx, { caseIds: ids, start: period.start, end: period.end, asOf })).map((r) => [
          r.case_id,
          r,
        ]),
      );
      const signals = new Map(
        (
          await signalsByCase(tx, {
            caseIds: ids,
            start: period.start,
            end: period.end,
            startsAt: period.startsAt,
            endsAt: period.endsAt,
            asOf,
            atEnd,
          })
        ).map((r) => [r.case_id, r]),
      );
      const outcomes = await measureOutcomes(tx, {
        caseIds: ids,
        perCase: true,
        startsAt: period.startsAt,
        endsAt: period.endsAt,
        asOf,
      });
      const improved = new Map<string, number>();
      const deteriorated = new Map<string, number>();
      for (const outcome of outcomes) {
        const label = await labelOf(tx, definitions, outcome);
        const caseId = outcome.case_id ?? '';
        if (label === 'reliable improvement' || label === 'recovered')
          improved.set(caseId, (improved.get(caseId) ?? 0) + 1);
        if (label === 'reliable deterioration') deteriorated.set(caseId, (deteriorated.get(caseId) ?? 0) + 1);
      }
      const pageRows = open.map((row): CaseloadRow => {
        const sums: Sums = { assigned: 0, completed: 0, onTime: 0 };
        add(sums, homework.get(row.id));
        const signal = signals.get(row.id);
        return {
          caseId: row.id,
          caseTitle: row.title,
          participants: row.participant_names,
          status: row.status_at,
          phase: row.phase_at,
          homework: totalsOf(sums),
          ledgerConsistency: rate4(signal?.kept ?? 0, signal?.ledger_entries ?? 0),
          boundaryEvents: signal?.boundary_events ?? 0,
          openAlerts: signal?.open_alerts ?? 0,
          unsignedNotes: signal?.unsigned_notes ?? 0,
          reliableImprovements: improved.get(row.id) ?? 0,
          reliableDeteriorations: deteriorated.get(row.id) ?? 0,
        };
      });
      return { last: cases.at(-1)?.id ?? null, count: cases.length, rows: pageRows };
    });
    rows.push(...page.rows);
    if (page.count < pageSize) break;
    afterId = page.last;
    await progress(Math.min(80, 10 + rows.length));
  }
  await progress(85);
  const names = await run((tx) => memberNames(tx, [input.counselorMembershipId]));
  const sums: Sums = { assigned: 0, completed: 0, onTime: 0 };
  for (const row of rows)
    add(sums, { assigned: row.homework.assigned, completed: row.homework.completed, on_time: row.homework.onTime });
  return {
    schema: 'mend.report.caseload/1',
    kind: 'caseload',
    audience: 'counselor',
    reportId: input.reportId,
    clinicName: input.clinicName,
    period,
    asOf: asOf.toISOString(),
    sections: [...includedSections('caseload', 'counselor')],
    counselor: {
      membershipId: input.counselorMembershipId,
      name: names.get(input.counselorMembershipId) ?? 'Counselor',
    },
    totals: {
      cases: rows.length,
      homework: totalsOf(sums),
      openAlerts: rows.reduce((sum, row) => sum + row.openAlerts, 0),
      unsignedNotes: rows.reduce((sum, row) => sum + row.unsignedNotes, 0),
      boundaryEvents: rows.reduce((sum, row) => sum + row.boundaryEvents, 0),
    },
    cases: rows,
    patterns: caseloadPatterns(rows),
  };
}

export interface ClinicInput {
  readonly reportId: string;
  readonly clinicName: string;
  readonly audience: 'clinic' | 'supervisor';
  /** The supervisor of a `supervisor` copy (their supervisees form the breakdown). */
  readonly supervisorMembershipId: string | null;
  readonly period: ReportPeriod;
  readonly asOf: Date;
}

function alertResponseOf(row: AlertResponseRow | undefined, openAtEnd: number): AlertResponse {
  return {
    raised: row?.raised ?? 0,
    acknowledged: row?.acknowledged ?? 0,
    openAtEnd,
    byTier: { tier1: row?.tier1 ?? 0, tier2: row?.tier2 ?? 0, tier3: row?.tier3 ?? 0 },
    medianMinutesToAcknowledge: row?.median_minutes ?? null,
    p90MinutesToAcknowledge: row?.p90_minutes ?? null,
  };
}

/**
 * The clinic report: counts, rates, shares and response times, no clinical
 * text and no client names (counselor names only in the breakdown). Walks the
 * clinic's cases and then its clients page by page (keyset on the id, one
 * short unit of work per page), each page aggregated in PostgreSQL, so memory
 * holds one page and a fixed set of counters whatever the clinic's size.
 * Progress: cases 5-55, clients 55-90, clinic-wide aggregates 90-95.
 */
export async function buildClinicReport(
  run: ChunkRunner,
  input: ClinicInput,
  progress: ProgressSink,
  options: { pageSize?: number; definitions?: DefinitionCache } = {},
): Promise<ClinicReportModel> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const definitions = options.definitions ?? new DefinitionCache();
  const { period, asOf } = input;
  const atEnd = endOf(period, asOf);
  const [totals, supervisees] = await run(async (tx) => {
    const [row] = await tx.query<{ cases: number; clients: number }>(
      `select (select count(*) from cases where clinic_id = $1 and created_at <= $2)::int as cases,
              (select count(*) from clients where clinic_id = $1 and created_at <= $3)::int as clients`,
      [tx.clinicId, atEnd, asOf],
    );
    const inScope =
      input.audience === 'supervisor' && input.supervisorMembershipId !== null
        ? await superviseesOf(tx, input.supervisorMembershipId)
        : null;
    return [row, inScope] as const;
  });
  await progress(5);

  const byPhase: Record<string, number> = Object.fromEntries(PHASES.map((phase) => [phase, 0]));
  let activeAtEnd = 0;
  let onSafetyHold = 0;
  const clinicHomework: Sums = { assigned: 0, completed: 0, onTime: 0 };
  const perCounselor = new Map<string, { activeCases: number; homework: Sums }>();
  const counselorOf = (id: string) => {
    let entry = perCounselor.get(id);
    if (entry === undefined) {
      entry = { activeCases: 0, homework: { assigned: 0, completed: 0, onTime: 0 } };
      perCounselor.set(id, entry);
    }
    return entry;
  };

  let seenCases = 0;
  let afterCase: string | null = null;
  for (;;) {
    const page = await run(async (tx) => {
      const cases = await casePage(tx, { afterId: afterCase, limit: pageSize, asOf: atEnd });
      const homework =
        cases.length === 0
          ? []
          : await homeworkByCase(tx, {
              caseIds: cases.map((row) => row.id),
              start: period.start,
              end: period.end,
              asOf,
            });
      return { cases, homework };
    });
    const homeworkByCaseId = new Map(page.homework.map((row) => [row.case_id, row]));
    for (const row of page.cases) {
      const homework = homeworkByCaseId.get(row.id);
      add(clinicHomework, homework);
      const counselor = row.primary_membership_id === null ? null : counselorOf(row.primary_membership_id);
      if (counselor !== null) add(counselor.homework, homework);
      if (row.status_at === 'active') {
        activeAtEnd += 1;
        byPhase[row.phase_at] = (byPhase[row.phase_at] ?? 0) + 1;
        if (counselor !== null) counselor.activeCases += 1;
        if (row.safety_status === 'safety_hold') onSafetyHold += 1;
      }
    }
    seenCases += page.cases.length;
    if (page.cases.length < pageSize) break;
    afterCase = page.cases.at(-1)?.id ?? null;
    await progress(5 + Math.floor((50 * seenCases) / Math.max(totals.cases, 1)));
  }
  await progress(55);

  const outcomes = new Map<
    string,
    {
      clients: number;
      improvement: number;
      recovered: number;
      none: number;
      deterioration: number;
      hasThreshold: boolean;
      name: string;
    }
  >();
  let seenClients = 0;
  let afterClient: string | null = null;
  for (;;) {
    const ids = await run((tx) => clientPage(tx, { afterId: afterClient, limit: pageSize, asOf }));
    if (ids.length > 0) {
      await run(async (tx) => {
        const rows = await measureOutcomes(tx, {
          clientIds: ids,
          perCase: false,
          startsAt: period.startsAt,
          endsAt: period.endsAt,
          asOf,
        });
        for (const row of rows) {
          const definition = await definitions.get(tx, row.measure_id, row.measure_version);
          if (definition === null) continue;
          const entry = outcomes.get(definition.id) ?? {
            clients: 0,
            improvement: 0,
            recovered: 0,
            none: 0,
            deterioration: 0,
            hasThreshold: thresholdOf(definition) !== null,
            name: definition.displayLabel,
          };
          entry.clients += 1;
          const label = await labelOf(tx, definitions, row);
          if (label === 'reliable improvement') entry.improvement += 1;
          else if (label === 'recovered') entry.recovered += 1;
          else if (label === 'reliable deterioration') entry.deterioration += 1;
          else if (label === 'no reliable change') entry.none += 1;
          outcomes.set(definition.id, entry);
        }
      });
    }
    seenClients += ids.length;
    if (ids.length < pageSize) break;
    afterClient = ids.at(-1) ?? null;
    await progress(55 + Math.floor((35 * seenClients) / Math.max(totals.clients, 1)));
  }
  await progress(90);

  const clinicWide = await run(async (tx) => {
    const window = { startsAt: period.startsAt, endsAt: period.endsAt, asOf, atEnd };
    return {
      alerts: await alertResponses(tx, window),
      openAlerts: await openAlertCount(tx, atEnd),
      notes: await noteCounts(tx, window),
      sessions: await sessionCounts(tx, { caseIds: null, ...window }),
      movements: await caseMovements(tx, window),
      counselors: await tx.query<{ id: string }>(
        `select id from memberships where clinic_id = $1 and 'counselor' = any(roles) and status = 'active'
            and created_at <= $2`,
        [tx.clinicId, asOf],
      ),
    };
  });
  await progress(95);

  const alertTotal = clinicWide.alerts.find((row) => row.membership_id === null);
  const noteTotal = clinicWide.notes.find((row) => row.membership_id === null);
  const breakdownIds = new Set<string>([...clinicWide.counselors.map((row) => row.id), ...perCounselor.keys()]);
  const inScope = [...breakdownIds].filter((id) => supervisees === null || supervisees.includes(id));
  const names = await run((tx) => memberNames(tx, inScope));
  const counselors: CounselorBreakdownRow[] = inScope
    .map((id) => {
      const entry = perCounselor.get(id) ?? { activeCases: 0, homework: { assigned: 0, completed: 0, onTime: 0 } };
      return {
        membershipId: id,
        name: names.get(id) ?? `Member ${id.slice(0, 8)}`,
        activeCases: entry.activeCases,
        homework: totalsOf(entry.homework),
        // Open alerts per counselor are not split out: the clinic-wide figure stands.
        alerts: alertResponseOf(
          clinicWide.alerts.find((row) => row.membership_id === id),
          0,
        ),
        unsignedNotes: clinicWide.notes.find((row) => row.membership_id === id)?.unsigned_at_end ?? 0,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.membershipId.localeCompare(b.membershipId));

  const measures: MeasureOutcomeRow[] = [...outcomes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([measureId, entry]) => ({
      measureId,
      name: entry.name,
      clientsMeasured: entry.clients,
      reliableImprovement: entry.improvement,
      recovered: entry.recovered,
      noReliableChange: entry.none,
      reliableDeterioration: entry.deterioration,
      improvementShare: entry.hasThreshold ? rate4(entry.improvement + entry.recovered, entry.clients) : null,
      deteriorationShare: entry.hasThreshold ? rate4(entry.deterioration, entry.clients) : null,
      hasThreshold: entry.hasThreshold,
    }));

  return {
    schema: 'mend.report.clinic/1',
    kind: 'clinic',
    audience: input.audience,
    reportId: input.reportId,
    clinicName: input.clinicName,
    period,
    asOf: asOf.toISOString(),
    sections: [...includedSections('clinic', input.audience)],
    cases: {
      activeAtEnd,
      byPhase,
      onSafetyHold,
      opened: clinicWide.movements.opened,
      closed: clinicWide.movements.closed,
    },
    clients: { withActiveCase: clinicWide.movements.clients_with_active_case },
    homework: totalsOf(clinicHomework),
    measures,
    alerts: alertResponseOf(alertTotal, clinicWide.openAlerts),
    notes: { unsignedAtEnd: noteTotal?.unsigned_at_end ?? 0, signedInPeriod: noteTotal?.signed_in_period ?? 0 },
    sessions: {
      completed: clinicWide.sessions.completed,
      cancelled: clinicWide.sessions.cancelled,
      noShow: clinicWide.sessions.no_show,
      scheduled: clinicWide.sessions.scheduled,
    },
    counselors,
  };
}
