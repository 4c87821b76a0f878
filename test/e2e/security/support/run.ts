import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';

/** The routes a run covers: all, or those whose key matches MEND_FUZZ_ONLY (a regular expression), to replay one. */
export function selected<T extends { key: string }>(items: readonly T[]): T[] {
  const only = process.env.MEND_FUZZ_ONLY;
  if (only === undefined || only === '') return [...items];
  const pattern = new RegExp(only);
  return items.filter((item) => pattern.test(item.key));
}

/** True for the long (nightly) variant: `npm test -- --long` sets MEND_TEST_LONG=1 (scripts/test.mjs). */
export const LONG_RUN = process.env.MEND_TEST_LONG === '1';

/** A positive count from the environment variable, else the long-run or the CI default. */
export function countFromEnvironment(name: string, ciDefault: number, longDefault = ciDefault): number {
  const value = Number(process.env[name]);
  if (Number.isInteger(value) && value > 0) return value;
  return LONG_RUN ? longDefault : ciDefault;
}

/**
 * The one greppable line per suite (`SECURITY <suite>: attempts=… failures=… seed=…`) that CI logs and the
 * README quote; `details` are appended as `key=value`.
 */
export function summaryLine(
  suite: string,
  counts: { attempts: number; failures: number; seed?: number },
  details: Readonly<Record<string, string | number>> = {},
): string {
  const seed = counts.seed === undefined ? '' : ` seed=${counts.seed} (replay: MEND_TEST_SEED=${counts.seed})`;
  const extra = Object.entries(details)
    .map(([key, value]) => ` ${key}=${value}`)
    .join('');
  return `SECURITY ${suite}: attempts=${counts.attempts} failures=${counts.failures}${extra}${seed}${LONG_RUN ? ' long' : ''}`;
}

/** The command line fragment that replays one route of a suite with the run's seed. */
export function replayHint(runSeed: number, key: string): string {
  return `replay: MEND_TEST_SEED=${runSeed} MEND_FUZZ_ONLY='^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$'`;
}

/** A 31-bit seed for one property, derived from the run's seed and the property's name (stable across runs). */
export function propertySeed(runSeed: number, name: string): number {
  let hash = runSeed | 0;
  for (let index = 0; index < name.length; index += 1) hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193);
  return Math.abs(hash) % 2 ** 31;
}

/** Runs tasks `concurrency` at a time, in order of start. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next;
      next += 1;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

/** The outcome of one fast-check property over requests: runs, and the failure with its replay data. */
export interface PropertyOutcome {
  readonly name: string;
  readonly runs: number;
  readonly failure?: string;
}

/**
 * Checks an async property with a fixed seed (no shrinking: every case is
 * already one mutation, and a replay needs the same requests), and returns the
 * counterexample's report with the seed and path fast-check needs to replay it.
 */
export async function checkProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  seed: number,
  numRuns: number,
): Promise<PropertyOutcome> {
  let runs = 0;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      runs += 1;
      await predicate(value);
    }),
    { seed, numRuns, endOnFailure: true },
  );
  if (!details.failed) return { name, runs };
  const error = details.errorInstance;
  const message = error instanceof Error ? error.message : String(error);
  return {
    name,
    runs,
    failure: `${message}\n  replay: seed ${details.seed}, path "${details.counterexamplePath ?? ''}" (fast-check), run ${runs} of ${numRuns}`,
  };
}

/** Writes a report of the security suites into test-results/security/ (git-ignored); returns its path. */
export function writeReport(name: string, entries: readonly string[]): string {
  const directory = join(__dirname, '..', '..', '..', '..', 'test-results', 'security');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, name);
  writeFileSync(file, `${entries.join('\n\n')}\n`);
  return file;
}

/** The failure lines of a suite's summary: the first `shown` in full, then the file holding every one. */
export function failureLines(failures: readonly PropertyOutcome[], file: string, shown: number): string[] {
  return [
    ...failures.slice(0, shown).map((failure) => `FAIL ${failure.failure ?? ''}`),
    failures.length > 0
      ? `  every failure: ${writeReport(
          file,
          failures.map((failure) => failure.failure ?? ''),
        )}`
      : '',
  ];
}

/** Fails the test when a property failed, naming the first three (the summary printed them all). */
export function expectNoFailures(failures: readonly PropertyOutcome[]): void {
  expect({
    failed: failures.length,
    first: failures.slice(0, 3).map((failure) => failure.failure?.split('\n')[0]),
  }).toEqual({
    failed: 0,
    first: [],
  });
}
