import { UnrecoverableError, type Job } from 'bullmq';

import { assertJobPayload, runWithContext, type JobHandlerInstance, type MendJob } from '@mend/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks what a job carries before any handler sees it. The relay adds
 * `outboxId` and `enqueuedAt` to the payload written by `enqueueJob`, so they are
 * checked apart: the payload's own field limit applies to what application code
 * wrote. Throws `UnrecoverableError`, because a malformed payload fails the same
 * way on every attempt and retrying it only delays the operator's alert.
 */
export function assertJobData(job: Pick<Job, 'name' | 'data'>): asserts job is MendJob {
  const data: unknown = job.data;
  try {
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new TypeError('A job payload is a flat object');
    const { outboxId, enqueuedAt, ...payload } = data as Record<string, unknown>;
    if (outboxId !== undefined && (typeof outboxId !== 'string' || !UUID.test(outboxId))) {
      throw new TypeError('Job field "outboxId" must be a uuid');
    }
    if (enqueuedAt !== undefined && (typeof enqueuedAt !== 'string' || Number.isNaN(Date.parse(enqueuedAt)))) {
      throw new TypeError('Job field "enqueuedAt" must be an ISO date');
    }
    assertJobPayload(payload);
  } catch (error) {
    // The TypeErrors above name fields, never values, so the message is safe to store and log.
    const reason = error instanceof Error ? error.message : 'invalid payload';
    throw new UnrecoverableError(`Invalid payload for job "${job.name}": ${reason}`);
  }
}

/**
 * The BullMQ processor of one queue: checks the payload, then runs the job's
 * handler with the job and clinic ids in the logging context.
 */
export function createJobProcessor(
  queueName: string,
  handlers: ReadonlyMap<string, JobHandlerInstance>,
): (job: Job) => Promise<unknown> {
  return async (job: Job) =>
    runWithContext({ jobId: job.id }, async () => {
      const handler = handlers.get(job.name);
      if (handler === undefined) {
        // The relay only publishes declared jobs, so this is a job added by hand or by an older release.
        throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queueName}"`);
      }
      assertJobData(job);
      return runWithContext({ jobId: job.id, clinicId: job.data.clinicId }, () => handler.handle(job));
    });
}
