import type {
  CaseloadRow,
  ParticipantHomework,
  ParticipantLedger,
  ParticipantMeasures,
  PatternSentence,
} from '../model/report.types.js';

/**
 * FAVOURABLE PATTERNS AND LINGERING CONCERNS (PRODUCT.md, Case progress report;
 * the seed's "highlighting good patterns and flagging lingering concerns").
 * Each sentence comes from one explicit rule below, applied to the model as
 * built FOR THE AUDIENCE (so a sentence never rests on redacted numbers), and
 * carries the numbers it rests on (`basis`). Thresholds are deliberately plain
 * and are the same for every case; they describe, they do not diagnose.
 *
 * | rule | kind | when |
 * |---|---|---|
 * | homework_completion_high | favourable | a participant had >= 4 items due and completed >= 80 % |
 * | homework_completion_low | concern | a participant had >= 4 items due and completed < 50 % |
 * | ledger_consistency_high | favourable | >= 6 ledger entries and >= 80 % kept |
 * | ledger_consistency_low | concern | >= 6 ledger entries and < 50 % kept |
 * | ledger_trend_up / ledger_trend_down | favourable / concern | the second half of the period's weeks kept at least 15 points more / less than the first half (each half >= 3 entries) |
 * | ledger_disputes | concern | >= 2 of a participant's entries disputed |
 * | reliable_improvement | favourable | a measure's latest score is a reliable improvement (or recovery) on the baseline |
 * | reliable_deterioration | concern | a measure's latest score is a reliable deterioration on the baseline |
 * | clinical_range | concern | a measure's latest score is in its clinical range and is not a reliable improvement |
 * | partner_gap | concern | care team only: both partners' latest scores of one relationship measure differ by at least its reliable-change threshold (or 20 % of its range without one) |
 * | no_boundary_events | favourable | ledger entries were recorded and no boundary was crossed |
 * | boundaries_repaired | favourable | every boundary event of the period has its restorative response completed |
 * | repair_outstanding | concern | boundary events without a completed restorative response |
 * | open_safety_alerts | concern | care team only: alerts open at the end of the period |
 * Caseload: caseload_alerts, caseload_unsigned_notes, caseload_low_homework (cases under 50 % with >= 4 due),
 * caseload_improvements (cases with a reliable improvement).
 */

export const HOMEWORK_MIN_DUE = 4;
export const LEDGER_MIN_ENTRIES = 6;
export const HIGH = 0.8;
export const LOW = 0.5;
export const TREND_POINTS = 0.15;
export const TREND_MIN_ENTRIES = 3;

const pct = (rate: number): string => `${Math.round(rate * 100)}%`;
/** "Alex's" / "Your" (a partner's own copy calls them "You"). */
const possessive = (label: string): string => (label === 'You' ? 'Your' : `${label}'s`);
/** "Alex" / "you" after a preposition. */
const objectOf = (label: string): string => (label === 'You' ? 'you' : label);
export const rate4 = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export interface CasePatternInput {
  readonly homework: readonly ParticipantHomework[] | null;
  readonly ledger: readonly ParticipantLedger[] | null;
  readonly boundaryEvents: { readonly total: number; readonly repairCompleted: number } | null;
  readonly measures: readonly ParticipantMeasures[] | null;
  /** Care team only (null otherwise): alerts open at the end. */
  readonly openAlerts: { readonly count: number; readonly highestTier: number | null } | null;
  /** Care team only: compare partners on relationship measures. */
  readonly comparePartners: boolean;
}

export interface Patterns {
  readonly favourable: PatternSentence[];
  readonly concerns: PatternSentence[];
}

function homeworkRules(homework: readonly ParticipantHomework[], out: Patterns): void {
  for (const { participant, totals } of homework) {
    if (totals.assigned < HOMEWORK_MIN_DUE || totals.completionRate === null) continue;
    const basis = {
      participant: participant.label,
      assigned: totals.assigned,
      completed: totals.completed,
      onTime: totals.onTime,
      completionRate: totals.completionRate,
    };
    if (totals.completionRate >= HIGH) {
      out.favourable.push({
        rule: 'homework_completion_high',
        text: `${participant.label} completed ${totals.completed} of ${totals.assigned} homework items due (${pct(totals.completionRate)}), ${totals.onTime} on time.`,
        basis,
      });
    } else if (totals.completionRate < LOW) {
      out.concerns.push({
        rule: 'homework_completion_low',
        text: `${participant.label} completed ${totals.completed} of ${totals.assigned} homework items due (${pct(totals.completionRate)}).`,
        basis,
      });
    }
  }
}

function halves(ledger: ParticipantLedger): { first: number[]; second: number[] } {
  const weeks = ledger.weeks;
  const middle = Math.floor(weeks.length / 2);
  const sum = (rows: typeof weeks) =>
    rows.reduce((acc, week) => [acc[0] + week.kept, acc[1] + week.kept + week.partlyKept + week.missed], [0, 0]);
  return { first: sum(weeks.slice(0, middle)), second: sum(weeks.slice(middle)) };
}

