import type { Logger } from 'pino';

import type { AuditSealer, SealPassResult } from '@mend/audit';
import type { UnitOfWork } from '@mend/core';

import { describeError } from '../describe-error.js';
import { PeriodicLoop } from '../periodic-loop.js';

export interface AuditSealLoopOptions {
  readonly intervalMs: number;
  readonly logger: Logger;
}

/**
 * Every `intervalMs` (and once at start, to catch up after downtime): finds the
 * clinics with unsealed audit rows and seals each in its own short unit of work.
 *
 * The worker seals directly rather than enqueueing `audit.seal` jobs through the
 * outbox: sealing touches only PostgreSQL, so a queue round trip would add
 * Redis and an outbox row per clinic per minute for nothing, and the outbox has
 * no deterministic job ids to collapse the duplicates of several workers.
 * Several workers sealing at once are safe: a clinic's sealers take turns on a
 * transaction-level advisory lock, and the later one seals only what is new.
 */
export class AuditSealLoop {
  private readonly loop: PeriodicLoop;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly sealer: AuditSealer,
    private readonly options: AuditSealLoopOptions,
  ) {
    this.loop = new PeriodicLoop(options.intervalMs, () => this.runOnce());
  }

  start(): void {
    this.loop.start();
  }

  /** Stops scheduling and waits for a pass in progress (each clinic's seal is one short transaction). */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass; never throws (failures are logged, the next pass retries). */
  async runOnce(): Promise<SealPassResult | undefined> {
    const { logger } = this.options;
    try {
      const result = await this.sealer.sealUnsealedClinics(this.unitOfWork);
      const seals = result.sealed.filter((seal) => seal.sealed);
      if (seals.length > 0) {
        logger.info(
          { clinics: seals.length, rows: seals.reduce((sum, seal) => sum + seal.rowCount, 0) },
          'Audit rows sealed',
        );
      }
      for (const seal of result.sealed) {
        if (seal.mismatchedRows > 0) {
          logger.error(
            { clinicId: seal.clinicId, seal: seal.k, rows: seal.mismatchedRows },
            'Audit rows whose hash does not match their fields were sealed; run audit:verify for this clinic',
          );
        }
      }
      for (const failure of result.failed) {
        logger.error({ clinicId: failure.clinicId, error: describeError(failure.error) }, 'Sealing audit rows failed');
      }
      return result;
    } catch (error) {
      logger.error({ error: describeError(error) }, 'Audit seal pass failed; retrying at the next interval');
      return undefined;
    }
  }
}
