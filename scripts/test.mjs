#!/usr/bin/env node
// npm test: checks that PostgreSQL and Redis answer (and says how to start them
// if not), then runs jest with TZ=UTC and prints "N passed, N failed".
// `npm test -- --long` (or `node scripts/test.mjs e2e --long …`) sets MEND_TEST_LONG=1 for the long variants.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [mode = 'all', ...args] = process.argv.slice(2);
// `--long` is ours, not jest's: the long (nightly) variants of the reliability and security
// suites read MEND_TEST_LONG=1 (more fuzz cases, injection fragments, outbox kills).
const long = args.includes('--long');
const passThrough = args.filter((arg) => arg !== '--long');
const projects = { all: ['unit', 'integration', 'e2e'], unit: ['unit'], integration: ['integration'], e2e: ['e2e'] }[
  mode
];
if (projects === undefined) {
  console.error(`Unknown test mode "${mode}" (all, unit, integration, e2e)`);
  process.exit(2);
}

function reachable(url, fallbackPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({
      host: hostname.replace(/^\[|\]$/g, ''),
      port: Number(port || fallbackPort),
      timeout: 2000,
    });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

if (projects.some((project) => project !== 'unit')) {
  const databaseUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const missing = [];
  if (!(await reachable(databaseUrl, 5432))) missing.push(`PostgreSQL (${new URL(databaseUrl).host})`);
  if (!(await reachable(redisUrl, 6379))) missing.push(`Redis (${new URL(redisUrl).host})`);
  if (missing.length > 0) {
    console.error(
      [
        `The tests need a real PostgreSQL and Redis; not reachable: ${missing.join(', ')}.`,
        'Start them with one of:',
        '  - Debian/Ubuntu: sudo apt-get install -y postgresql redis-server, then',
        '      sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
        '      redis-server --daemonize yes --port 6379 --save "" --appendonly no',
        '  - Docker: docker compose -f docker/compose.yml up -d postgres redis',
        'Point DATABASE_ADMIN_URL (a role that may create roles and databases) and REDIS_URL at them if they are not on the defaults',
        '(postgres://postgres@127.0.0.1:5432/postgres and redis://127.0.0.1:6379).',
      ].join('\n'),
    );
    process.exit(1);
  }
}

mkdirSync(join(root, 'test-results'), { recursive: true });
const resultsFile = join(root, 'test-results', `jest-${mode}.json`);
// A run that fails before jest writes its results (a global teardown's canary check) must not report a stale file.
rmSync(resultsFile, { force: true });
const result = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
    ...projects.flatMap((project) => ['--selectProjects', project]),
    '--json',
    `--outputFile=${resultsFile}`,
    ...passThrough,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TZ: 'UTC', ...(long && { MEND_TEST_LONG: '1' }) } },
);

try {
  const summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(`jest: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`);
} catch {
  console.log(`jest: no results (exit ${result.status})`);
}
process.exit(result.status ?? 1);
