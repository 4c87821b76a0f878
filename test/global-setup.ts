import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs a TypeScript file of this repository with tsx (tsconfig paths resolved). */
function runTypeScript(file: string, args: readonly string[]): string {
  const root = join(__dirname, '..');
  return execFileSync(process.execPath, ['--import', 'tsx', join(root, file), ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/**
 * One fresh database per test run, built by the real migrations, and a unique
 * Redis key prefix; dropped and cleaned by global-teardown.ts. Integration and e2e
 * projects share it when run together. MEND_TEST_LOG_DIR: the run's log files (apps
 * started by the e2e tests log there, see testLogger in @mend/testing), scanned by
 * the teardown's psychotherapy-note canary check.
 */
export default function globalSetup(): void {
  if (process.env.MEND_TEST_OWNED === 'true') return;
  process.env.TZ = 'UTC';
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const created = JSON.parse(runTypeScript('test/support/prepare-test-database.ts', ['create', adminUrl])) as {
    database: string;
    ownerUrl: string;
    runtimeUrl: string;
  };
  const logDirectory = join(tmpdir(), `${created.database}-logs`);
  mkdirSync(logDirectory, { recursive: true });
  Object.assign(process.env, {
    MEND_TEST_OWNED: 'true',
    MEND_TEST_DATABASE: created.database,
    DATABASE_ADMIN_URL: adminUrl,
    DATABASE_OWNER_URL: created.ownerUrl,
    DATABASE_URL: created.runtimeUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `mend-test-${created.database.replace('mend_test_', '')}`,
    MASTER_KEY: randomBytes(32).toString('base64'),
    MEND_TEST_LOG_DIR: logDirectory,
  });
}
