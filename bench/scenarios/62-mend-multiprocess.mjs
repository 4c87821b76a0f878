import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';
import pg from 'pg';

import { withClient } from '../lib/context.mjs';
import { processCpuMicros } from '../lib/http-load.mjs';
import { scaleClientEmails, scaleData, signInScaleClients, waitForReportBuilds } from '../lib/scale-data.mjs';
import { percentile, sleep, waitFor } from '../lib/stats.mjs';
import { caseloadCounselor } from './54-mend-caseload.mjs';
import { reminderWorkerEnv } from './59-mend-reminders.mjs';

const CHUNK = 5_000;
/**
 * Runtime pool of each reminder worker. PostgreSQL here allows 100 connections for
 * everyone on the box: two workers of 20, two APIs of 10 and the bench's own stay
 * well under it. Both phases use the same per-process setting, as a deployment would.
 */
const WORKER_POOL_SIZE = 20;

/**
 * Issue 12, item 3: Mend as several processes on one PostgreSQL and one Redis —
 * two built API processes and two built workers.
 *
 * 1. Reads, one API process against two, at the same 50 connections: one
 *    autocannon in the bench process drives either one port with 50
 *    connections, or both ports with 25 connections each (autocannon gives
 *    connection i the URL i mod 2). That is what a connection-level load
 *    balancer does with keep-alive connections, without a proxy hop: a proxy in
 *    the bench process would spend CPU of the same two cores on every request
 *    (worse for the two-process case) and add a hop no real balancer host adds
 *    to this box. One histogram covers every request (p99 over both ports).
 *    Short bursts (2 s quick, 5 s full) run in the order 1, 2, 2, 1, 1, 2, 2, 1
 *    after one warm-up of both processes, so that a drift in the box's
 *    background load weighs on both sides alike; the figures pool the four
 *    bursts of each side. Each API process's CPU time
 *    (/proc/<pid>/stat) is divided by the requests it answered (counted per
 *    port), and the whole box's busy share (/proc/stat) is reported: with two
 *    cores shared by the load generator, PostgreSQL and the APIs, it shows how
 *    much room a second process had.
 * 2. Reminders: N due reminders (BENCH_MP_REMINDERS; 5,000 quick, 10,000 full)
 *    of a new synthetic clinic released at once and delivered by one built
 *    worker, then N by two workers at once (the first plus a new one, on the
 *    same BullMQ queues), then N by one again (the two one-worker phases are
 *    pooled, bracketing the two-worker phase in time). Before each phase the
 *    workers deliver a small warm-up batch of another clinic, and the release
 *    waits until the planner's pass at a worker's start is over and nothing
 *    else is due. Reminders/s each, and exactly-once proved per reminder:
 *    deliveries rows and in-app notifications counted for each reminder
 *    (0 missing, 0 duplicates) and each clinic's notifications against its
 *    deliveries. A lost or duplicated delivery fails the scenario.
 * Every other worker of the run is stopped first (any worker on the database
 * claims due reminders, so it would be a third); later scenarios start the
 * shared one again.
 */