function ledgerRules(ledger: readonly ParticipantLedger[], out: Patterns): void {
  for (const entry of ledger) {
    const { participant, totals } = entry;
    const entries = totals.kept + totals.partlyKept + totals.missed;
    const basis = {
      participant: participant.label,
      entries,
      kept: totals.kept,
      partlyKept: totals.partlyKept,
      missed: totals.missed,
      consistency: entry.consistency,
      longestKeptRun: entry.longestKeptRun,
    };
    if (entries >= LEDGER_MIN_ENTRIES && entry.consistency !== null) {
      if (entry.consistency >= HIGH) {
        out.favourable.push({
          rule: 'ledger_consistency_high',
          text: `${participant.label} kept ${totals.kept} of ${entries} commitments recorded in the trust ledger (${pct(entry.consistency)}); the longest run kept was ${entry.longestKeptRun}.`,
          basis,
        });
      } else if (entry.consistency < LOW) {
        out.concerns.push({
          rule: 'ledger_consistency_low',
          text: `${participant.label} kept ${totals.kept} of ${entries} commitments recorded in the trust ledger (${pct(entry.consistency)}); ${totals.missed} were missed.`,
          basis,
        });
      }
    }
    const { first, second } = halves(entry);
    if (first[1] >= TREND_MIN_ENTRIES && second[1] >= TREND_MIN_ENTRIES) {
      const before = first[0] / first[1];
      const after = second[0] / second[1];
      const trendBasis = {
        participant: participant.label,
        firstHalfKept: first[0],
        firstHalfEntries: first[1],
        secondHalfKept: second[0],
        secondHalfEntries: second[1],
      };
      if (after - before >= TREND_POINTS) {
        out.favourable.push({
          rule: 'ledger_trend_up',
          text: `${possessive(participant.label)} share of commitments kept rose from ${pct(before)} in the first half of the period to ${pct(after)} in the second.`,
          basis: trendBasis,
        });
      } else if (before - after >= TREND_POINTS) {
        out.concerns.push({
          rule: 'ledger_trend_down',
          text: `${possessive(participant.label)} share of commitments kept fell from ${pct(before)} in the first half of the period to ${pct(after)} in the second.`,
          basis: trendBasis,
        });
      }
    }
    if (totals.disputed >= 2) {
      out.concerns.push({
        rule: 'ledger_disputes',
        text: `${plural(totals.disputed, 'ledger entry', 'ledger entries')} recorded for ${objectOf(participant.label)} ${totals.disputed === 1 ? 'was' : 'were'} disputed by another participant.`,
        basis: { participant: participant.label, disputed: totals.disputed, entries },
      });
    }
  }
}

function measureRules(measures: readonly ParticipantMeasures[], comparePartners: boolean, out: Patterns): void {
  for (const { participant, series } of measures) {
    for (const one of series) {
      const baseline = one.points.find((point) => point.isBaseline) ?? one.points[0];
      const latest = one.points.at(-1);
      if (baseline === undefined || latest === undefined || latest === baseline) continue;
      const basis = {
        participant: participant.label,
        measure: one.name,
        baseline: baseline.score,
        baselineDate: baseline.date,
        latest: latest.score,
        latestDate: latest.date,
        threshold: one.reliableChangeThreshold,
        cutoff: one.cutoff?.value ?? null,
      };
      if (latest.label === 'reliable improvement' || latest.label === 'recovered') {
        out.favourable.push({
          rule: 'reliable_improvement',
          text:
            `${possessive(participant.label)} ${one.name} score moved from ${baseline.score} to ${latest.score}, a reliable improvement` +
            (latest.label === 'recovered' ? ' that also left the clinical range.' : '.'),
          basis,
        });
      } else if (latest.label === 'reliable deterioration') {
        out.concerns.push({
          rule: 'reliable_deterioration',
          text: `${possessive(participant.label)} ${one.name} score moved from ${baseline.score} to ${latest.score}, a reliable deterioration.`,
          basis,
        });
      }
      if (latest.inClinicalRange === true && latest.label !== 'reliable improvement') {
        out.concerns.push({
          rule: 'clinical_range',
          text: `${possessive(participant.label)} latest ${one.name} score (${latest.score}) is in the clinical range (cutoff ${one.cutoff?.value ?? ''}).`,
          basis,
        });
      }
    }
  }
  if (!comparePartners || measures.length !== 2) return;
  const [first, second] = measures;
  for (const one of first.series) {
    if (one.domain !== 'relationship') continue;
    const other = second.series.find((candidate) => candidate.measureId === one.measureId);
    const a = one.points.at(-1);
    const b = other?.points.at(-1);
    if (other === undefined || a === undefined || b === undefined) continue;
    const gap = Math.abs(a.score - b.score);
    const limit = one.reliableChangeThreshold ?? (one.range.max - one.range.min) * 0.2;
    if (gap >= limit) {
      out.concerns.push({
        rule: 'partner_gap',
        text: `${first.participant.label} and ${second.participant.label} differ by ${gap} points on ${one.name} (latest ${a.score} and ${b.score}); the difference is worth exploring.`,
        basis: { measure: one.name, first: a.score, second: b.score, gap, limit },
      });
    }
  }
}

