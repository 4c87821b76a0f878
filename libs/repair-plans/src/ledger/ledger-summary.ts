import type { CheckInStatus } from './ledger.types.js';
import { addDays, isoWeek, isoWeekStart } from './local-date.js';

/** What the summary needs of an entry. */
export interface SummaryEntry {
  readonly id: string;
  readonly commitmentId: string;
  readonly participantClientId: string;
  readonly status: CheckInStatus;
  /** `YYYY-MM-DD`, the participant's local day. */
  readonly occurredOn: string;
  readonly recordedAt: Date;
  readonly correctsCheckInId: string | null;
  /** Whether another participant disputed this entry. */
  readonly disputed: boolean;
}

export interface LedgerCounts {
  kept: number;
  partlyKept: number;
  missed: number;
  /** Entries (among the counted ones) another participant disputed. */
  disputed: number;
}

export interface LedgerWeek extends LedgerCounts {
  /** ISO 8601 week, e.g. `2026-W22`. */
  readonly week: string;
  /** Its Monday. */
  readonly weekStart: string;
}

export interface CommitmentLedgerSummary {
  readonly commitmentId: string;
  readonly participantClientId: string;
  readonly totals: LedgerCounts;
  /** Consecutive `kept` entries at the end, in occurred-on order. */
  readonly currentKeptRun: number;
  readonly longestKeptRun: number;
  readonly firstOccurredOn: string;
  readonly lastOccurredOn: string;
  /** Every ISO week from the first entry's to the last entry's, empty weeks included (zeros). */
  readonly weeks: readonly LedgerWeek[];
}

const emptyCounts = (): LedgerCounts => ({ kept: 0, partlyKept: 0, missed: 0, disputed: 0 });

function count(counts: LedgerCounts, entry: SummaryEntry): void {
  if (entry.status === 'kept') counts.kept += 1;
  else if (entry.status === 'partly_kept') counts.partlyKept += 1;
  else counts.missed += 1;
  if (entry.disputed) counts.disputed += 1;
}

/**
 * The trust-ledger summary, per commitment and participant (a joint commitment
 * has one line per participant: two people's check-ins are never merged into
 * one run). Rules (README, Trust ledger):
 * - only the latest entry of a correction chain counts (an entry some other
 *   entry corrects is left out);
 * - entries are ordered by occurred-on date, then by when they were recorded;
 * - a run is consecutive `kept` entries; `partly_kept` and `missed` end it
 *   (a run measures commitments fully kept);
 * - weeks are ISO weeks of the occurred-on date (the participant's local day,
 *   so no timezone is involved); disputed entries still count as recorded and
 *   are reported beside the counts, never subtracted.
 */
export function summarizeLedger(entries: readonly SummaryEntry[]): CommitmentLedgerSummary[] {
  const corrected = new Set(
    entries.flatMap((entry) => (entry.correctsCheckInId === null ? [] : [entry.correctsCheckInId])),
  );
  const groups = new Map<string, SummaryEntry[]>();
  for (const entry of entries) {
    if (corrected.has(entry.id)) continue;
    const key = `${entry.commitmentId}/${entry.participantClientId}`;
    const group = groups.get(key) ?? [];
    group.push(entry);
    groups.set(key, group);
  }
  const summaries: CommitmentLedgerSummary[] = [];
  for (const group of groups.values()) {
    group.sort(
      (a, b) =>
        a.occurredOn.localeCompare(b.occurredOn) ||
        a.recordedAt.getTime() - b.recordedAt.getTime() ||
        a.id.localeCompare(b.id),
    );
    const totals = emptyCounts();
    const weeks = new Map<string, LedgerWeek>();
    const firstOccurredOn = group[0].occurredOn;
    const lastOccurredOn = group[group.length - 1].occurredOn;
    for (let monday = isoWeekStart(firstOccurredOn); monday <= lastOccurredOn; monday = addDays(monday, 7)) {
      weeks.set(monday, { week: isoWeek(monday), weekStart: monday, ...emptyCounts() });
    }
    let current = 0;
    let longest = 0;
    for (const entry of group) {
      count(totals, entry);
      count(weeks.get(isoWeekStart(entry.occurredOn)) as LedgerWeek, entry);
      current = entry.status === 'kept' ? current + 1 : 0;
      longest = Math.max(longest, current);
    }
    summaries.push({
      commitmentId: group[0].commitmentId,
      participantClientId: group[0].participantClientId,
      totals,
      currentKeptRun: current,
      longestKeptRun: longest,
      firstOccurredOn,
      lastOccurredOn,
      weeks: [...weeks.values()],
    });
  }
  return summaries.sort(
    (a, b) =>
      a.commitmentId.localeCompare(b.commitmentId) || a.participantClientId.localeCompare(b.participantClientId),
  );
}
