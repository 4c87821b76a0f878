#!/usr/bin/env node
// node scripts/bench-ab.mjs --base <dist of the build to compare with> [--rounds 6] [--burst 2] [--routes me,caseload,caseload-homework,today]
//   [--node-args='…'] [--base-node-args='…']   (Node flags of each API process; --base . compares flags on one build)
//   [--processes 2]   (API processes per build, each loaded in turn: two processes of one build can differ by
//                      15–25 % in CPU per request on this machine, more than most changes, so compare several)
//
// Two builds of the API side by side on one bench database, plus the raw
// fastify + pg baseline, loaded in short alternating bursts (baseline, base,
// this checkout's dist/, in a rotating order) so that a busy machine weighs on
// all three alike. Reports, per route and build, requests/s, p99 (median of
// the bursts), the ratio to the baseline's requests/s over the same rounds, and
// the API process's CPU time per request (from /proc), which is the figure to
// compare when other work shares the cores.
//
// The data: the bench's generated clinic (bench/lib/scale-data.mjs; BENCH_SCALE_CLIENTS and
// BENCH_SCALE_MONTHS, default 10,000 clients × 12 months, about 2 minutes to generate).
//
// The base build: e.g. `git archive <commit> | tar -x -C /tmp/base`, symlink
// node_modules, `MEND_SKIP_WEB=true node scripts/build.mjs` there.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import autocannon from 'autocannon';

import { BenchContext, withClient } from '../bench/lib/context.mjs';
import { processCpuMicros } from '../bench/lib/http-load.mjs';
import { scaleClientEmails, scaleData, signInScaleClients } from '../bench/lib/scale-data.mjs';
import { caseloadCounselor } from '../bench/scenarios/54-mend-caseload.mjs';
import { todayClients } from '../bench/scenarios/58-mend-homework.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (message) => process.stderr.write(`${message}\n`);
const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '6' },
    burst: { type: 'string', default: '2' },
    routes: { type: 'string', default: 'me,caseload,today' },
    connections: { type: 'string', default: '50' },
    'node-args': { type: 'string', default: '' },
    'base-node-args': { type: 'string', default: '' },
    processes: { type: 'string', default: '1' },
  },
});
if (args.base === undefined) {
  log(
    'usage: node scripts/bench-ab.mjs --base <dist> [--rounds 6] [--burst 2] [--routes me,caseload,caseload-homework,today]',
  );
  process.exit(2);
}
const rounds = Number(args.rounds);
const burstSec = Number(args.burst);
const connections = Number(args.connections);
const processes = Number(args.processes);
const adminUrl = process.env.DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const ctx = new BenchContext({ root, dist: join(root, 'dist'), quick: false, adminUrl, redisUrl, log });

const nodeArgsOf = (text) => text.split(' ').filter((arg) => arg !== '');

