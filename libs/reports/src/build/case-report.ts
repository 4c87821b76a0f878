import type { TenantTransaction } from '@mend/core';
import { changeOverTime } from '@mend/measures';
import { isoWeekStart } from '@mend/repair-plans';

import { dayIn, endOf, weeksOf } from '../model/period.js';
import type {
  BoundaryEventRow,
  CaseReportModel,
  HomeworkWeek,
  LedgerWeekRow,
  MeasureSeries,
  ParticipantHomework,
  ParticipantLedger,
  ParticipantMeasures,
  ParticipantRef,
  PhaseSpan,
  ReportPeriod,
} from '../model/report.types.js';
import { includedSections } from '../model/sections.js';
import { casePatterns, rate4 } from '../rules/patterns.js';
import {
  administrations,
  alertsRaised,
  boundaryEvents,
  caseRow,
  homeworkWeeks,
  ledgerEntries,
  openAlerts,
  participantsOf,
  phaseChanges,
  sessionCounts,
  type LedgerEntryRow,
  type NamedParticipant,
} from '../sources/case-data.js';
import { DefinitionCache, thresholdOf } from './measure-definitions.js';

export interface CaseReportInput {
  readonly reportId: string;
  readonly kind: 'case' | 'client_summary';
  readonly audience: 'care_team' | 'couple' | 'partner';
  readonly caseId: string;
  /** The participant a `partner` summary is for. */
  readonly audienceClientId: string | null;
  readonly clinicName: string;
  readonly period: ReportPeriod;
  readonly asOf: Date;
  readonly narrative: string | null;
}

/** Homework a couple's copy counts: what neither partner keeps to themselves or the care team. */
export const COUPLE_HOMEWORK_VISIBILITIES = ['shared', 'reveal', 'release'] as const;

const same = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

function refOf(participant: NamedParticipant, input: CaseReportInput): ParticipantRef {
  const isReader = input.audience === 'partner' && same(participant.clientId, input.audienceClientId);
  return { clientId: participant.clientId, label: isReader ? 'You' : participant.name, role: participant.role };
}

function phaseSpans(
  changes: readonly { to_phase: string; changed_at: Date }[],
  period: ReportPeriod,
): { spans: PhaseSpan[]; changesInPeriod: number; phaseAtEnd: string } {
  const startsAt = Date.parse(period.startsAt);
  let phase = 'P0';
  for (const change of changes) if (change.changed_at.getTime() < startsAt) phase = change.to_phase;
  const spans: PhaseSpan[] = [];
  let from = period.start;
  let inPeriod = 0;
  for (const change of changes) {
    if (change.changed_at.getTime() < startsAt) continue;
    const day = dayIn(change.changed_at, period.timezone);
    if (day >= period.end) continue;
    inPeriod += 1;
    if (day > from) spans.push({ phase, from, to: day });
    phase = change.to_phase;
    from = day;
  }
  spans.push({ phase, from, to: null });
  return { spans, changesInPeriod: inPeriod, phaseAtEnd: phase };
}

function homeworkOf(
  participants: readonly ParticipantRef[],
  rows: readonly { client_id: string; week_start: string; assigned: number; completed: number; on_time: number }[],
  period: ReportPeriod,
): ParticipantHomework[] {
  const weeks = weeksOf(period);
  return participants.map((participant) => {
    const mine = rows.filter((row) => same(row.client_id, participant.clientId));
    const rowsByWeek = new Map(mine.map((row) => [row.week_start, row]));
    const weekly: HomeworkWeek[] = weeks.map(({ week, startsOn }) => {
      const row = rowsByWeek.get(startsOn);
      return {
        week,
        startsOn,
        assigned: row?.assigned ?? 0,
        completed: row?.completed ?? 0,
        onTime: row?.on_time ?? 0,
      };
    });
    const assigned = weekly.reduce((sum, week) => sum + week.assigned, 0);
    const completed = weekly.reduce((sum, week) => sum + week.completed, 0);
    const onTime = weekly.reduce((sum, week) => sum + week.onTime, 0);
    return {
      participant,
      weeks: weekly,
      totals: {
        assigned,
        completed,
        onTime,
        completionRate: rate4(completed, assigned),
        onTimeRate: rate4(onTime, assigned),
      },
    };
  });
}

