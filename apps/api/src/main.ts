import 'reflect-metadata';

import { createLogger, loadConfigOrExit } from '@mend/core';

import { createApiApplication } from './bootstrap.js';

const config = loadConfigOrExit({ database: true, redis: true });
const logger = createLogger(config.logLevel, 'mend-api');
const app = await createApiApplication(config, logger);
await app.listen({ host: config.host, port: config.port });
logger.info({ host: config.host, port: config.port }, 'API listening');
