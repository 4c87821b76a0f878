import { DateTime } from 'luxon';

import { isValidTimezone } from '@mend/core';

/** Quiet hours in the recipient's local time, `HH:MM` each; start > end spans midnight (21:00–08:00). */
export interface QuietHours {
  readonly start: string;
  readonly end: string;
}

const HH_MM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

export function isLocalTime(value: string): boolean {
  return HH_MM.test(value);
}

function minutesOf(value: string): number {
  const match = HH_MM.exec(value);
  if (match === null) throw new RangeError('A local time is HH:MM');
  return Number(match[1]) * 60 + Number(match[2]);
}

function zoneOrUtc(zone: string): string {
  return isValidTimezone(zone) ? zone : 'UTC';
}

/**
 * The instant of a wall-clock time on a local date in a timezone. A time that
 * does not exist that day (the hour skipped when clocks go forward) moves
 * forward by the gap, as a wall clock does; a repeated time (clocks go back)
 * is resolved by luxon to its second occurrence (standard time).
 */
export function localInstant(date: string, time: string, zone: string): Date {
  const dt = DateTime.fromISO(`${date}T${time}`, { zone: zoneOrUtc(zone) });
  if (!dt.isValid) throw new RangeError('A local date is YYYY-MM-DD and a time HH:MM');
  return dt.toJSDate();
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in a timezone. */
export function localDateOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone: zoneOrUtc(zone) }).toISODate() ?? '';
}

/** A local date plus whole days (calendar arithmetic, DST-proof). */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? '';
}

/** Whether an instant falls inside the quiet hours, in the given timezone. */
export function isInQuietHours(instant: Date, zone: string, quiet: QuietHours | null): boolean {
  if (quiet === null) return false;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  const local = DateTime.fromJSDate(instant, { zone: zoneOrUtc(zone) });
  const minute = local.hour * 60 + local.minute;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * Defers an instant that falls inside quiet hours to their end, in the
 * recipient's local time (deferred, never dropped). Outside quiet hours it is
 * unchanged. Correct on DST change days: the end is a wall-clock time.
 */
export function deferThroughQuietHours(
  instant: Date,
  zone: string,
  quiet: QuietHours | null,
): { readonly fireAt: Date; readonly deferredFrom: Date | null } {
  if (quiet === null || !isInQuietHours(instant, zone, quiet)) return { fireAt: instant, deferredFrom: null };
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const local = DateTime.fromJSDate(instant, { zone: zoneOrUtc(zone) });
  const minute = local.hour * 60 + local.minute;
  const today = local.toISODate() ?? '';
  // Spanning midnight and already past the start: the quiet hours end tomorrow.
  const endDate = start > end && minute >= start ? addDays(today, 1) : today;
  const fireAt = localInstant(endDate, quiet.end, zone);
  return { fireAt: fireAt.getTime() > instant.getTime() ? fireAt : instant, deferredFrom: instant };
}
