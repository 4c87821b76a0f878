import { Inject } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';

import { JobHandler, UnitOfWork, type JobHandlerInstance, type MendJob } from '@mend/core';

/**
 * Records each delivery of a probe job in `probe_receipts`, keyed by the outbox
 * id: a second delivery increments `deliveries` instead of inserting, so the
 * table is the ground truth for exactly-once tests, `/health` and benchmarks.
 */
@JobHandler('system.probe')
export class SystemProbeHandler implements JobHandlerInstance {
  constructor(@Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork) {}

  async handle(job: MendJob): Promise<void> {
    const { clinicId, outboxId, enqueuedAt } = job.data;
    if (outboxId === undefined || enqueuedAt === undefined) {
      throw new UnrecoverableError(
        'A system.probe job is published by the outbox relay (it needs outboxId and enqueuedAt)',
      );
    }
    await this.unitOfWork.run(clinicId, (tx) =>
      tx.query(
        `insert into probe_receipts (clinic_id, outbox_id, enqueued_at)
         values ($1, $2, $3)
         on conflict (clinic_id, outbox_id) do update set deliveries = probe_receipts.deliveries + 1`,
        [clinicId, outboxId, enqueuedAt],
      ),
    );
  }
}
