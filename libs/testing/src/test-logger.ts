import { join } from 'node:path';

import { pino, type DestinationStream, type Logger } from 'pino';

import { createLogger } from '@mend/core';

let runLog: DestinationStream | undefined;

/**
 * This test run's log file for this process (MEND_TEST_LOG_DIR, set by
 * test/global-setup.ts), or undefined outside a managed run. One synchronous
 * append-only stream per process, shared by every app the process starts.
 */
export function testRunLogDestination(): DestinationStream | undefined {
  const directory = process.env.MEND_TEST_LOG_DIR;
  if (directory === undefined || directory === '') return undefined;
  runLog ??= pino.destination({ dest: join(directory, `test-${process.pid}.log`), sync: true, mkdir: true });
  return runLog;
}

/**
 * The production logger (its redaction and serializers) for an app a test
 * starts: at level trace into this run's log file, which the global teardown
 * scans for the psychotherapy-note canary after the suite; silent otherwise.
 */
export function testLogger(name: string): Logger {
  const destination = testRunLogDestination();
  return destination === undefined ? createLogger('silent', name) : createLogger('trace', name, { destination });
}
