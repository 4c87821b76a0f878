#!/usr/bin/env node
// npm run bench [-- --quick] [-- --only a,b] [-- --list] [-- --build]
//
// Runs the named scenarios of bench/scenarios/*.mjs, each right after the raw
// baselines it is compared with (in the same run), prints a table, writes
// bench-results.json (the list of rows) and ends with a short markdown summary.
// Plain ESM with no build step of its own: it measures the built apps in dist/
// as they run in production, and a scenario is one file that later issues add
// without touching this one.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { Redis } from 'ioredis';

import { BenchContext, withClient } from '../bench/lib/context.mjs';
import {
  ALONGSIDE_DEFINITION,
  formatTable,
  markdownSummary,
  RATIO_DEFINITION,
  resolveBaselines,
} from '../bench/lib/report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scenarioDir = join(root, 'bench', 'scenarios');
const log = (message) => process.stderr.write(`${message}\n`);

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    list: { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  log('usage: npm run bench -- [--quick] [--only <scenario,...>] [--list] [--build]');
  log('  --quick  short runs (under 2 minutes); --only runs a subset (their baselines are added);');
  log('  --build  rebuilds dist/ first (it is built only when missing otherwise)');
  log(
    "env: DATABASE_ADMIN_URL, REDIS_URL, BENCH_LOG_LEVEL (the apps' LOG_LEVEL, default info), BENCH_KEEP_LOGS=true (keep the children's logs)",
  );
  log('  BENCH_SCALE_CLIENTS, BENCH_SCALE_MONTHS: size of the generated clinic (default 10000 x 12, --quick 500 x 3)');
  process.exit(0);
}

/**
 * A scenario file exports `scenario = { name, description, quick, isBaseline?,
 * baselines?, run(ctx) }`; `run` returns rows `{ metric, value, unit, better:
 * 'higher'|'lower', compareWith?: { scenario, metric }, note? }`. `baselines`
 * names the scenarios its `compareWith` needs, so `--only` runs them too.
 */
async function loadScenarios() {
  const files = readdirSync(scenarioDir)
    .filter((file) => file.endsWith('.mjs'))
    .sort();
  const scenarios = [];
  for (const file of files) {
    const { scenario } = await import(pathToFileURL(join(scenarioDir, file)).href);
    if (typeof scenario?.name !== 'string' || typeof scenario.run !== 'function') {
      throw new Error(`bench/scenarios/${file} must export scenario = { name, run(ctx) }`);
    }
    if (scenarios.some((other) => other.name === scenario.name))
      throw new Error(`Two scenarios are named ${scenario.name}`);
    scenarios.push(scenario);
  }
  return scenarios;
}

function select(scenarios) {
  const byName = new Map(scenarios.map((scenario) => [scenario.name, scenario]));
  let chosen;
  if (args.only !== undefined) {
    const names = args.only
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = names.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      throw new Error(`Unknown scenario ${unknown.join(', ')}; known: ${[...byName.keys()].join(', ')}`);
    }
    chosen = new Set(names);
  } else {
    chosen = new Set(
      scenarios.filter((scenario) => !args.quick || scenario.quick !== false).map((scenario) => scenario.name),
    );
  }
  // Baselines are measured in the same run as the figures compared with them.
  for (const name of [...chosen]) for (const baseline of byName.get(name).baselines ?? []) chosen.add(baseline);
  // Each scenario runs right after its baselines, so that a change in the machine's
  // background load between the two skews the ratio as little as possible.
  const order = [];
  const add = (scenario) => {
    if (!order.includes(scenario)) order.push(scenario);
  };
  for (const scenario of scenarios.filter((candidate) => chosen.has(candidate.name) && !candidate.isBaseline)) {
    for (const baseline of scenario.baselines ?? []) add(byName.get(baseline));
    add(scenario);
  }
  for (const scenario of scenarios.filter((candidate) => chosen.has(candidate.name))) add(scenario);
  return order;
}

