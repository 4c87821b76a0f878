import type { Job } from 'bullmq';

import { DEFAULT_JOB_OPTIONS, QueueConnection } from '@mend/core';
import { testConfig } from '@mend/testing';

describe('a job that keeps throwing', () => {
  it('is retried with backoff up to its attempts and then kept as failed with its error', async () => {
    const connection = new QueueConnection(testConfig());
    const attemptsSeen: number[] = [];
    try {
      const queue = connection.queue('system');
      const worker = connection.worker(
        'system',
        (job: Job) => {
          attemptsSeen.push(job.attemptsMade);
          return Promise.reject(new Error('synthetic failure'));
        },
        { concurrency: 1 },
      );
      const failedForGood = new Promise<Job>((resolve) => {
        worker.on('failed', (job) => {
          if (job !== undefined && job.attemptsMade >= (DEFAULT_JOB_OPTIONS.attempts ?? 0)) resolve(job);
        });
      });
      void worker.run();
      // The production backoff (seconds, exponential) with a short base delay to keep the test quick.
      await queue.add(
        'system.probe',
        { clinicId: '5f0c6f5e-3c2a-4f0e-9d59-0d6f3b9a1c11' },
        { jobId: 'retry-test', backoff: { type: 'exponential', delay: 5 } },
      );
      const job = await failedForGood;

      expect(attemptsSeen).toHaveLength(DEFAULT_JOB_OPTIONS.attempts ?? 0);
      expect(await job.getState()).toBe('failed');
      expect(job.failedReason).toBe('synthetic failure');
      const stored = await queue.getJob('retry-test');
      expect(stored?.attemptsMade).toBe(DEFAULT_JOB_OPTIONS.attempts);
      await queue.obliterate({ force: true });
    } finally {
      await connection.close();
    }
  }, 30_000);
});
