import type { INestApplicationContext } from '@nestjs/common';

import { createLogger, loadConfigOrExit } from '@mend/core';

import { createWorkerApplication, type WorkerApplicationOptions } from './bootstrap.js';
import { applyHeapGrowth } from './heap-growth.js';
import { settlesWithin } from './settles-within.js';
import { WorkerRuntime } from './worker-runtime.service.js';
import { WorkerStartupError } from './worker-startup.error.js';

/** Upper bound on closing connections once the jobs are done (or abandoned). */
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * The worker process from start to exit: refuses to start with one line on
 * stderr and exit code 1 (bad handler set, unsafe Redis in production, bad
 * configuration), and on SIGTERM or SIGINT stops the relay, lets active jobs
 * finish within SHUTDOWN_GRACE_MS, closes connections and exits 0 (1 when the
 * grace period ran out with jobs still active; those jobs run again elsewhere).
 */
export async function runWorkerProcess(options: WorkerApplicationOptions = {}): Promise<void> {
  const config = loadConfigOrExit({ database: true, redis: true });
  const logger = createLogger(config.logLevel, 'mend-worker');
  applyHeapGrowth(config.workerHeapGrowingPercent);

  let app: INestApplicationContext;
  try {
    app = await createWorkerApplication(config, logger, options);
  } catch (error) {
    logger.fatal({ err: error }, 'Worker failed to start');
    process.exit(1);
  }
  const runtime = app.get(WorkerRuntime);

  let isStopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (isStopping) {
      logger.warn({ signal }, 'Second signal: exiting without waiting for active jobs');
      process.exit(1);
    }
    isStopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'Worker stopping');
    void (async () => {
      const { timedOut } = await runtime.stop(config.shutdownGraceMs);
      if (timedOut) {
        // Closing the queue connection would wait for those jobs again: leave them to stall.
        logger.warn(
          { graceMs: config.shutdownGraceMs },
          'Jobs still active after the grace period; they will run again',
        );
      } else {
        if (!(await settlesWithin(app.close(), CLOSE_TIMEOUT_MS))) logger.warn('Closing connections timed out');
      }
      logger.info('Worker stopped');
      process.exit(timedOut ? 1 : 0);
    })();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    await runtime.start();
  } catch (error) {
    if (isStopping) return;
    if (error instanceof WorkerStartupError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      logger.fatal({ err: error }, 'Worker failed to start');
    }
    await settlesWithin(app.close(), CLOSE_TIMEOUT_MS);
    process.exit(1);
  }
}