export const scenario = {
  name: 'mend-multiprocess',
  description:
    '2 API processes + 2 workers on one PostgreSQL/Redis: me and caseload reads on 1 vs 2 APIs (50 connections); N reminders by 1 vs 2 workers, exactly once',
  quick: false,
  async run(ctx) {
    const rows = [];
    await stopOtherWorkers(ctx);

    // 1. Reads.
    const setupStarted = performance.now();
    const apiA = await ctx.mendApi();
    const apiB = await ctx.mendApi('mend-api-2');
    const data = await scaleData(ctx);
    // Other generated clients than mend-login's and mend-me's (offsets 0 and 8).
    const clients = await scaleClientEmails(ctx, data, { count: 8, offset: 16 });
    const tokens = await signInScaleClients(
      apiA.baseUrl,
      data,
      clients.map(({ email }) => email),
    );
    ctx.log(
      `  two APIs and the signed-in clients ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );
    let next = 0;
    const rotating = (request) => {
      const token = tokens[next % tokens.length];
      next += 1;
      return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
    };
    rows.push(...(await compareReads(ctx, 'me', '/api/v1/me', rotating, [apiA, apiB])));

    if (process.env.BENCH_MP_CASELOAD !== 'false') {
      const counselorStarted = performance.now();
      const { token } = await caseloadCounselor(ctx, apiA.baseUrl);
      ctx.log(`  caseload counselor ready in ${((performance.now() - counselorStarted) / 1000).toFixed(1)} s`);
      const bearer = (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } });
      rows.push(...(await compareReads(ctx, 'caseload', '/api/v1/cases?limit=50', bearer, [apiA, apiB])));
    }

    // 2. Reminders with one worker, two, then one again.
    rows.push(...(await compareReminderWorkers(ctx)));
    return rows;
  },
};

/** Stops every Mend worker process of the run that is still up (the shared one, the reminders scenario's). */
async function stopOtherWorkers(ctx) {
  if (ctx.shared.has('mend-worker')) {
    await ctx.shared.get('mend-worker');
    ctx.shared.delete('mend-worker');
  }
  for (const label of [...ctx.children.keys()]) {
    if (label.startsWith('mend-') && label.includes('worker')) await ctx.stopNode(label);
  }
}

/** CPU time of the whole box so far, in clock ticks: busy (everything but idle and iowait) and total. */
function boxCpuTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - fields[3] - (fields[4] ?? 0), total };
}

/**
 * One autocannon burst of `durationSec` on `apis` (one or two), 50 connections
 * split evenly; responses and latencies counted per port, CPU time per API
 * process, the bench process's own CPU (the load generator) and the box's.
 */
async function burst(ctx, path, setupRequest, apis, durationSec) {
  const postgresPids = await databaseBackendPids(ctx);
  const postgresBefore = sumCpuMicros(postgresPids);
  const perPort = new Map(apis.map((api) => [Number(new URL(api.baseUrl).port), 0]));
  const latencies = [];
  let failed = 0;
  const cpuBefore = apis.map((api) => processCpuMicros(api.child.pid));
  const ownBefore = process.cpuUsage();
  const boxBefore = boxCpuTicks();
  const result = await autocannon({
    url: apis.map((api) => `${api.baseUrl}${path}`),
    connections: ctx.settings.connections,
    duration: durationSec,
    pipelining: 1,
    requests: [{ setupRequest }],
    setupClient: (client) => {
      const port = Number(client.opts.port);
      client.on('response', (status, _bytes, responseTime) => {
        if (status < 200 || status >= 300) failed += 1;
        perPort.set(port, perPort.get(port) + 1);
        latencies.push(responseTime);
      });
    },
  });
  const boxAfter = boxCpuTicks();
  const postgresMicros = sumCpuMicros(postgresPids) - postgresBefore;
  const own = process.cpuUsage(ownBefore);
  const cpuAfter = apis.map((api) => processCpuMicros(api.child.pid));
  return {
    seconds: result.duration,
    total: result.requests.total,
    failed: failed + result.errors,
    perApi: apis.map((api, i) => ({
      requests: perPort.get(Number(new URL(api.baseUrl).port)),
      cpuMicros: cpuAfter[i] - cpuBefore[i],
    })),
    latencies,
    loadGeneratorCpuMicros: own.user + own.system,
    postgresCpuMicros: postgresMicros,
    boxBusyShare: (boxAfter.busy - boxBefore.busy) / Math.max(1, boxAfter.total - boxBefore.total),
  };
}

/** PostgreSQL backends connected to the bench database (the APIs' pools, warm and kept across a burst). */
async function databaseBackendPids(ctx) {
  const scratch = await ctx.scratchDatabase();
  const rows = await withClient(scratch.adminUrl, async (client) => {
    const answer = await client.query(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return answer.rows;
  });
  return rows.map((row) => row.pid);
}

/** CPU time so far of processes that still run (a process gone since is left out of both readings alike). */
function sumCpuMicros(pids) {
  return pids.reduce((sum, pid) => sum + (processCpuMicros(pid) ?? 0), 0);
}

/** Sums bursts of one side (one API, or two). */
function combine(bursts) {
  const apis = bursts[0].perApi.length;
  return {
    seconds: bursts.reduce((sum, b) => sum + b.seconds, 0),
    total: bursts.reduce((sum, b) => sum + b.total, 0),
    failed: bursts.reduce((sum, b) => sum + b.failed, 0),
    perApi: Array.from({ length: apis }, (_, i) => ({
      requests: bursts.reduce((sum, b) => sum + b.perApi[i].requests, 0),
      cpuMicros: bursts.reduce((sum, b) => sum + b.perApi[i].cpuMicros, 0),
    })),
    latencies: bursts.flatMap((b) => b.latencies),
    loadGeneratorCpuMicros: bursts.reduce((sum, b) => sum + b.loadGeneratorCpuMicros, 0),
    postgresCpuMicros: bursts.reduce((sum, b) => sum + b.postgresCpuMicros, 0),
    boxBusyShare:
      bursts.reduce((sum, b) => sum + b.boxBusyShare * b.seconds, 0) / bursts.reduce((s, b) => s + b.seconds, 0),
  };
}

/** `route` on one API process against two, same connections, alternating bursts. */
async function compareReads(ctx, route, path, setupRequest, [apiA, apiB]) {
  const both = [apiA, apiB];
  // JIT, pools and caches of both processes (the second one is new), then the measured bursts.
  await burst(ctx, path, setupRequest, both, ctx.settings.warmupSec + 4);
  // Short bursts in the order 1, 2, 2, 1, 1, 2, 2, 1: a drift in the shared box's load weighs on both sides alike.
  const duration = ctx.quick ? 2 : 5;
  const one = [];
  const two = [];
  const order = [];
  for (const apis of [1, 2, 2, 1, 1, 2, 2, 1]) {
    const measured = await burst(ctx, path, setupRequest, apis === 1 ? [apiA] : both, duration);
    (apis === 1 ? one : two).push(measured);
    order.push(`${apis}: ${Math.round(measured.total / measured.seconds)}`);
  }
  ctx.log(`  ${route} req/s by burst (API processes: req/s): ${order.join(', ')}`);
  const single = combine(one);
  const double = combine(two);
  const self = (metric) => ({ scenario: 'mend-multiprocess', metric });
  const warn = (side) => (side.failed > 0 ? `${side.failed} non-2xx or failed of ${side.total} requests` : undefined);
  const cpu = (api) => (api.requests === 0 ? Number.NaN : api.cpuMicros / api.requests);
  const perRequest = (side, key) => Math.round(side[key] / side.total);
  const tierCpu = (side) => side.perApi.reduce((sum, api) => sum + api.cpuMicros, 0) / side.total;
  return [
    {
      metric: `${route}_requests_per_s_1_api`,
      value: single.total / single.seconds,
      unit: 'req/s',
      better: 'higher',
      warning: warn(single),
      note: `GET ${path}, one API process, 50 connections; 4 bursts of ${duration} s (order 1, 2, 2, 1, 1, 2, 2, 1); box CPU busy ${Math.round(single.boxBusyShare * 100)} % of 2 cores`,
    },
    {
      metric: `${route}_requests_per_s_2_api`,
      value: double.total / double.seconds,
      unit: 'req/s',
      better: 'higher',
      compareWith: self(`${route}_requests_per_s_1_api`),
      warning: warn(double),
      note: `two API processes, 25 connections each; ratio = two / one, target >= 1.2; box CPU busy ${Math.round(double.boxBusyShare * 100)} %; answered ${double.perApi[0].requests} / ${double.perApi[1].requests}`,
    },
    {
      metric: `${route}_latency_p99_1_api`,
      value: percentile(single.latencies, 99),
      unit: 'ms',
      better: 'lower',
    },
    {
      metric: `${route}_latency_p99_2_api`,
      value: percentile(double.latencies, 99),
      unit: 'ms',
      better: 'lower',
      compareWith: self(`${route}_latency_p99_1_api`),
      note: 'p99 over every request of both ports; ratio = one / two',
    },
    {
      metric: `${route}_cpu_per_request_1_api`,
      value: cpu(single.perApi[0]),
      unit: 'µs',
      better: 'lower',
      note: `CPU time (user + system) of the API process per answered request; PostgreSQL backends ${perRequest(single, 'postgresCpuMicros')} µs, load generator ${perRequest(single, 'loadGeneratorCpuMicros')} µs per request`,
    },
    {
      metric: `${route}_cpu_per_request_2_api_a`,
      value: cpu(double.perApi[0]),
      unit: 'µs',
      better: 'lower',
      compareWith: self(`${route}_cpu_per_request_1_api`),
      note: `first API process, over the ${double.perApi[0].requests} requests it answered`,
    },
    {
      metric: `${route}_cpu_per_request_2_api_b`,
      value: cpu(double.perApi[1]),
      unit: 'µs',
      better: 'lower',
      compareWith: self(`${route}_cpu_per_request_1_api`),
      note: `second API process, over the ${double.perApi[1].requests} requests it answered; both APIs ${Math.round(tierCpu(double))} µs, PostgreSQL backends ${perRequest(double, 'postgresCpuMicros')} µs, load generator ${perRequest(double, 'loadGeneratorCpuMicros')} µs per request`,
    },
  ];
}

/** A synthetic clinic (as in mend-reminders): 20 portal clients in one active couple case, in-app only, no quiet hours. */
async function reminderClinic(admin, name) {
  const clinicId = randomUUID();
  const caseId = randomUUID();
  const clients = Array.from({ length: 20 }, () => ({
    clientId: randomUUID(),
    membershipId: randomUUID(),
    userId: randomUUID(),
  }));
  await admin.query('insert into clinics (id, name) values ($1, $2)', [clinicId, name]);
  await admin.query(
    `insert into users (id, email) select u, 'bench-' || u || '@bench.mend.example' from unnest($1::uuid[]) as u`,
    [clients.map((client) => client.userId)],
  );
  await admin.query(
    `insert into memberships (clinic_id, id, user_id, roles) select $1, m, u, '{client}' from unnest($2::uuid[], $3::uuid[]) as t(m, u)`,
    [clinicId, clients.map((client) => client.membershipId), clients.map((client) => client.userId)],
  );
  await admin.query(
    `insert into clients (clinic_id, id, display_name, timezone, membership_id, reminder_channel)
     select $1, c, 'Bench client', 'UTC', m, 'in_app' from unnest($2::uuid[], $3::uuid[]) as t(c, m)`,
    [clinicId, clients.map((client) => client.clientId), clients.map((client) => client.membershipId)],
  );
  await admin.query(
    `insert into cases (clinic_id, id, title, type, status) values ($1, $2, 'Bench', 'couple', 'active')`,
    [clinicId, caseId],
  );
  await admin.query(
    `insert into case_participants (clinic_id, case_id, client_id, role) select $1, $2, c, 'mutual' from unnest($3::uuid[]) as c`,
    [clinicId, caseId, clients.map((client) => client.clientId)],
  );
  await admin.query(
    `insert into clinic_reminder_settings (clinic_id, channels, quiet_start, quiet_end) values ($1, '{in_app}', '00:00', '00:00')`,
    [clinicId],
  );
  return { clinicId, caseId, clients };
}

/** `n` check-in reminders of the clinic, due in an hour (released later), written in big batches. */
async function insertReminders(admin, { clinicId, caseId, clients }, label, n) {
  const later = new Date(Date.now() + 3_600_000).toISOString();
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    const ids = Array.from({ length: size }, () => randomUUID());
    await admin.query(
      `insert into reminders (clinic_id, id, category, recipient_membership_id, recipient_client_id, case_id, source_type,
                              source_id, occurrence_key, dedupe_key, channels, due_at, fire_at)
       select $1, t.id, 'check_in', t.m, t.c, $2, 'case', $2, t.k, $3 || t.k, '{in_app}', $7, $7
         from unnest($4::uuid[], $5::uuid[], $6::uuid[], $8::text[]) as t(id, m, c, k)`,
      [
        clinicId,
        caseId,
        `${label}|`,
        ids,
        ids.map((_, i) => clients[(start + i) % clients.length].membershipId),
        ids.map((_, i) => clients[(start + i) % clients.length].clientId),
        later,
        ids.map((_, i) => `${label}-${start + i}`),
      ],
    );
  }
}

/**
 * Per reminder of the clinic: its deliveries rows and the in-app notifications
 * they point at (a notification's id is the delivery's provider_message_id);
 * and the clinic's notifications against its deliveries (a notification
 * written without a delivery row would be a duplicate no reminder points at).
 */
async function exactlyOnce(admin, clinicId, label) {
  const { rows } = await admin.query(
    `with delivered as (
       -- in-app only here: provider_message_id is the notification's id
       select d.reminder_id, count(*) as deliveries, count(n.id) as notifications
         from deliveries d
         left join notifications n on n.clinic_id = d.clinic_id and n.id = d.provider_message_id::uuid
        where d.clinic_id = $1
        group by d.reminder_id
     ), per as (
       select r.status, r.claims, coalesce(x.deliveries, 0) as deliveries, coalesce(x.notifications, 0) as notifications
         from reminders r left join delivered x on x.reminder_id = r.id
        where r.clinic_id = $1 and r.dedupe_key like $2
     )
     select count(*)::int as reminders,
            count(*) filter (where status = 'sent')::int as sent,
            count(*) filter (where status = 'failed')::int as failed,
            count(*) filter (where deliveries = 0)::int as missing_deliveries,
            count(*) filter (where deliveries > 1)::int as duplicate_deliveries,
            count(*) filter (where notifications = 0)::int as missing_notifications,
            count(*) filter (where notifications > 1)::int as duplicate_notifications,
            count(*) filter (where claims > 1)::int as reclaimed,
            (select count(*) from notifications where clinic_id = $1)::int as clinic_notifications,
            (select count(*) from deliveries where clinic_id = $1)::int as clinic_deliveries
       from per`,
    [clinicId, `${label}|%`],
  );
  return rows[0];
}

async function compareReminderWorkers(ctx) {
  const count = Number(process.env.BENCH_MP_REMINDERS ?? (ctx.quick ? 5_000 : 10_000));
  const urls = await ctx.mendDatabase();
  const scratch = await ctx.scratchDatabase();
  const admin = new pg.Client({ connectionString: scratch.adminUrl });
  await admin.connect();
  ctx.onCleanup('multiprocess bench admin', () => admin.end());

  const startWorker = (label) =>
    ctx.startNode(label, ctx.dist('apps/worker/src/main.js'), {
      env: reminderWorkerEnv(ctx, urls, {
        // One set of queues for both workers, apart from the other scenarios' queues.
        QUEUE_PREFIX: `${ctx.queuePrefix}-mp`,
        // The planner passes once at start (waited for below), not again during a measurement.
        REMINDER_PLAN_INTERVAL_MS: '3600000',
        // The phases last seconds: an idle worker's first claim must not wait up to the shipped 1 s poll, which
        // would weigh on one side or the other by chance (this compares one worker with two, not the poll).
        REMINDER_POLL_MS: '100',
        DATABASE_POOL_SIZE: String(WORKER_POOL_SIZE),
      }),
    });

  const workers = [];
  /** Starts or stops workers until `wanted` run, then waits until the database is quiet (see `settle`). */
  const useWorkers = async (wanted) => {
    while (workers.length > wanted) await ctx.stopNode(workers.pop().label);
    while (workers.length < wanted) {
      const label = `mend-mp-worker-${workers.length + 1}`;
      workers.push({ label, child: await startWorker(label) });
    }
    await settle(ctx, admin);
  };

  /** Releases the clinic's `label` reminders at once and waits for every one: seconds and the workers' CPU. */
  const deliver = async (clinic, label, n) => {
    const cpuBefore = workers.map(({ child }) => processCpuMicros(child.pid));
    const { rows: released } = await admin.query(
      `update reminders set fire_at = now(), due_at = now() where clinic_id = $1 and dedupe_key like $2 returning now() as at`,
      [clinic.clinicId, `${label}|%`],
    );
    const releasedAt = new Date(released[0].at);
    const progress = async () => {
      const { rows } = await admin.query(
        `select count(*) filter (where status in ('sent', 'failed'))::int as done,
                (select max(d.sent_at) from deliveries d where d.clinic_id = $1) as last_sent
           from reminders where clinic_id = $1 and dedupe_key like $2`,
        [clinic.clinicId, `${label}|%`],
      );
      return rows[0];
    };
    const finished = await waitFor(
      async () => {
        for (const worker of workers) {
          if (worker.child.exitCode !== null || worker.child.signalCode !== null)
            throw new Error(`${worker.label} exited:\n${ctx.logTail(worker.label)}`);
        }
        const row = await progress();
        return row.done >= n ? row : undefined;
      },
      {
        timeoutMs: 120_000 + n * 50,
        intervalMs: 2_000, // the count over the clinic's rows competes with the pipeline (as in mend-reminders)
        message: async () => `${(await progress()).done}/${n} reminders delivered by ${workers.length} worker(s)`,
      },
    );
    const cpuAfter = workers.map(({ child }) => processCpuMicros(child.pid));
    return {
      seconds: (new Date(finished.last_sent).getTime() - releasedAt.getTime()) / 1000,
      cpuMicros: workers.map((_, i) => cpuAfter[i] - cpuBefore[i]),
    };
  };

  // One worker, two, then one again (the pooled one-worker figure brackets the two-worker one in time).
  // Each phase: its workers warmed up on a small batch of another clinic, then N reminders of a new clinic.
  const warmCount = Math.min(1_000, Math.ceil(count / 5));
  const phases = [];
  for (const [index, workerCount] of [1, 2, 1].entries()) {
    const label = `p${index + 1}w${workerCount}`;
    const clinic = await reminderClinic(admin, `Bench multiprocess clinic ${label}`);
    await insertReminders(admin, clinic, label, count);
    const warmClinic = await reminderClinic(admin, `Bench multiprocess warm-up ${label}`);
    await insertReminders(admin, warmClinic, `${label}-warm`, warmCount);
    await admin.query('analyze reminders');
    await useWorkers(workerCount);
    await deliver(warmClinic, `${label}-warm`, warmCount);
    assertExactlyOnce(await exactlyOnce(admin, warmClinic.clinicId, `${label}-warm`), warmCount, workerCount);
    const { seconds, cpuMicros } = await deliver(clinic, label, count);
    ctx.log(`  ${count} reminders by ${workerCount} worker(s) in ${seconds.toFixed(1)} s`);
    const check = await exactlyOnce(admin, clinic.clinicId, label);
    phases.push({ workerCount, seconds, check, cpuMicros });
    assertExactlyOnce(check, count, workerCount);
  }
  await useWorkers(0);

  const rows = [];
  for (const workerCount of [1, 2]) {
    const mine = phases.filter((phase) => phase.workerCount === workerCount);
    const suffix = workerCount === 1 ? '1_worker' : '2_workers';
    const total = count * mine.length;
    const seconds = mine.reduce((sum, phase) => sum + phase.seconds, 0);
    const sum = (key) => mine.reduce((acc, phase) => acc + phase.check[key], 0);
    const cpuNote = mine
      .map((phase) => phase.cpuMicros.map((micros) => `${Math.round(micros / count)}`).join(' + '))
      .join(', ');
    rows.push({
      metric: `reminders_per_s_${suffix}`,
      value: total / seconds,
      unit: 'reminders/s',
      better: 'higher',
      ...(workerCount === 2 && { compareWith: { scenario: 'mend-multiprocess', metric: 'reminders_per_s_1_worker' } }),
      note:
        `${mine.length} × ${count} due reminders released at once -> last deliveries.sent_at ` +
        `(${mine.map((phase) => Math.round(count / phase.seconds)).join(' and ')} reminders/s), ` +
        `${workerCount} worker process(es) of pool ${WORKER_POOL_SIZE}; worker CPU ${cpuNote} µs/reminder; ` +
        `${sum('reclaimed')} claimed more than once${workerCount === 2 ? '; ratio = two / one' : ''}`,
    });
    const orphans = mine.reduce(
      (acc, phase) => acc + Math.max(0, phase.check.clinic_notifications - phase.check.clinic_deliveries),
      0,
    );
    for (const [metric, value, note] of [
      [
        'missing_deliveries',
        sum('missing_deliveries') + sum('failed'),
        `reminders with no deliveries row (${sum('failed')} failed); ${sum('sent')}/${sum('reminders')} sent; must be 0`,
      ],
      ['duplicate_deliveries', sum('duplicate_deliveries'), 'reminders with more than one deliveries row; must be 0'],
      [
        'missing_notifications',
        sum('missing_notifications'),
        'reminders whose delivery has no in-app notification; must be 0',
      ],
      [
        'duplicate_notifications',
        sum('duplicate_notifications') + orphans,
        `reminders with more than one notification, plus notifications no delivery points at (${sum('clinic_notifications')} notifications, ${sum('clinic_deliveries')} deliveries in the clinics); must be 0`,
      ],
    ]) {
      rows.push({ metric: `${metric}_${suffix}`, value, unit: 'reminders', better: 'lower', note });
    }
  }
  return rows;
}

/**
 * After workers start: they connect, start their loops, and the planner's pass at start
 * writes the generated clinics' reminders. Waits until no reminder is due and the table
 * stopped growing, so that the workers deliver only the measured reminders, and until they
 * have built the generated clinics' scheduled reports (the reports scenario's clinic was made
 * while no worker ran).
 */
async function settle(ctx, admin) {
  await sleep(3_000);
  let previous = -1;
  await waitFor(
    async () => {
      const { rows } = await admin.query(
        `select count(*) filter (where status = 'pending' and fire_at <= now())::int as due, count(*)::int as total
           from reminders`,
      );
      const quiet = rows[0].due === 0 && rows[0].total === previous;
      previous = rows[0].total;
      return quiet;
    },
    {
      timeoutMs: 180_000,
      intervalMs: 1_000,
      message: 'the workers did not settle (due or new reminders) within 180 s',
    },
  );
  await waitForReportBuilds(ctx);
}

/** Throws unless every reminder of the check was delivered exactly once (deliveries row and notification). */
function assertExactlyOnce(check, expected, workerCount) {
  const wrong =
    check.reminders !== expected ||
    check.sent !== expected ||
    check.missing_deliveries +
      check.duplicate_deliveries +
      check.missing_notifications +
      check.duplicate_notifications !==
      0 ||
    check.clinic_notifications !== expected ||
    check.clinic_deliveries !== expected;
  if (wrong) {
    throw new Error(
      `reminders not delivered exactly once by ${workerCount} worker(s): ${JSON.stringify({ expected, ...check })}`,
    );
  }
}
