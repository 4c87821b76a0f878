import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';

import type { JobName, JobPayload } from './job-definitions.js';

/** Reflect-metadata key under which {@link JobHandler} records the job name. */
export const JOB_HANDLER_METADATA = 'mend:job-handler';

/**
 * What the worker hands a handler: the payload as written to the outbox, plus
 * the envelope the relay adds (the outbox id, which is also the job id, and the
 * time the outbox row was written).
 */
export type MendJob = Job<JobPayload & { readonly outboxId?: string; readonly enqueuedAt?: string }>;

/** A class that runs one declared job. */
export interface JobHandlerInstance {
  handle(job: MendJob): Promise<unknown>;
}

/**
 * Marks an injectable class as the handler of one job declared in
 * `JOB_DEFINITIONS`. The worker discovers these at boot and refuses to start
 * when a job has no handler or two, or a handler names an undeclared job.
 */
export function JobHandler(jobName: JobName): ClassDecorator {
  return applyDecorators(SetMetadata(JOB_HANDLER_METADATA, jobName), Injectable());
}

/** The job a class handles, or `undefined` when it is not a job handler. */
export function jobHandlerNameOf(target: unknown): string | undefined {
  if (typeof target !== 'function') return undefined;
  const name: unknown = Reflect.getMetadata(JOB_HANDLER_METADATA, target);
  return typeof name === 'string' ? name : undefined;
}