async function checkServices(adminUrl, redisUrl) {
  try {
    await withClient(adminUrl, (client) => client.query('select 1'));
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable through DATABASE_ADMIN_URL (${error.code ?? error.message}); start it, e.g. pg_ctlcluster 15 main start`,
      { cause: error },
    );
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable through REDIS_URL (${error.code ?? error.message}); start it, e.g. redis-server --daemonize yes`,
      { cause: error },
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Builds when dist/ lacks an app (or with --build). A dist/ older than the
 * sources is only reported: rebuilding empties dist/ first, under any other
 * process of this checkout that runs from it.
 */
function ensureBuild(dist) {
  const needed = ['apps/api/src/main.js', 'apps/worker/src/main.js', 'apps/cli/src/main.js', 'libs/core/src/index.js'];
  if (args.build || !needed.every((file) => existsSync(join(dist, file)))) {
    log(args.build ? 'Building (--build)…' : 'dist/ is missing or incomplete: building…');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    return;
  }
  const builtAt = Math.min(...needed.map((file) => statSync(join(dist, file)).mtimeMs));
  const newer = ['apps', 'libs', 'migrations'].flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .filter((file) => statSync(join(root, folder, file)).mtimeMs > builtAt)
      .map((file) => `${folder}/${file}`),
  );
  if (newer.length > 0)
    log(
      `Warning: ${newer.length} source file(s) changed since dist/ was built (e.g. ${newer[0]}); run with --build to measure them`,
    );
}

async function main() {
  const scenarios = await loadScenarios();
  if (args.list) {
    for (const scenario of scenarios) {
      log(
        `${scenario.name.padEnd(22)} ${scenario.isBaseline ? 'baseline ' : ''}${scenario.quick === false ? '(full only) ' : ''}${scenario.description ?? ''}`,
      );
    }
    return 0;
  }
  const selected = select(scenarios);
  const adminUrl = process.env.DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  // BENCH_DIST: measure another build of this checkout (e.g. one built with tsc --outDir) without touching dist/.
  const dist = process.env.BENCH_DIST ?? join(root, 'dist');
  if (selected.some((scenario) => !scenario.isBaseline)) ensureBuild(dist);
  await checkServices(adminUrl, redisUrl);

  const mode = args.quick ? 'quick' : 'full';
  const ctx = new BenchContext({ root, dist, quick: args.quick, adminUrl, redisUrl, log });
  let interrupted = false;
  const onSignal = (signal) => {
    if (interrupted) return;
    interrupted = true;
    log(`\n${signal}: stopping children and dropping the scratch database…`);
    void ctx.cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Baselines run in the same run so that ratios survive a busy machine; the load is reported anyway.
  const loadAtStart = loadavg()[0];
  if (loadAtStart > availableParallelism())
    log(
      `Warning: load average ${loadAtStart.toFixed(1)} on ${availableParallelism()} cores: absolute figures will be low`,
    );
  const started = performance.now();
  const rawRows = [];
  const failures = [];
  log(`Mend bench (${mode}): ${selected.map((scenario) => scenario.name).join(', ')}`);
  try {
    for (const scenario of selected) {
      const scenarioStarted = performance.now();
      log(`▶ ${scenario.name}: ${scenario.description ?? ''}`);
      try {
        const rows = await scenario.run(ctx);
        for (const row of rows) rawRows.push({ scenario: scenario.name, ...row });
        log(`  done in ${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s`);
      } catch (error) {
        failures.push({ scenario: scenario.name, message: error.message });
        log(`  FAILED after ${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s: ${error.message}`);
      }
    }
  } finally {
    if (failures.length > 0 || process.env.BENCH_KEEP_LOGS === 'true')
      log(`Logs of the child processes kept in ${ctx.keepLogs()}`);
    await ctx.cleanup();
  }
  const seconds = (performance.now() - started) / 1000;

  const fileOrder = scenarios.map((scenario) => scenario.name);
  rawRows.sort((a, b) => fileOrder.indexOf(a.scenario) - fileOrder.indexOf(b.scenario));
  const rows = resolveBaselines(rawRows);
  writeFileSync(join(root, 'bench-results.json'), `${JSON.stringify(rows, null, 2)}\n`);
  const environment =
    `Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ` +
    `load average ${loadAtStart.toFixed(1)} at start, loopback; ` +
    `HTTP: autocannon, ${ctx.settings.connections} connections, warm-up ${ctx.settings.warmupSec} s and on to ${ctx.settings.warmupRequests.toLocaleString('en')} requests (at most ${ctx.settings.warmupMaxSec} s) + ${ctx.settings.httpDurationSec} s; ` +
    `jobs: ${ctx.settings.jobCount} per throughput phase, latency at ${ctx.settings.jobRatePerSec} jobs/s for ${ctx.settings.pacedSec} s.`;
  process.stdout.write(
    `\n${formatTable(rows)}\n\n${RATIO_DEFINITION}\n${rows.some((row) => row.baselineMeasured === 'alongside') ? `${ALONGSIDE_DEFINITION}\n` : ''}Wrote bench-results.json (${rows.length} rows) in ${seconds.toFixed(1)} s.\n\n`,
  );
  process.stdout.write(`${markdownSummary(rows, { mode, seconds, failures, environment })}\n`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(`bench: ${error.message}`);
    process.exit(1);
  },
);
