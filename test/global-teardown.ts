import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { Redis } from 'ioredis';

/**
 * The psychotherapy-note canary after the whole run (test/support/psychotherapy-canary-check.ts):
 * null when it holds, else what failed. Runs before the database is dropped.
 */
function psychotherapyCanaryProblem(root: string, database: string): string | null {
  try {
    const output = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'test/support/psychotherapy-canary-check.ts'),
        process.env.DATABASE_ADMIN_URL ?? '',
        database,
        process.env.MEND_TEST_LOG_DIR ?? '',
      ],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    process.stderr.write(`psychotherapy-note canary check: ${output}`);
    return null;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim() || failed.message;
  }
}

/**
 * Checks the psychotherapy-note canary, then drops this run's database, deletes its Redis keys and
 * its log files (MEND_KEEP_TEST_DATABASE=true keeps them). A canary found anywhere fails the run.
 */
export default async function globalTeardown(): Promise<void> {
  const database = process.env.MEND_TEST_DATABASE;
  if (database === undefined || process.env.MEND_TEST_OWNED !== 'true') return;
  process.env.MEND_TEST_OWNED = 'done';
  const root = join(__dirname, '..');
  const canaryProblem = psychotherapyCanaryProblem(root, database);
  if (process.env.MEND_KEEP_TEST_DATABASE !== 'true') {
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'test/support/prepare-test-database.ts'),
        'drop',
        process.env.DATABASE_ADMIN_URL ?? '',
        database,
      ],
      { cwd: root, stdio: 'inherit' },
    );
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${process.env.QUEUE_PREFIX ?? 'unset'}*`,
          'COUNT',
          1000,
        );
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    if (process.env.MEND_TEST_LOG_DIR !== undefined && canaryProblem === null) {
      rmSync(process.env.MEND_TEST_LOG_DIR, { recursive: true, force: true });
    }
  }
  if (canaryProblem !== null) {
    throw new Error(
      `The psychotherapy-note canary check failed (log files kept in ${process.env.MEND_TEST_LOG_DIR ?? '?'}): ${canaryProblem}`,
    );
  }
}