/** Runs of `kept` over a participant's entries in date order (every commitment of theirs, one sequence). */
function ledgerOf(
  participants: readonly ParticipantRef[],
  entries: readonly LedgerEntryRow[],
  period: ReportPeriod,
): ParticipantLedger[] {
  const weeks = weeksOf(period);
  return participants.map((participant) => {
    const mine = entries.filter((entry) => same(entry.participant_client_id, participant.clientId));
    const byWeek = new Map<string, { kept: number; partlyKept: number; missed: number; disputed: number }>();
    let current = 0;
    let longest = 0;
    const totals = { kept: 0, partlyKept: 0, missed: 0, disputed: 0 };
    for (const entry of mine) {
      const key = isoWeekStart(entry.occurred_on);
      const counts = byWeek.get(key) ?? { kept: 0, partlyKept: 0, missed: 0, disputed: 0 };
      if (entry.status === 'kept') {
        counts.kept += 1;
        totals.kept += 1;
      } else if (entry.status === 'partly_kept') {
        counts.partlyKept += 1;
        totals.partlyKept += 1;
      } else {
        counts.missed += 1;
        totals.missed += 1;
      }
      if (entry.disputed) {
        counts.disputed += 1;
        totals.disputed += 1;
      }
      byWeek.set(key, counts);
      current = entry.status === 'kept' ? current + 1 : 0;
      longest = Math.max(longest, current);
    }
    const weekly: LedgerWeekRow[] = weeks.map(({ week, startsOn }) => {
      const counts = byWeek.get(startsOn) ?? { kept: 0, partlyKept: 0, missed: 0, disputed: 0 };
      return {
        week,
        startsOn,
        ...counts,
        consistency: rate4(counts.kept, counts.kept + counts.partlyKept + counts.missed),
      };
    });
    return {
      participant,
      weeks: weekly,
      totals,
      consistency: rate4(totals.kept, totals.kept + totals.partlyKept + totals.missed),
      currentKeptRun: current,
      longestKeptRun: longest,
    };
  });
}

