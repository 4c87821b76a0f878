import 'reflect-metadata';

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLogger, loadConfigOrExit } from '@mend/core';

import { createApiApplication } from './bootstrap.js';
import { isWebAppBuilt } from './http/web-app.js';

const config = loadConfigOrExit({ database: true, redis: true, jwtSecret: true, masterKey: true });
// One line per request: written asynchronously, so the event loop never waits for stdout.
const logger = createLogger(config.logLevel, 'mend-api', { asyncOutput: true });
// The web app's build (npm run build) sits beside the API's: dist/apps/web next to dist/apps/api.
const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const serveWeb = isWebAppBuilt(webRoot);
if (!serveWeb) logger.warn('The web app is not built (dist/apps/web/index.html is missing): serving the API only');
const app = await createApiApplication(config, logger, serveWeb ? { web: { root: webRoot } } : {});

let isStopping = false;
/** Stops taking requests, lets those in flight finish within SHUTDOWN_GRACE_MS, closes connections, exits 0. */
function shutdown(signal: NodeJS.Signals): void {
  if (isStopping) process.exit(1);
  isStopping = true;
  logger.info({ signal, graceMs: config.shutdownGraceMs }, 'API stopping');
  const deadline = setTimeout(() => {
    logger.warn('Requests still open after the grace period; exiting');
    process.exit(1);
  }, config.shutdownGraceMs);
  deadline.unref();
  app.close().then(
    () => {
      logger.info('API stopped');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'API did not close cleanly');
      process.exit(1);
    },
  );
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

await app.listen({ host: config.host, port: config.port });
logger.info({ host: config.host, port: config.port }, 'API listening');
