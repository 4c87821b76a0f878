/** At most this many distinct zone names are remembered (IANA has about 600; the rest are answered without caching). */
const MAX_REMEMBERED = 2_000;
const known = new Map<string, boolean>();

/**
 * Whether `zone` is an IANA time zone this runtime knows (`Europe/Lisbon`, `UTC`).
 * The one check for the whole codebase. Remembered per name: asking ICU means
 * building an `Intl.DateTimeFormat`, whose native memory outlives it until a
 * garbage collection, so a check per row (the reminder planner asks for every
 * candidate) cost 40 % of a planning pass's CPU and grew the worker to 0.5–1.1 GB
 * on a generated clinic of 3,000–10,000 clients.
 */
export function isValidTimezone(zone: string): boolean {
  const remembered = known.get(zone);
  if (remembered !== undefined) return remembered;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  if (known.size < MAX_REMEMBERED) known.set(zone, valid);
  return valid;
}
