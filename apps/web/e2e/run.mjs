#!/usr/bin/env node
/**
 * `npm run test:browser`: the browser tests against the real platform.
 *
 * 1. Starts the platform (platform.mjs): a fresh PostgreSQL database with every
 *    migration, the demo clinic seeded through the CLI, the API (serving the
 *    built web app) and the worker on Redis.
 * 2. Runs every e2e/*.browser.ts file with Node's test runner (through tsx), one
 *    file at a time (2 cores), each driving Debian's Chromium with playwright-core.
 * 3. Prints "N passed, N failed", writes test-results/browser.json (CI adds the
 *    counts to its total), leaves screenshots in test-results/screenshots/, stops
 *    everything, drops the database and exits non-zero on any failure.
 *
 * Arguments: test files or name fragments to run only those (e.g. `-- portal`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO_PASSWORD, startPlatform } from './platform.mjs';

const e2eDir = dirname(fileURLToPath(import.meta.url));
const webDir = join(e2eDir, '..');
const resultsDir = join(webDir, 'test-results');
const tapFile = join(resultsDir, 'browser.tap');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const say = (line) => process.stdout.write(`[browser-tests] ${line}\n`);

function writeSummary(passed, failed, extra = {}) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'browser.json'), `${JSON.stringify({ passed, failed, ...extra }, null, 2)}\n`);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
}

if (!existsSync(chromium)) {
  process.stderr.write(`Chromium is not installed at ${chromium}: apt-get install -y chromium\n`);
  writeSummary(0, 1, { error: 'chromium missing' });
  process.exit(1);
}

const filters = process.argv.slice(2);
const files = readdirSync(e2eDir)
  .filter((name) => name.endsWith('.browser.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort()
  .map((name) => join(e2eDir, name));
if (files.length === 0) {
  process.stderr.write('No browser test files matched\n');
  writeSummary(0, 1, { error: 'no test files' });
  process.exit(1);
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

let platform;
try {
  platform = await startPlatform({ log: process.env.MEND_BROWSER_LOG === 'true' });
} catch (error) {
  process.stderr.write(`The platform did not start: ${error.message}\n`);
  writeSummary(0, 1, { error: 'platform did not start' });
  process.exit(1);
}

let exitCode;
const stopAll = async () => {
  await platform.stop();
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

try {
  const tsx = join(e2eDir, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
  const child = spawn(
    process.execPath,
    [
      '--import',
      existsSync(tsx) ? tsx : 'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ],
    {
      cwd: webDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        MEND_BROWSER_BASE_URL: platform.baseUrl,
        MEND_BROWSER_CLINIC_ID: platform.clinicId ?? '',
        MEND_BROWSER_DEMO_PASSWORD: DEMO_PASSWORD,
        MEND_BROWSER_RESULTS_DIR: resultsDir,
        CHROMIUM_PATH: chromium,
      },
    },
  );
  const code = await new Promise((resolve) =>
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))),
  );
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  // The runner's own summary at the end of the TAP stream: "# pass N", "# fail N".
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const ran = passed + failed > 0;
  writeSummary(passed, ran ? failed : Math.max(failed, 1), {
    files: files.map((file) => file.slice(webDir.length + 1)),
  });
  exitCode = code === 0 && failed === 0 && ran ? 0 : 1;
  say(`screenshots: ${join(resultsDir, 'screenshots')}`);
} catch (error) {
  process.stderr.write(`The browser tests could not run: ${error.stack ?? error}\n`);
  writeSummary(0, 1, { error: 'runner failed' });
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);
