/** Nearest-rank percentile of a list of numbers (`p` from 0 to 100); NaN for an empty list. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Rounds for display and for bench-results.json: 3 significant digits below 100, whole numbers above. */
export function round(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return value ?? null;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value; throws `message` after `timeoutMs`. */
export async function waitFor(check, { timeoutMs, intervalMs = 50, message }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(typeof message === 'function' ? await message() : message);
    await sleep(intervalMs);
  }
}
