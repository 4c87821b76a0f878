import type { TenantTransaction } from '../database/unit-of-work.js';
import { assertJobPayload, JOB_DEFINITIONS, type JobName } from '../queue/job-definitions.js';

export interface EnqueueOptions {
  /** Not before this time (a reminder's send time, say). */
  readonly availableAt?: Date;
}

/**
 * The only way application code schedules work: an outbox row written in the
 * caller's transaction, so the job exists exactly when the change commits.
 * The payload's clinic must be the transaction's clinic.
 */
export async function enqueueJob(
  tx: TenantTransaction,
  jobName: JobName,
  payload: Record<string, string | number | boolean | null>,
  options: EnqueueOptions = {},
): Promise<string> {
  const fullPayload = { ...payload, clinicId: tx.clinicId };
  assertJobPayload(fullPayload);
  const rows = await tx.query<{ id: string }>(
    `insert into outbox (clinic_id, queue, job_name, payload, available_at)
     values ($1, $2, $3, $4, coalesce($5::timestamptz, now()))
     returning id`,
    [
      tx.clinicId,
      JOB_DEFINITIONS[jobName].queue,
      jobName,
      JSON.stringify(fullPayload),
      options.availableAt?.toISOString() ?? null,
    ],
  );
  return rows[0].id;
}
