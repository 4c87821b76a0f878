import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import pg from 'pg';

import { waitForReportBuilds } from '../lib/scale-data.mjs';
import { percentile, sleep, waitFor } from '../lib/stats.mjs';

const CHUNK = 5_000;
const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, 0 once it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/**
 * The built worker's environment in the reminder scenarios: the shipped claim batch, claim poll and
 * REMINDER_CONCURRENCY (unless `BENCH_REMINDER_CONCURRENCY` says otherwise) — what a clinic runs — and a
 * lease no measurement outlives.
 */
export function reminderWorkerEnv(ctx, urls, extra) {
  return ctx.mendEnv(urls, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...(process.env.BENCH_REMINDER_CONCURRENCY === undefined
      ? {}
      : { REMINDER_CONCURRENCY: process.env.BENCH_REMINDER_CONCURRENCY }),
    REMINDER_LEASE_SECONDS: '900',
    ...extra,
  });
}

/**
 * Reminders end to end (issue 7), against the built worker in its own process:
 * due rows in the `reminders` table → claimed in batches (`reminder_claim`, FOR
 * UPDATE SKIP LOCKED) → one BullMQ job per reminder (deterministic job id) →
 * the `reminder.deliver` handler writes the in-app notification and its
 * deliveries row in one transaction.
 * 1. Throughput: N reminders (100,000 in a full run) released at once;
 *    release → last deliveries.sent_at, against raw BullMQ add-while-draining
 *    (`bullmq-noop` pipeline_jobs_per_s) measured in the same run.
 * 2. Scheduling lag under steady load: reminders falling due at a steady rate;
 *    deliveries.sent_at - reminders.fire_at, p50/p99.
 * 3. The worker's peak resident memory (VmRSS) over both phases.
 * The shared worker of earlier scenarios is stopped first (it would claim a
 * share of the reminders); later scenarios start it again.
 */
