import { randomUUID } from 'node:crypto';

import { latencyRows, pace } from '../lib/jobs.mjs';
import { waitFor } from '../lib/stats.mjs';

const ROWS_PER_TRANSACTION = 100;
const WRITERS = 4;

/**
 * Outbox to job, end to end: this process writes outbox rows with `enqueueJob` in
 * committed transactions (as the API does); the built worker's relay publishes
 * them to BullMQ and its `system.probe` handler records each delivery in
 * `probe_receipts`. Latency = received_at - the outbox row's created_at (both
 * PostgreSQL clocks). Each phase uses its own clinic, so row-level security
 * scopes every count to the phase. Compared with raw BullMQ add-to-start.
 */
export const scenario = {
  name: 'mend-outbox',
  description:
    'enqueueJob in committed transactions -> outbox relay -> BullMQ -> system.probe handler (dist/apps/worker)',
  baselines: ['bullmq-noop'],
  quick: true,
  async run(ctx) {
    const { jobCount, jobRatePerSec, pacedSec } = ctx.settings;
    const urls = await ctx.mendDatabase();
    const core = await ctx.importDist('libs/core/src/index.js');
    const database = new core.Database(
      core.createDataSource({
        url: urls.runtimeUrl,
        entities: [],
        poolSize: WRITERS + 2,
        applicationName: 'mend-bench',
      }),
      core.createLogger('warn', 'mend-bench'),
      { maxAttempts: 3 },
    );
    ctx.onCleanup('bench data source', () => database.close());
    await database.whenReady();
    const unitOfWork = new core.UnitOfWork(database);

    const newClinic = async () => {
      const clinicId = randomUUID();
      await unitOfWork.run(clinicId, (tx) =>
        tx.query('insert into clinics (id, name) values ($1, $2)', [clinicId, 'Bench clinic']),
      );
      return clinicId;
    };
    /** `count` rows in transactions of ROWS_PER_TRANSACTION, WRITERS at a time. */
    const writeRows = async (clinicId, count, options = {}) => {
      let next = 0;
      const writer = async () => {
        while (next < count) {
          const size = Math.min(ROWS_PER_TRANSACTION, count - next);
          next += size;
          await unitOfWork.run(clinicId, async (tx) => {
            for (let i = 0; i < size; i += 1) await core.enqueueJob(tx, 'system.probe', {}, options);
          });
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, writer));
    };
    const receipts = (clinicId) =>
      unitOfWork.run(clinicId, async (tx) => {
        const [row] = await tx.query(
          `select count(*)::int as received, coalesce(sum(r.deliveries), 0)::int as deliveries,
                  min(o.created_at) as first_created, max(r.received_at) as last_received
             from probe_receipts r join outbox o on o.clinic_id = r.clinic_id and o.id = r.outbox_id`,
        );
        return row;
      });
    const worker = await ctx.mendWorker();
    const waitForReceipts = (clinicId, expected) =>
      waitFor(
        async () => {
          if (!worker.isRunning()) throw new Error(`the worker exited:\n${ctx.logTail('mend-worker')}`);
          const row = await receipts(clinicId);
          return row.received >= expected ? row : undefined;
        },
        {
          timeoutMs: 60_000 + expected * 20,
          intervalMs: 100,
          message: async () =>
            `only ${(await receipts(clinicId)).received} of ${expected} probe jobs arrived:\n${ctx.logTail('mend-worker')}`,
        },
      );

    // Warm-up, and proof that the worker consumes: a few rows through the whole pipeline.
    const warmClinic = await newClinic();
    await writeRows(warmClinic, 50);
    await waitForReceipts(warmClinic, 50);

    // 1. Latency at a paced rate, one row per transaction (as a request would write it).
    const pacedClinic = await newClinic();
    const pacedCount = jobRatePerSec * pacedSec;
    await pace(pacedCount, jobRatePerSec, () =>
      unitOfWork.run(pacedClinic, (tx) => core.enqueueJob(tx, 'system.probe', {})),
    );
    await waitForReceipts(pacedClinic, pacedCount);
    const latencies = await unitOfWork.run(pacedClinic, async (tx) =>
      (
        await tx.query(
          `select extract(epoch from (r.received_at - o.created_at)) * 1000 as ms
             from probe_receipts r join outbox o on o.clinic_id = r.clinic_id and o.id = r.outbox_id`,
        )
      ).map((row) => Number(row.ms)),
    );

    // 2. Pipeline: write N rows while the worker runs; first created_at to last received_at.
    const pipelineClinic = await newClinic();
    await writeRows(pipelineClinic, jobCount);
    const pipeline = await waitForReceipts(pipelineClinic, jobCount);
    const pipelineSeconds = (pipeline.last_received - pipeline.first_created) / 1000;

    // 3. Drain: N rows written with a far availability time (the relay skips them),
    //    then released at once; release to last received_at.
    const drainClinic = await newClinic();
    await writeRows(drainClinic, jobCount, { availableAt: new Date(Date.now() + 3_600_000) });
    const releasedAt = await unitOfWork.run(drainClinic, async (tx) => {
      // now() is the transaction's start: the same instant as the available_at written.
      const [{ now }] = await tx.query('select now() as now');
      await tx.query('update outbox set available_at = now() where published_at is null');
      return now;
    });
    const drain = await waitForReceipts(drainClinic, jobCount);
    const drainSeconds = (drain.last_received - releasedAt) / 1000;

    const duplicates = await countDuplicates([pacedClinic, pipelineClinic, drainClinic]);
    const pollMs =
      process.env.OUTBOX_POLL_MS ?? core.CONFIG_VARIABLES.find((v) => v.name === 'OUTBOX_POLL_MS')?.defaultValue;
    return [
      ...latencyRows(
        latencies,
        `${pacedCount} rows at ${jobRatePerSec}/s, created_at to received_at (relay poll ${pollMs} ms)`,
        'bullmq-noop',
      ),
      {
        metric: 'pipeline_jobs_per_s',
        value: jobCount / pipelineSeconds,
        unit: 'jobs/s',
        better: 'higher',
        compareWith: { scenario: 'bullmq-noop', metric: 'pipeline_jobs_per_s' },
        note: `${WRITERS} writers, ${ROWS_PER_TRANSACTION} rows per transaction, while the worker runs`,
      },
      {
        metric: 'drain_jobs_per_s',
        value: jobCount / drainSeconds,
        unit: 'jobs/s',
        better: 'higher',
        compareWith: { scenario: 'bullmq-noop', metric: 'drain_jobs_per_s' },
        note: `${jobCount} rows released at once; relay + probe handler (one transaction per job)`,
      },
      {
        metric: 'duplicate_deliveries',
        value: duplicates,
        unit: 'jobs',
        better: 'lower',
        note: 'must be 0 (probe_receipts.deliveries > 1)',
      },
    ];

    async function countDuplicates(clinics) {
      let total = 0;
      for (const clinicId of clinics) {
        const row = await receipts(clinicId);
        total += row.deliveries - row.received;
      }
      return total;
    }
  },
};
