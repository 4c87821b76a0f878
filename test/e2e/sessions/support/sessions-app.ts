import { Writable } from 'node:stream';

import { createLogger, Database } from '@mend/core';
import { ManualClock, type IdentityServices } from '@mend/identity';
import { testConfig, testRunLogDestination } from '@mend/testing';

import { IDENTITY_SERVICES } from '../../../../apps/api/src/auth/identity.tokens.js';
import { createApiApplication } from '../../../../apps/api/src/bootstrap.js';
import { fakeSecondFactor, type IdentityApp } from '../../auth/support/identity-app.js';

/** The API like startIdentityApp, but every log line (level trace) is kept in memory for the canary checks. */
export async function startLoggedApp(): Promise<IdentityApp & { readonly logs: () => string }> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      // Also into the run's log file, which the global teardown scans after the whole suite.
      testRunLogDestination()?.write(chunk.toString('utf8'));
      done();
    },
  });
  // The production logger (its redaction and serializers), at the most verbose level, into memory.
  const logger = createLogger('trace', 'sessions-e2e', { destination: sink });
  const clock = new ManualClock();
  const app = await createApiApplication(testConfig({ LOG_LEVEL: 'trace' }), logger, {
    identity: { clock, secondFactor: fakeSecondFactor() },
  });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  await app.get(Database).whenReady();
  return {
    app,
    identity: app.get<IdentityServices>(IDENTITY_SERVICES),
    clock,
    inject: (options) => fastify.inject(options),
    close: () => app.close(),
    logs: () => lines.join(''),
  };
}
