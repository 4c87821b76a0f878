import { addDays, isoWeek, isoWeekStart, localDate } from '@mend/repair-plans';
import { resolveLocalTime } from '@mend/sessions';

import { reportRuleError, ReportsErrorCode } from '../reports.errors.js';
import type { ReportPeriod } from './report.types.js';

/** The longest period a report covers (a year, leap day included). */
export const REPORT_PERIOD_MAX_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const daysBetween = (start: string, end: string): number =>
  Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS);

/** The instant a local day begins in `timezone` (the first existing minute when midnight is skipped). */
export function startOfLocalDay(day: string, timezone: string): Date {
  for (const time of ['00:00', '01:00', '02:00']) {
    const resolved = resolveLocalTime(`${day}T${time}`, timezone, true);
    if (resolved.ok) return resolved.instant;
  }
  throw new Error('No start of day found');
}

/**
 * Checks a period (local dates, end exclusive) against the rules of issue 9:
 * reversed, empty or longer than {@link REPORT_PERIOD_MAX_DAYS} days -> 422
 * naming the field; ending after tomorrow in the clinic's timezone -> 422
 * (nothing is recorded there yet). The DTO has already checked the format.
 */
export function reportPeriod(start: string, end: string, timezone: string, now: Date): ReportPeriod {
  if (!DATE.test(start) || Number.isNaN(Date.parse(`${start}T00:00:00Z`)))
    throw reportRuleError(ReportsErrorCode.PeriodReversed, 'period.start', 'period.start must be a date YYYY-MM-DD');
  if (!DATE.test(end) || Number.isNaN(Date.parse(`${end}T00:00:00Z`)))
    throw reportRuleError(ReportsErrorCode.PeriodReversed, 'period.end', 'period.end must be a date YYYY-MM-DD');
  const days = daysBetween(start, end);
  if (days < 0)
    throw reportRuleError(ReportsErrorCode.PeriodReversed, 'period.end', 'period.end must be after period.start');
  if (days === 0)
    throw reportRuleError(
      ReportsErrorCode.PeriodEmpty,
      'period.end',
      'The period is empty: period.end is exclusive, so it must be at least one day after period.start',
    );
  if (days > REPORT_PERIOD_MAX_DAYS)
    throw reportRuleError(
      ReportsErrorCode.PeriodTooLong,
      'period.end',
      `A report covers at most ${REPORT_PERIOD_MAX_DAYS} days`,
    );
  const tomorrow = addDays(localDate(now, timezone), 1);
  if (end > tomorrow)
    throw reportRuleError(
      ReportsErrorCode.PeriodInFuture,
      'period.end',
      "period.end may be at most tomorrow in the clinic's timezone",
    );
  return {
    start,
    end,
    timezone,
    startsAt: startOfLocalDay(start, timezone).toISOString(),
    endsAt: startOfLocalDay(end, timezone).toISOString(),
    days,
  };
}

/**
 * The instant a report reads its data as of: when it was requested. Rows
 * recorded after it are not read (a late ledger entry about a day of the
 * period counts if it was recorded before the request), and states "at the end
 * of the period" are read at {@link endOf}. Stored with the request, so
 * rebuilding it reads exactly the same rows and gives the same numbers.
 */
export function reportAsOf(_period: Pick<ReportPeriod, 'endsAt'>, requestedAt: Date): Date {
  return requestedAt;
}

/** The instant states are read at "at the end of the period": its end, or the as-of instant if earlier. */
export function endOf(period: Pick<ReportPeriod, 'endsAt'>, asOf: Date): Date {
  const end = new Date(period.endsAt);
  return end.getTime() < asOf.getTime() ? end : asOf;
}

/** The ISO weeks (Mondays) overlapping [start, end). */
export function weeksOf(period: Pick<ReportPeriod, 'start' | 'end'>): { week: string; startsOn: string }[] {
  const weeks: { week: string; startsOn: string }[] = [];
  for (let monday = isoWeekStart(period.start); monday < period.end; monday = addDays(monday, 7)) {
    weeks.push({ week: isoWeek(monday), startsOn: monday });
  }
  return weeks;
}

/** `2026-03-05` for an instant in the period's timezone. */
export function dayIn(instant: Date | string, timezone: string): string {
  return localDate(typeof instant === 'string' ? new Date(instant) : instant, timezone);
}
