import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { Logger } from 'pino';

import { CoreModule, type MendConfig } from '@mend/core';
import { ENTITIES } from '@mend/platform';

import { WORKER_JOB_HANDLERS } from './jobs/worker-job-handlers.js';
import { WorkerRuntime } from './worker-runtime.service.js';

export interface WorkerModuleOptions {
  readonly config: MendConfig;
  readonly logger: Logger;
  /** The `@JobHandler` classes; tests pass a different set to check the refusal. */
  readonly handlers?: readonly Type[];
}

/** The worker process: core services, the job handlers and the runtime that consumes queues. */
@Module({})
export class WorkerModule {
  static forRoot(options: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot({
          config: options.config,
          logger: options.logger,
          entities: ENTITIES,
          applicationName: 'mend-worker',
        }),
        DiscoveryModule,
      ],
      providers: [...(options.handlers ?? WORKER_JOB_HANDLERS), WorkerRuntime],
      exports: [WorkerRuntime],
    };
  }
}
