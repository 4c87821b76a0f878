import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { latencyRows, pace, withTimeout } from '../lib/jobs.mjs';

const QUEUE = 'noop';
const CHUNK = 1_000;

/**
 * Raw baseline: BullMQ on Redis with a no-op worker in its own process (at Mend's
 * worker concurrency). Three phases on N jobs: add with the worker stopped,
 * drain them, then add while the worker runs (the pipeline Mend's outbox
 * compares with); and a paced phase for add-to-start latency.
 */
export const scenario = {
  name: 'bullmq-noop',
  description: 'BullMQ on Redis: add, drain, and add while draining N no-op jobs; add-to-start latency at a paced rate',
  isBaseline: true,
  quick: true,
  async run(ctx) {
    const { jobCount, jobRatePerSec, pacedSec, workerConcurrency } = ctx.settings;
    const prefix = `${ctx.queuePrefix}-raw`;
    ctx.cleanRedisPrefixAtEnd();
    const connection = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const queue = new Queue(QUEUE, { connection, prefix });
    queue.on('error', () => undefined);
    ctx.onCleanup('bullmq baseline queue', async () => {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    });

    const worker = await ctx.startNode(
      'bullmq-noop-worker',
      new URL('../servers/bullmq-noop-worker.mjs', import.meta.url).pathname,
      {
        ipc: true,
        env: {
          ...process.env,
          BENCH_REDIS_URL: ctx.redisUrl,
          BENCH_QUEUE: QUEUE,
          BENCH_PREFIX: prefix,
          BENCH_CONCURRENCY: String(workerConcurrency),
        },
      },
    );
    const expect = (count) => {
      const done = new Promise((resolve) => {
        const listener = (message) => {
          if (message.event !== 'done') return;
          worker.off('message', listener);
          resolve(message);
        };
        worker.on('message', listener);
      });
      worker.send({ command: 'expect', count });
      return withTimeout(done, 120_000, `the BullMQ worker did not complete ${count} jobs`);
    };
    const addAll = async (count) => {
      for (let offset = 0; offset < count; offset += CHUNK) {
        const size = Math.min(CHUNK, count - offset);
        await queue.addBulk(Array.from({ length: size }, (_, i) => ({ name: 'noop', data: { n: offset + i } })));
      }
    };

    // 1. Add only: the worker has not started yet.
    let started = performance.now();
    await addAll(jobCount);
    const addSeconds = (performance.now() - started) / 1000;

    // 2. Drain what was added.
    const drainStartedAt = Date.now();
    const drained = await expect(jobCount);
    const drainSeconds = (drained.lastDoneAt - drainStartedAt) / 1000;

    // 3. Add while the worker runs: first add to last completion.
    const pipeline = expect(jobCount);
    const pipelineStartedAt = Date.now();
    await addAll(jobCount);
    const pipelineSeconds = ((await pipeline).lastDoneAt - pipelineStartedAt) / 1000;

    // 4. Paced: one job at a time at a fixed rate, so latency is not queueing.
    const pacedCount = jobRatePerSec * pacedSec;
    const paced = expect(pacedCount);
    await pace(pacedCount, jobRatePerSec, (i) => queue.add('noop', { n: i }));
    const { latencies } = await paced;

    return [
      {
        metric: 'add_jobs_per_s',
        value: jobCount / addSeconds,
        unit: 'jobs/s',
        better: 'higher',
        note: `${jobCount} jobs, addBulk of ${CHUNK}`,
      },
      {
        metric: 'drain_jobs_per_s',
        value: jobCount / drainSeconds,
        unit: 'jobs/s',
        better: 'higher',
        note: `concurrency ${workerConcurrency}`,
      },
      {
        metric: 'pipeline_jobs_per_s',
        value: jobCount / pipelineSeconds,
        unit: 'jobs/s',
        better: 'higher',
        note: 'add while draining, first add to last completion',
      },
      ...latencyRows(latencies, `${pacedCount} jobs at ${jobRatePerSec}/s, add to processor start`),
    ];
  },
};