async function startApi(label, dist, nodeArgs) {
  const urls = await ctx.mendDatabase();
  const port = await ctx.freePort();
  const child = await ctx.startNode(label, join(dist, 'apps/api/src/main.js'), {
    env: ctx.mendEnv(urls, { NODE_ENV: 'production', PORT: String(port) }),
    nodeArgs,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await ctx.waitForHttp(`${baseUrl}/health`, { label, child });
  return { baseUrl, pid: child.pid };
}

async function startBaseline() {
  const database = await ctx.scratchDatabase();
  await withClient(database.adminUrl, (client) =>
    client.query(`
      create schema bench_raw;
      create table bench_raw.items (id integer primary key, name text not null, created_at timestamptz not null default now());
      insert into bench_raw.items (id, name) select i, 'item ' || i from generate_series(1, 100000) as i;
      analyze bench_raw.items;`),
  );
  const server = await ctx.startNode('fastify-pg-select', join(root, 'bench/servers/fastify-pg-select.mjs'), {
    ipc: true,
    env: { ...process.env, BENCH_DATABASE_URL: database.adminUrl, BENCH_POOL_SIZE: '10' },
  });
  return { baseUrl: `http://127.0.0.1:${server.ready.port}`, pid: server.pid };
}

function burst(url, setupRequest, pid, duration) {
  const before = processCpuMicros(pid);
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, pipelining: 1, requests: [{ setupRequest }] }, (error, result) => {
      if (error) return reject(error);
      const after = processCpuMicros(pid);
      resolve({
        requests: result.requests.total,
        seconds: result.duration,
        p99: result.latency.p99,
        cpu: after - before,
        failed: result.non2xx + result.errors,
      });
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function main() {
  const baseline = await startBaseline();
  const current = await startApi('mend-api', join(root, 'dist'), nodeArgsOf(args['node-args']));
  // The worlds are made through the current build (the helpers call ctx.mendApi(), the same child).
  ctx.shared.set('mend-api', Promise.resolve({ baseUrl: current.baseUrl, child: { pid: current.pid } }));
  const currents = [current];
  for (let index = 1; index < processes; index += 1) {
    currents.push(await startApi(`mend-api-${index + 1}`, join(root, 'dist'), nodeArgsOf(args['node-args'])));
  }
  const bases = [];
  for (let index = 0; index < processes; index += 1) {
    bases.push(
      await startApi(
        `mend-api-base-${index + 1}`,
        args.base === '.' ? join(root, 'dist') : args.base,
        nodeArgsOf(args['base-node-args']),
      ),
    );
  }

  const routes = [];
  const wanted = new Set(args.routes.split(','));
  if (wanted.has('me')) {
    const data = await scaleData(ctx);
    const clients = await scaleClientEmails(ctx, data, { count: 8, offset: 8 });
    const tokens = await signInScaleClients(
      current.baseUrl,
      data,
      clients.map(({ email }) => email),
    );
    let next = 0;
    routes.push({
      name: 'GET /api/v1/me',
      path: '/api/v1/me',
      token: () => tokens[next++ % tokens.length],
    });
  }
  if (wanted.has('caseload') || wanted.has('caseload-homework')) {
    const { token } = await caseloadCounselor(ctx, current.baseUrl);
    if (wanted.has('caseload'))
      routes.push({ name: 'GET /api/v1/cases?limit=50', path: '/api/v1/cases?limit=50', token: () => token });
    if (wanted.has('caseload-homework'))
      routes.push({
        name: 'GET /api/v1/cases?limit=50&include=homework',
        path: '/api/v1/cases?limit=50&include=homework',
        token: () => token,
      });
  }
  if (wanted.has('today')) {
    const { tokens } = await todayClients(ctx, current.baseUrl);
    let next = 0;
    routes.push({
      name: 'GET /api/v1/me/assignments',
      path: '/api/v1/me/assignments',
      token: () => tokens[next++ % tokens.length],
    });
  }

  const results = [];
  for (const route of routes) {
    // The raw baseline once per pair of processes, so that it is loaded as often as each build.
    const targets = [];
    for (let index = 0; index < processes; index += 1) {
      targets.push(
        { label: 'raw baseline', server: baseline, url: `${baseline.baseUrl}/items/1` },
        { label: 'base build', server: bases[index], url: `${bases[index].baseUrl}${route.path}` },
        { label: 'this build', server: currents[index], url: `${currents[index].baseUrl}${route.path}` },
      );
    }
    const setupFor = (target) =>
      target.server === baseline
        ? (request) => ({ ...request, path: `/items/${1 + Math.floor(Math.random() * 100_000)}` })
        : (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${route.token()}` } });
    // Warm-up (JIT, pools, prepared statements), not counted.
    for (const target of targets) await burst(target.url, setupFor(target), target.server.pid, 1);
    const bursts = new Map(targets.map((target) => [target.label, []]));
    const perProcess = new Map(targets.map((target) => [target.server, []]));
    for (let round = 0; round < rounds; round += 1) {
      const order = targets.map((_, index) => targets[(index + round) % targets.length]);
      for (const target of order) {
        const result = await burst(target.url, setupFor(target), target.server.pid, burstSec);
        bursts.get(target.label).push(result);
        perProcess.get(target.server).push(result);
      }
    }
    const summary = (label) => {
      const list = bursts.get(label);
      const requests = list.reduce((sum, item) => sum + item.requests, 0);
      const seconds = list.reduce((sum, item) => sum + item.seconds, 0);
      return {
        requestsPerSec: requests / seconds,
        p99Ms: median(list.map((item) => item.p99)),
        cpuMicrosPerRequest: list.reduce((sum, item) => sum + item.cpu, 0) / requests,
        failed: list.reduce((sum, item) => sum + item.failed, 0),
      };
    };
    if (processes > 1) {
      for (const [label, servers] of [
        ['base build', bases],
        ['this build', currents],
      ]) {
        const each = servers.map((server) => {
          const list = perProcess.get(server);
          const requests = list.reduce((sum, item) => sum + item.requests, 0);
          return Math.round(list.reduce((sum, item) => sum + item.cpu, 0) / requests);
        });
        log(`  ${route.name} ${label}: CPU µs/request by process ${each.join(', ')}`);
      }
    }
    const raw = summary('raw baseline');
    for (const label of ['raw baseline', 'base build', 'this build']) {
      const figures = summary(label);
      results.push({
        route: route.name,
        build: label,
        requestsPerSec: Math.round(figures.requestsPerSec),
        ratio: Number((figures.requestsPerSec / raw.requestsPerSec).toFixed(3)),
        p99Ms: figures.p99Ms,
        cpuMicrosPerRequest: Math.round(figures.cpuMicrosPerRequest),
        failed: figures.failed,
      });
    }
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  const pad = (value, width) => String(value).padStart(width);
  process.stdout.write(
    `\n${'route'.padEnd(28)} ${'build'.padEnd(13)} ${pad('req/s', 7)} ${pad('ratio', 6)} ${pad('p99 ms', 7)} ${pad('CPU µs/req', 10)}\n`,
  );
  for (const row of results) {
    process.stdout.write(
      `${row.route.padEnd(28)} ${row.build.padEnd(13)} ${pad(row.requestsPerSec, 7)} ${pad(row.ratio, 6)} ${pad(row.p99Ms, 7)} ${pad(row.cpuMicrosPerRequest, 10)}${row.failed > 0 ? `  (${row.failed} failed)` : ''}\n`,
    );
  }
}

main()
  .then(
    () => ctx.cleanup(),
    async (error) => {
      log(`bench-ab: ${error.stack}`);
      log(`logs kept in ${ctx.keepLogs()}`);
      await ctx.cleanup();
      process.exitCode = 1;
    },
  )
  .then(() => process.exit(process.exitCode ?? 0));
