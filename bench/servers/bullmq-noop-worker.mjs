// Raw baseline: a BullMQ worker doing nothing, in its own process like Mend's
// worker. The parent says how many completions to expect; this process answers
// when they are all done, with each job's add-to-start latency.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const connection = new Redis(process.env.BENCH_REDIS_URL, { maxRetriesPerRequest: null });
connection.on('error', () => undefined);

let expected = Infinity;
let completed = 0;
let latencies = [];
let lastDoneAt = 0;

const worker = new Worker(
  process.env.BENCH_QUEUE,
  async (job) => {
    latencies.push(Date.now() - job.timestamp);
  },
  {
    connection,
    prefix: process.env.BENCH_PREFIX,
    concurrency: Number(process.env.BENCH_CONCURRENCY),
    autorun: false,
  },
);
worker.on('error', () => undefined);
worker.on('completed', () => {
  completed += 1;
  lastDoneAt = Date.now();
  if (completed === expected) {
    process.send({ event: 'done', completed, lastDoneAt, latencies });
    expected = Infinity;
  }
});

process.on('message', (message) => {
  if (message.command === 'expect') {
    expected = message.count;
    completed = 0;
    latencies = [];
    if (!worker.isRunning()) void worker.run();
  }
});
process.on(
  'SIGTERM',
  () =>
    void worker
      .close()
      .then(() => connection.quit())
      .finally(() => process.exit(0)),
);

await worker.waitUntilReady();
process.send({ event: 'ready' });
