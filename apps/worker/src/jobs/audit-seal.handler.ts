import { Inject } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';

import { AuditSealer, AuditSealError, type SealResult } from '@mend/audit';
import { JobHandler, UnitOfWork, type JobHandlerInstance, type MendJob } from '@mend/core';

/**
 * Seals a clinic's finished audit rows now (on demand; the worker also seals
 * every clinic periodically, see AuditSealLoop). Idempotent: a second delivery
 * finds nothing new to seal, or seals what committed since.
 */
@JobHandler('audit.seal')
export class AuditSealHandler implements JobHandlerInstance {
  private readonly sealer = new AuditSealer();

  constructor(@Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork) {}

  async handle(job: MendJob): Promise<Pick<SealResult, 'sealed' | 'k' | 'rowCount'>> {
    try {
      const { sealed, k, rowCount } = await this.sealer.sealClinic(this.unitOfWork, job.data.clinicId);
      return { sealed, k, rowCount };
    } catch (error) {
      // Fails the same way on every attempt until an operator re-anchors the chain.
      if (error instanceof AuditSealError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
