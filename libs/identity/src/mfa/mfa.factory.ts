import type { Redis } from 'ioredis';

import type { EnvelopeEncryption, UnitOfWork } from '@mend/core';

import { createSlidingWindow } from '../throttle/sliding-window.js';
import { MfaService } from './mfa.service.js';
import { SqlMfaStore } from './mfa.store.js';

export interface MfaServiceDependencies {
  readonly unitOfWork: UnitOfWork;
  /** Built from the config's MASTER_KEY (`new EnvelopeEncryption(config.masterKey)`). */
  readonly encryption: EnvelopeEncryption;
  /**
   * Redis for the attempt limit, shared by every API instance. `undefined` only in
   * the embedded demo (QUEUE_BACKEND=postgres, one process): the limit is then in memory.
   */
  readonly redis: Redis | undefined;
  /** config.queue.prefix */
  readonly keyPrefix: string;
  /** Milliseconds since the epoch (the identity clock); tests move it across TOTP steps. */
  readonly now?: () => number;
}

/** The production wiring: PostgreSQL store (runtime role, RLS) and the attempt limit in Redis. */
export function createMfaService(dependencies: MfaServiceDependencies): MfaService {
  return new MfaService(
    new SqlMfaStore(dependencies.unitOfWork),
    dependencies.encryption,
    createSlidingWindow(dependencies.redis),
    { keyPrefix: dependencies.keyPrefix, now: dependencies.now },
  );
}
