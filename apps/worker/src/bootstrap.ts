import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';

import { PinoLoggerService, type MendConfig } from '@mend/core';

import { WorkerModule } from './worker.module.js';

export interface WorkerApplicationOptions {
  /** The `@JobHandler` classes (default: every handler of the worker). */
  readonly handlers?: readonly Type[];
}

/** The worker's Nest application context (no HTTP); `WorkerRuntime.start()` makes it consume. */
export function createWorkerApplication(
  config: MendConfig,
  logger: Logger,
  options: WorkerApplicationOptions = {},
): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(WorkerModule.forRoot({ config, logger, handlers: options.handlers }), {
    logger: new PinoLoggerService(logger.child({ component: 'nest' })),
    bufferLogs: false,
    // Signals are handled by runWorkerProcess, which bounds the shutdown.
    abortOnError: false,
  });
}