/** The sentences of a case report or client summary, from the audience's model. */
export function casePatterns(input: CasePatternInput): Patterns {
  const out: Patterns = { favourable: [], concerns: [] };
  if (input.homework !== null) homeworkRules(input.homework, out);
  if (input.ledger !== null) ledgerRules(input.ledger, out);
  if (input.measures !== null) measureRules(input.measures, input.comparePartners, out);
  const events = input.boundaryEvents;
  if (events !== null) {
    const ledgerEntries = (input.ledger ?? []).reduce(
      (sum, entry) => sum + entry.totals.kept + entry.totals.partlyKept + entry.totals.missed,
      0,
    );
    if (events.total === 0 && ledgerEntries > 0) {
      out.favourable.push({
        rule: 'no_boundary_events',
        text: `No boundary was crossed in the period, over ${plural(ledgerEntries, 'ledger entry', 'ledger entries')}.`,
        basis: { boundaryEvents: 0, ledgerEntries },
      });
    } else if (events.total > 0 && events.repairCompleted === events.total) {
      out.favourable.push({
        rule: 'boundaries_repaired',
        text: `Every one of the ${plural(events.total, 'boundary event')} in the period was followed by a completed restorative response.`,
        basis: { boundaryEvents: events.total, repairCompleted: events.repairCompleted },
      });
    } else if (events.total > events.repairCompleted) {
      const outstanding = events.total - events.repairCompleted;
      out.concerns.push({
        rule: 'repair_outstanding',
        text: `${plural(outstanding, 'boundary event')} of ${events.total} in the period ${outstanding === 1 ? 'has' : 'have'} no completed restorative response yet.`,
        basis: { boundaryEvents: events.total, repairCompleted: events.repairCompleted, outstanding },
      });
    }
  }
  if (input.openAlerts !== null && input.openAlerts.count > 0) {
    out.concerns.push({
      rule: 'open_safety_alerts',
      text: `${plural(input.openAlerts.count, 'safety alert')} ${input.openAlerts.count === 1 ? 'is' : 'are'} open at the end of the period (highest tier ${input.openAlerts.highestTier ?? ''}).`,
      basis: { openAlerts: input.openAlerts.count, highestTier: input.openAlerts.highestTier },
    });
  }
  return out;
}

/** The sentences of a caseload report (counts of cases only). */
export function caseloadPatterns(rows: readonly CaseloadRow[]): Patterns {
  const out: Patterns = { favourable: [], concerns: [] };
  const improving = rows.filter((row) => row.reliableImprovements > 0).length;
  if (improving > 0) {
    out.favourable.push({
      rule: 'caseload_improvements',
      text: `${plural(improving, 'case')} of ${rows.length} had at least one reliable improvement on a measure.`,
      basis: { cases: rows.length, casesWithImprovement: improving },
    });
  }
  const steady = rows.filter(
    (row) => row.homework.assigned >= HOMEWORK_MIN_DUE && (row.homework.completionRate ?? 0) >= HIGH,
  ).length;
  if (steady > 0) {
    out.favourable.push({
      rule: 'caseload_high_homework',
      text: `${plural(steady, 'case')} completed at least 80% of the homework due.`,
      basis: { cases: rows.length, casesAtOrAbove80: steady },
    });
  }
  const alerts = rows.reduce((sum, row) => sum + row.openAlerts, 0);
  if (alerts > 0) {
    out.concerns.push({
      rule: 'caseload_alerts',
      text: `${plural(alerts, 'safety alert')} ${alerts === 1 ? 'is' : 'are'} open at the end of the period, in ${plural(rows.filter((row) => row.openAlerts > 0).length, 'case')}.`,
      basis: { openAlerts: alerts },
    });
  }
  const unsigned = rows.reduce((sum, row) => sum + row.unsignedNotes, 0);
  if (unsigned > 0) {
    out.concerns.push({
      rule: 'caseload_unsigned_notes',
      text: `${plural(unsigned, 'progress note')} ${unsigned === 1 ? 'is' : 'are'} unsigned at the end of the period.`,
      basis: { unsignedNotes: unsigned },
    });
  }
  const low = rows.filter(
    (row) => row.homework.assigned >= HOMEWORK_MIN_DUE && (row.homework.completionRate ?? 1) < LOW,
  ).length;
  if (low > 0) {
    out.concerns.push({
      rule: 'caseload_low_homework',
      text: `${plural(low, 'case')} completed less than half of the homework due.`,
      basis: { cases: rows.length, casesBelow50: low },
    });
  }
  const deteriorating = rows.filter((row) => row.reliableDeteriorations > 0).length;
  if (deteriorating > 0) {
    out.concerns.push({
      rule: 'caseload_deteriorations',
      text: `${plural(deteriorating, 'case')} had a reliable deterioration on a measure.`,
      basis: { casesWithDeterioration: deteriorating },
    });
  }
  return out;
}
