/**
 * Calendar dates (`YYYY-MM-DD`) for the ledger: a person's local "today" in
 * their IANA timezone, and ISO 8601 weeks. A check-in's date is the local day
 * the participant lived it, so weeks are computed from the date itself and need
 * no timezone; only "today" does.
 */

import { isValidTimezone } from '@mend/core';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    if (!isValidTimezone(timezone)) return null;
    try {
      formatter = new Intl.DateTimeFormat('en-CA', {
        timeZone: timezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch {
      return null;
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/**
 * The last answer per timezone, for the second it was computed in: a client's
 * "today" asks for the same zone and instant once per open item, and
 * `formatToParts` costs several microseconds each time. Keyed by the whole
 * second (every UTC offset is a whole number of seconds, so a date never
 * changes within one), one entry per zone, at most MAX_REMEMBERED_ZONES zones.
 */
const lastAnswers = new Map<string, { readonly second: number; readonly date: string }>();
const MAX_REMEMBERED_ZONES = 1_000;

/** The local calendar date at `instant` in `timezone` (falls back to UTC for an unknown zone). */
export function localDate(instant: Date, timezone: string): string {
  const second = Math.floor(instant.getTime() / 1000);
  const last = lastAnswers.get(timezone);
  if (last !== undefined && last.second === second) return last.date;
  const formatter = formatterFor(timezone) ?? formatterFor('UTC');
  const parts = Object.fromEntries(
    (formatter as Intl.DateTimeFormat).formatToParts(instant).map((part) => [part.type, part.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  if (last !== undefined || lastAnswers.size < MAX_REMEMBERED_ZONES) lastAnswers.set(timezone, { second, date });
  return date;
}

const DAY_MS = 86_400_000;

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The Monday of the ISO week containing `date`. */
export function isoWeekStart(date: string): string {
  const day = toUtc(date);
  const weekday = (day.getUTCDay() + 6) % 7; // Monday = 0
  return formatDate(new Date(day.getTime() - weekday * DAY_MS));
}

/** `2026-W05`: the ISO year and week number of `date` (the week's Thursday decides the year). */
export function isoWeek(date: string): string {
  const monday = toUtc(isoWeekStart(date));
  const thursday = new Date(monday.getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const firstThursday = toUtc(`${year}-01-04`);
  const firstMonday = toUtc(isoWeekStart(formatDate(firstThursday)));
  const week = Math.round((monday.getTime() - firstMonday.getTime()) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  return formatDate(new Date(toUtc(date).getTime() + days * DAY_MS));
}