async function measuresOf(
  tx: TenantTransaction,
  participants: readonly ParticipantRef[],
  input: CaseReportInput,
  definitions: DefinitionCache,
): Promise<ParticipantMeasures[]> {
  const rows = await administrations(tx, {
    caseId: input.caseId,
    clientIds: participants.map((participant) => participant.clientId),
    startsAt: input.period.startsAt,
    endsAt: input.period.endsAt,
    asOf: input.asOf,
  });
  const result: ParticipantMeasures[] = [];
  for (const participant of participants) {
    const groups = new Map<string, typeof rows>();
    for (const row of rows) {
      if (!same(row.client_id, participant.clientId)) continue;
      const key = `${row.measure_id}@${row.measure_version}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const series: MeasureSeries[] = [];
    for (const group of groups.values()) {
      const definition = await definitions.get(tx, group[0].measure_id, group[0].measure_version);
      if (definition === null) continue;
      const change = changeOverTime(
        definition,
        group.map((row) => ({ administeredAt: row.administered_at.toISOString(), score: Number(row.total) })),
      );
      const points = change.points.map((point, index) => ({
        date: dayIn(point.administeredAt, input.period.timezone),
        score: point.score,
        isBaseline: index === 0 && group[0].is_baseline,
        inClinicalRange: point.inClinicalRange,
        label: point.label ?? null,
      }));
      series.push({
        measureId: definition.id,
        name: definition.displayLabel,
        domain: definition.domain,
        direction: definition.direction,
        range: { min: definition.scoring.range.min, max: definition.scoring.range.max },
        cutoff:
          definition.cutoff === null
            ? null
            : { value: definition.cutoff.value, clinicalWhen: definition.cutoff.clinicalWhen },
        reliableChangeThreshold: thresholdOf(definition),
        points,
        change: points.length < 2 ? null : (points.at(-1)?.score ?? 0) - points[0].score,
        latestLabel: points.length < 2 ? null : (points.at(-1)?.label ?? null),
      });
    }
    series.sort((a, b) => a.measureId.localeCompare(b.measureId));
    result.push({ participant, series });
  }
  return result;
}

/**
 * Builds a `case` report (care team) or a `client_summary` (the couple, or one
 * partner). The audience decides, before any read, which participants' rows
 * are read for each section (sections.ts); the pattern rules then run on the
 * result, so what a copy says rests only on what that copy shows.
 */
export async function buildCaseReport(
  tx: TenantTransaction,
  input: CaseReportInput,
  definitions: DefinitionCache = new DefinitionCache(),
): Promise<CaseReportModel> {
  const sections = new Set(includedSections(input.kind, input.audience));
  const atEnd = endOf(input.period, input.asOf);
  const row = await caseRow(tx, input.caseId, atEnd);
  if (row === null) throw new Error('The case of the report is gone');
  const named = await participantsOf(tx, input.caseId);
  const participants = named.map((participant) => refOf(participant, input));
  const reader =
    input.audience === 'partner' ? (participants.find((p) => same(p.clientId, input.audienceClientId)) ?? null) : null;
  if (input.audience === 'partner' && reader === null) throw new Error('The participant of the summary left the case');
  const period = input.period;

  const phases = phaseSpans(await phaseChanges(tx, input.caseId, input.asOf), period);

  let homework: ParticipantHomework[] | null = null;
  if (sections.has('homework')) {
    // The partner's copy: their own work only. The couple's: only work neither keeps private.
    const whose = input.audience === 'partner' && reader !== null ? [reader] : participants;
    const rows = await homeworkWeeks(tx, {
      caseIds: [input.caseId],
      clientIds: whose.map((participant) => participant.clientId),
      visibilities: input.audience === 'couple' ? COUPLE_HOMEWORK_VISIBILITIES : null,
      start: period.start,
      end: period.end,
      asOf: input.asOf,
    });
    homework = homeworkOf(whose, rows, period);
  }

  let ledger: ParticipantLedger[] | null = null;
  if (sections.has('ledger')) {
    ledger = ledgerOf(
      participants,
      await ledgerEntries(tx, { caseId: input.caseId, start: period.start, end: period.end, asOf: input.asOf }),
      period,
    );
  }

  let boundary: CaseReportModel['boundaryEvents'] = null;
  if (sections.has('boundary_events')) {
    const rows = await boundaryEvents(tx, {
      caseId: input.caseId,
      startsAt: period.startsAt,
      endsAt: period.endsAt,
      asOf: input.asOf,
    });
    const events: BoundaryEventRow[] = rows.map((event) => ({
      occurredOn: dayIn(event.occurred_at, period.timezone),
      severity: event.severity,
      repairCompleted: event.completed_at !== null,
      completedOn: event.completed_at === null ? null : dayIn(event.completed_at, period.timezone),
    }));
    boundary = {
      total: events.length,
      repairCompleted: events.filter((event) => event.repairCompleted).length,
      events,
    };
  }

  let measures: ParticipantMeasures[] | null = null;
  if (sections.has('measures')) {
    // Care team: everyone. A partner: their own measures only. The couple: never (sections.ts).
    const whose = input.audience === 'partner' && reader !== null ? [reader] : participants;
    measures = await measuresOf(tx, whose, input, definitions);
  }

  let sessions: CaseReportModel['sessions'] = null;
  if (sections.has('sessions')) {
    const counts = await sessionCounts(tx, {
      caseIds: [input.caseId],
      startsAt: period.startsAt,
      endsAt: period.endsAt,
      asOf: input.asOf,
    });
    sessions =
      input.audience === 'care_team'
        ? {
            completed: counts.completed,
            cancelled: counts.cancelled,
            noShow: counts.no_show,
            scheduled: counts.scheduled,
            jointCompleted: counts.joint_completed,
          }
        : // Participants: joint sessions only (an individual session of the other partner is theirs).
          {
            completed: counts.joint_completed,
            cancelled: 0,
            noShow: 0,
            scheduled: 0,
            jointCompleted: counts.joint_completed,
          };
  }

  let safetyAlerts: CaseReportModel['safetyAlerts'] = null;
  if (sections.has('safety_alerts')) {
    const open = await openAlerts(tx, input.caseId, atEnd);
    safetyAlerts = {
      openAtEnd: open.map((alert) => ({
        raisedOn: dayIn(alert.raised_at, period.timezone),
        tier: alert.tier,
        trigger: alert.trigger,
        participantLabel: participants.find((p) => same(p.clientId, alert.subject_client_id))?.label ?? null,
        status: 'open' as const,
      })),
      raisedInPeriod: await alertsRaised(tx, {
        caseId: input.caseId,
        startsAt: period.startsAt,
        endsAt: period.endsAt,
        asOf: input.asOf,
      }),
    };
  }

  const patterns = casePatterns({
    homework,
    ledger,
    boundaryEvents: boundary,
    measures,
    openAlerts:
      safetyAlerts === null
        ? null
        : {
            count: safetyAlerts.openAtEnd.length,
            highestTier:
              safetyAlerts.openAtEnd.length === 0 ? null : Math.min(...safetyAlerts.openAtEnd.map((a) => a.tier)),
          },
    comparePartners: input.audience === 'care_team',
  });

  return {
    schema: 'mend.report.case/1',
    kind: input.kind,
    audience: input.audience,
    reportId: input.reportId,
    clinicName: input.clinicName,
    period,
    asOf: input.asOf.toISOString(),
    sections: [...sections],
    summary: {
      caseTitle: input.audience === 'care_team' ? row.title : null,
      caseType: row.type,
      status: row.status_at,
      phaseAtEnd: phases.phaseAtEnd,
      participants,
      forParticipant: reader,
    },
    phaseTimeline: sections.has('phase_timeline')
      ? { spans: phases.spans, changesInPeriod: phases.changesInPeriod }
      : null,
    homework,
    ledger,
    boundaryEvents: boundary,
    measures,
    sessions,
    safetyAlerts,
    patterns,
    narrative: sections.has('narrative') ? input.narrative : null,
  };
}
