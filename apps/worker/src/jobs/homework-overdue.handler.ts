import { Inject } from '@nestjs/common';

import { JobHandler, UnitOfWork, type JobHandlerInstance, type MendJob } from '@mend/core';
import { markOverdueOccurrences } from '@mend/homework';

/**
 * Records `overdue` on one clinic's lapsed homework occurrences now (on demand;
 * the worker also scans every clinic periodically, see HomeworkOverdueLoop).
 * Idempotent: a second delivery finds nothing left to mark.
 */
@JobHandler('homework.mark-overdue')
export class HomeworkMarkOverdueHandler implements JobHandlerInstance {
  constructor(@Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork) {}

  async handle(job: MendJob): Promise<{ marked: number }> {
    const marked = await this.unitOfWork.run(job.data.clinicId, (tx) => markOverdueOccurrences(tx, new Date()));
    return { marked };
  }
}
