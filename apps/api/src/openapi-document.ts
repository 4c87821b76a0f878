import { randomBytes } from 'node:crypto';

import type { OpenAPIObject } from '@nestjs/swagger';

import { createLogger, loadConfig } from '@mend/core';

import { buildOpenApiDocument, createApiApplication } from './bootstrap.js';

/**
 * The OpenAPI document of the API, rendered without PostgreSQL or Redis: the
 * application is built (not started) with a configuration that points nowhere
 * (the database connects in the background and is never reached; the PostgreSQL
 * queue backend opens nothing until a job is added), the document is read from
 * its controllers, and the application is closed. The web app's typed client is
 * generated from this file (apps/web/scripts/generate-api.mjs).
 */
export async function renderOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig(
    {
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      // Port 9 (discard): refused at once; the connection is retried in the background until close.
      DATABASE_URL: 'postgres://openapi@127.0.0.1:9/openapi',
      // The embedded demo's queue backend: nothing connects until a job is added (Redis would connect at once).
      MEND_DEMO: 'true',
      QUEUE_BACKEND: 'postgres',
      JWT_SECRET: randomBytes(48).toString('base64'),
      MASTER_KEY: randomBytes(32).toString('base64'),
    },
    { database: true, jwtSecret: true, masterKey: true },
  );
  const app = await createApiApplication(config, createLogger('silent', 'mend-openapi'));
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
