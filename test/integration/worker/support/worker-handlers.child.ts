// The real worker process (runWorkerProcess, as main.ts runs it) with a handler
// set chosen by WORKER_HANDLER_SET, so a test can watch it refuse to start.
import 'reflect-metadata';

import type { Type } from '@nestjs/common';

import { JobHandler, type JobHandlerInstance, type JobName } from '@mend/core';

import { WORKER_JOB_HANDLERS } from '../../../../apps/worker/src/jobs/worker-job-handlers.js';
import { runWorkerProcess } from '../../../../apps/worker/src/worker-process.js';

@JobHandler('system.probe')
class SecondProbeHandler implements JobHandlerInstance {
  handle(): Promise<void> {
    return Promise.resolve();
  }
}

@JobHandler('system.retired' as JobName)
class RetiredJobHandler implements JobHandlerInstance {
  handle(): Promise<void> {
    return Promise.resolve();
  }
}

const handlerSets: Record<string, readonly Type[]> = {
  all: WORKER_JOB_HANDLERS,
  none: [],
  duplicate: [...WORKER_JOB_HANDLERS, SecondProbeHandler],
  undeclared: [...WORKER_JOB_HANDLERS, RetiredJobHandler],
};

await runWorkerProcess({ handlers: handlerSets[process.env.WORKER_HANDLER_SET ?? 'all'] });