export const scenario = {
  name: 'mend-reminders',
  description:
    'due reminders -> reminder_claim (SKIP LOCKED) -> BullMQ job per reminder -> in-app notification + deliveries row (dist/apps/worker)',
  baselines: ['bullmq-noop'],
  quick: true,
  async run(ctx) {
    const count = Number(process.env.BENCH_REMINDERS ?? (ctx.quick ? 5_000 : 100_000));
    const steadyRate = ctx.quick ? 100 : 200;
    const steadySec = ctx.quick ? 5 : 30;
    // How often the waits look (cheap: see isOpen); the figures come from the rows' own times, not from this.
    const pollMs = ctx.quick ? 500 : 2_000;
    const urls = await ctx.mendDatabase();
    const scratch = await ctx.scratchDatabase();

    if (ctx.shared.has('mend-worker')) {
      const shared = await ctx.shared.get('mend-worker');
      shared.child.kill('SIGTERM');
      await shared.child.exitPromise;
      ctx.shared.delete('mend-worker');
    }

    // Synthetic clinic: a counselor, 20 portal clients in one active couple case, no quiet hours, in-app only.
    const admin = new pg.Client({ connectionString: scratch.adminUrl });
    await admin.connect();
    ctx.onCleanup('reminders bench admin', () => admin.end());
    const clinicId = randomUUID();
    const caseId = randomUUID();
    const clients = Array.from({ length: 20 }, () => ({
      clientId: randomUUID(),
      membershipId: randomUUID(),
      userId: randomUUID(),
    }));
    await admin.query('insert into clinics (id, name) values ($1, $2)', [clinicId, 'Bench reminders clinic']);
    for (const client of clients) {
      await admin.query('insert into users (id, email) values ($1, $2)', [
        client.userId,
        `bench-${client.userId}@bench.mend.example`,
      ]);
      await admin.query(`insert into memberships (clinic_id, id, user_id, roles) values ($1, $2, $3, '{client}')`, [
        clinicId,
        client.membershipId,
        client.userId,
      ]);
      await admin.query(
        `insert into clients (clinic_id, id, display_name, timezone, membership_id, reminder_channel)
         values ($1, $2, 'Bench client', 'UTC', $3, 'in_app')`,
        [clinicId, client.clientId, client.membershipId],
      );
    }
    await admin.query(
      `insert into cases (clinic_id, id, title, type, status) values ($1, $2, 'Bench', 'couple', 'active')`,
      [clinicId, caseId],
    );
    for (const client of clients) {
      await admin.query(
        `insert into case_participants (clinic_id, case_id, client_id, role) values ($1, $2, $3, 'mutual')`,
        [clinicId, caseId, client.clientId],
      );
    }
    await admin.query(
      `insert into clinic_reminder_settings (clinic_id, channels, quiet_start, quiet_end) values ($1, '{in_app}', '00:00', '00:00')`,
      [clinicId],
    );

    /** `n` check-in reminders, fire times from `fireAt(i)`, written as the admin role in big batches. */
    const insert = async (label, n, fireAt) => {
      for (let start = 0; start < n; start += CHUNK) {
        const size = Math.min(CHUNK, n - start);
        const ids = Array.from({ length: size }, () => randomUUID());
        await admin.query(
          `insert into reminders (clinic_id, id, category, recipient_membership_id, recipient_client_id, case_id, source_type,
                                  source_id, occurrence_key, dedupe_key, channels, due_at, fire_at)
           select $1, t.id, 'check_in', t.m, t.c, $2, 'case', $2, t.k, $3 || t.k, '{in_app}', t.f, t.f
             from unnest($4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::timestamptz[]) as t(id, m, c, k, f)`,
          [
            clinicId,
            caseId,
            `${label}|`,
            ids,
            ids.map((_, i) => clients[(start + i) % clients.length].membershipId),
            ids.map((_, i) => clients[(start + i) % clients.length].clientId),
            ids.map((_, i) => `${label}-${start + i}`),
            ids.map((_, i) => fireAt(start + i).toISOString()),
          ],
        );
      }
    };
    const progress = async (label) => {
      const { rows } = await admin.query(
        `select count(*) filter (where r.status = 'sent')::int as sent, count(*)::int as total,
                max(d.sent_at) as last_sent
           from reminders r left join deliveries d on d.clinic_id = r.clinic_id and d.reminder_id = r.id
          where r.clinic_id = $1 and r.dedupe_key like $2`,
        [clinicId, `${label}|%`],
      );
      return rows[0];
    };
    // What the waits poll (every 2 s, --quick 0.5 s): whether any reminder of the label is still pending or queued — the
    // first one found through the partial indexes on those states, not a count of the whole table, which at
    // 100,000 took PostgreSQL 150–240 ms and two parallel workers per poll, CPU taken from the measurement.
    const isOpen = async (label) => {
      const { rows } = await admin.query(
        `select exists (select 1 from reminders
                         where status in ('pending', 'queued') and clinic_id = $1 and dedupe_key like $2) as open`,
        [clinicId, `${label}|%`],
      );
      return rows[0].open;
    };
    await admin.query('set max_parallel_workers_per_gather = 0');

    // 1. Throughput: N reminders written far in the future, the worker started, then all released at once.
    const later = new Date(Date.now() + 3_600_000);
    await insert('burst', count, () => later);
    await admin.query('analyze reminders');
    const worker = await ctx.startNode('mend-reminder-worker', ctx.dist('apps/worker/src/main.js'), {
      // e.g. BENCH_WORKER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the worker.
      nodeArgs: (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      env: reminderWorkerEnv(ctx, urls, { QUEUE_PREFIX: `${ctx.queuePrefix}-rem`, DATABASE_POOL_SIZE: '30' }),
    });
    let peakRss = 0;
    const sampler = setInterval(() => {
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${worker.pid}/status`, 'utf8'))?.[1] ?? 0);
        peakRss = Math.max(peakRss, kb * 1024);
      } catch {
        // the worker exited; reported below
      }
    }, 200);
    ctx.onCleanup('reminders rss sampler', () => clearInterval(sampler));
    await sleep(3_000); // the worker connects and starts its loops
    // Reports of generated clinics made while no worker ran (bench/lib/scale-data.mjs): built before measuring.
    const reportSeconds = await waitForReportBuilds(ctx);
    if (reportSeconds > 1)
      ctx.log(`  the worker built the generated clinics' scheduled reports first (${reportSeconds.toFixed(1)} s)`);
    // CPU of the worker and of its PostgreSQL backends (this database's other sessions: the bench's own admin one).
    const backendPids = async () =>
      (
        await admin.query(
          'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        )
      ).rows.map((row) => row.pid);
    const cpuBefore = { worker: cpuSeconds(worker.pid), pg: new Map() };
    for (const pid of await backendPids()) cpuBefore.pg.set(pid, cpuSeconds(pid));
    const { rows: released } = await admin.query(
      `update reminders set fire_at = now(), due_at = now() where clinic_id = $1 and dedupe_key like 'burst|%' returning now() as at`,
      [clinicId],
    );
    const releasedAt = new Date(released[0].at);
    const burst = await waitFor(
      async () => {
        if (worker.exitCode !== null)
          throw new Error(`the reminder worker exited:\n${ctx.logTail('mend-reminder-worker')}`);
        return (await isOpen('burst')) ? undefined : progress('burst');
      },
      {
        timeoutMs: 120_000 + count * 50,
        intervalMs: pollMs,
        message: async () => `${(await progress('burst')).sent}/${count} sent`,
      },
    );
    if (burst.sent !== count)
      throw new Error(`${burst.sent}/${count} burst reminders sent; the others failed or were cancelled`);
    const burstSeconds = (new Date(burst.last_sent).getTime() - releasedAt.getTime()) / 1000;
    const workerCpu = cpuSeconds(worker.pid) - cpuBefore.worker;
    let pgCpu = 0;
    for (const pid of await backendPids()) pgCpu += cpuSeconds(pid) - (cpuBefore.pg.get(pid) ?? 0);

    // 2. Lag under steady load: reminders fall due at a steady rate; fire_at → deliveries.sent_at.
    const steadyCount = steadyRate * steadySec;
    const steadyStart = Date.now() + (ctx.quick ? 1_000 : 2_000);
    await insert('steady', steadyCount, (i) => new Date(steadyStart + (i * 1000) / steadyRate));
    const steady = await waitFor(
      async () => {
        return (await isOpen('steady')) ? undefined : progress('steady');
      },
      {
        timeoutMs: steadySec * 1000 + 120_000,
        intervalMs: pollMs,
        message: async () => `${(await progress('steady')).sent}/${steadyCount} steady sent`,
      },
    );
    if (steady.sent !== steadyCount) throw new Error(`${steady.sent}/${steadyCount} steady reminders sent`);
    clearInterval(sampler);
    const { rows: lags } = await admin.query(
      `select extract(epoch from (d.sent_at - r.fire_at)) * 1000 as ms
         from reminders r join deliveries d on d.clinic_id = r.clinic_id and d.reminder_id = r.id
        where r.clinic_id = $1 and r.dedupe_key like 'steady|%'`,
      [clinicId],
    );
    const lagMs = lags.map((row) => Number(row.ms));
    const { rows: dup } = await admin.query(
      `select (select count(*) from notifications where clinic_id = $1 and kind = 'reminder.check_in')::int as notifications,
              (select count(*) from deliveries where clinic_id = $1)::int as deliveries`,
      [clinicId],
    );

    return [
      {
        metric: 'pipeline_jobs_per_s',
        value: count / burstSeconds,
        unit: 'reminders/s',
        better: 'higher',
        compareWith: { scenario: 'bullmq-noop', metric: 'pipeline_jobs_per_s' },
        note: `${count} due reminders released at once -> claimed -> queued -> in-app notification + deliveries row; target >= 0.30 of raw BullMQ`,
      },
      {
        metric: 'worker_cpu_per_reminder',
        value: (workerCpu * 1e6) / count,
        unit: 'us',
        better: 'lower',
        note: `CPU (user + system) of the worker process over the burst, ${workerCpu.toFixed(1)} s for ${count}`,
      },
      {
        metric: 'pg_cpu_per_reminder',
        value: (pgCpu * 1e6) / count,
        unit: 'us',
        better: 'lower',
        note: `CPU of the PostgreSQL backends of this database over the burst (${pgCpu.toFixed(1)} s), Redis not counted`,
      },
      {
        metric: 'lag_p50',
        value: percentile(lagMs, 50),
        unit: 'ms',
        better: 'lower',
        note: `${steadyCount} reminders falling due at ${steadyRate}/s; fire_at -> deliveries.sent_at`,
      },
      { metric: 'lag_p99', value: percentile(lagMs, 99), unit: 'ms', better: 'lower', note: 'target <= 60 s' },
      {
        metric: 'worker_peak_rss',
        value: Math.round(peakRss / 1024 / 1024),
        unit: 'MB',
        better: 'lower',
        note: 'VmRSS of the worker process, sampled every 200 ms; target <= 300 MB',
      },
      {
        metric: 'duplicate_deliveries',
        value: dup[0].notifications - dup[0].deliveries,
        unit: 'reminders',
        better: 'lower',
        note: `must be 0 (${dup[0].notifications} in-app notifications for ${dup[0].deliveries} deliveries rows)`,
      },
    ];
  },
};
