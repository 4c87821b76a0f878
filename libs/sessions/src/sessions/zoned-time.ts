/**
 * Wall-clock times in an IANA timezone, with the daylight-saving rules of the
 * platform's time zone database (Intl). A session is stored as an instant
 * (UTC); each person sees it in their own timezone, and a counselor may
 * schedule by local wall-clock time ("10:00 in Chicago").
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      return null;
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

export function isKnownTimezone(timezone: string): boolean {
  return formatterFor(timezone) !== null;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(instant: Date, timezone: string): WallClock {
  const formatter = formatterFor(timezone) ?? formatterFor('UTC');
  if (formatter === null) throw new Error('The platform has no UTC time zone data');
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function asUtcMillis(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** Offset of `timezone` from UTC at `instant`, in minutes (e.g. -300 for New York in winter). */
export function offsetMinutesAt(instant: Date, timezone: string): number {
  const wall = wallClockAt(instant, timezone);
  return Math.round((asUtcMillis(wall) - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `2026-03-08T10:00:00-05:00`: the instant as a wall-clock time with its offset in `timezone`. */
export function toZonedIso(instant: Date, timezone: string): string {
  const wall = wallClockAt(instant, timezone);
  const offset = offsetMinutesAt(instant, timezone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

export type LocalTimeResolution =
  | { readonly ok: true; readonly instant: Date }
  | { readonly ok: false; readonly reason: 'invalid' | 'nonexistent' | 'ambiguous' };

/**
 * The instant at which clocks in `timezone` show `local` (`YYYY-MM-DDTHH:mm`).
 * A time skipped by a spring-forward change does not exist; one repeated by a
 * fall-back change is ambiguous (`preferEarlier` picks the first). Both are
 * reported rather than guessed unless asked.
 */
export function resolveLocalTime(local: string, timezone: string, preferEarlier = false): LocalTimeResolution {
  const match = LOCAL.exec(local);
  if (match === null || !isKnownTimezone(timezone)) return { ok: false, reason: 'invalid' };
  const wanted: WallClock = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4]),
    minute: Number(match[5]),
    second: Number(match[6] ?? '0'),
  };
  const naive = asUtcMillis(wanted);
  const check = new Date(naive);
  if (
    check.getUTCFullYear() !== wanted.year ||
    check.getUTCMonth() + 1 !== wanted.month ||
    check.getUTCDate() !== wanted.day ||
    wanted.hour > 23 ||
    wanted.minute > 59 ||
    wanted.second > 59
  ) {
    return { ok: false, reason: 'invalid' };
  }
  // Every offset in force within a day either side is a candidate (offsets span -12h..+14h).
  const offsets = new Set<number>();
  for (const delta of [-36, -24, -12, 0, 12, 24, 36]) {
    offsets.add(offsetMinutesAt(new Date(naive + delta * 3_600_000), timezone));
  }
  const matches = [...offsets]
    .map((offset) => naive - offset * 60_000)
    .filter((candidate) => asUtcMillis(wallClockAt(new Date(candidate), timezone)) === naive)
    .sort((a, b) => a - b);
  const unique = [...new Set(matches)];
  if (unique.length === 0) return { ok: false, reason: 'nonexistent' };
  if (unique.length > 1 && !preferEarlier) return { ok: false, reason: 'ambiguous' };
  return { ok: true, instant: new Date(unique[0]) };
}
