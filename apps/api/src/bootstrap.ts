import { randomUUID } from 'node:crypto';

import fastifyCookie from '@fastify/cookie';
import { RequestMethod, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Logger } from 'pino';

import { PinoLoggerService, runWithContext, type MendConfig } from '@mend/core';

import { ApiModule } from './api.module.js';
import type { IdentityApiOptions } from './auth/identity-api.module.js';
import { UnitOfWorkHandlers } from './auth/unit-of-work.handlers.js';
import { ProblemFilter } from './http/problem.filter.js';
import { FieldProblemResponse, ProblemResponse } from './http/problem.response.js';
import { answerRouterError } from './http/router-errors.js';
import { createValidationPipe } from './http/validation.js';
import { serveWebApp, type WebAppOptions } from './http/web-app.js';
import { mountQueueDashboard } from './ops/queue-dashboard.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Strict-Transport-Security of every response. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

export interface ApiApplicationOptions {
  readonly extraControllers?: readonly Type[];
  readonly identity?: IdentityApiOptions;
  /** Serve the built web app at `/` (main does when dist/apps/web exists). */
  readonly web?: WebAppOptions;
}

/** Builds the HTTP application (not listening yet): used by main, the demo and tests. */
export async function createApiApplication(
  config: MendConfig,
  logger: Logger,
  options: ApiApplicationOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // A hop count is valid at run time (proxy-addr) though Fastify's types omit it.
    trustProxy: config.trustProxy as boolean | string[],
    // One correlation id per request: a caller's own X-Request-Id when it is safe, else a new one.
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const header = request.headers['x-request-id'];
      return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    // The router's own refusals (a path that is not UTF-8, an over-long path parameter) as problem+json.
    frameworkErrors: answerRouterError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot({ config, logger, extraControllers: options.extraControllers, identity: options.identity }),
    adapter,
    {
      logger: new PinoLoggerService(logger.child({ component: 'nest' })),
      bufferLogs: false,
      abortOnError: false,
      bodyParser: false,
    },
  );

  // Every route handler runs in a unit of work (signed-in requests): wrapped before Nest registers the routes.
  try {
    app.get(UnitOfWorkHandlers).install(app);
  } catch (error) {
    await app.close();
    throw error;
  }

  // Cookies of browser clients (tokens and the CSRF double submit); none is signed by the plugin.
  await app.register(fastifyCookie);
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only: any other body is refused with 415 rather than parsed into a surprise.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    fastify.getDefaultJsonParser('error', 'error'),
  );
  fastify.addHook('onRequest', (request, _reply, done) => {
    runWithContext({ correlationId: String(request.id), request }, () => done());
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', String(request.id));
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    // HSTS on every answer (browsers honour it over https only): a year, subdomains too (ASVS 14.4.5).
    void reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    if (request.url.startsWith('/api/v1') && !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info(
      { req: request, res: reply, correlationId: String(request.id), responseTimeMs: Math.round(reply.elapsedTime) },
      'request completed',
    );
    done();
  });

  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter(logger));

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
  await mountQueueDashboard(app, config);
  if (options.web !== undefined) await serveWebApp(app, options.web);
  return app;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Mend API')
    .setDescription(
      'Case management for counselors who help people rebuild trust after a betrayal. ' +
        'Every error is application/problem+json with a stable `code` and a `correlationId` (also sent as X-Request-Id).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addCookieAuth('__Host-mend_access', {
      type: 'apiKey',
      in: 'cookie',
      description:
        'Browsers: the access cookie set by POST /api/v1/auth/login with tokenDelivery=cookie (named mend_access only over plain http on a non-loopback host in development). Unsafe methods then need X-CSRF-Token = the mend_csrf cookie.',
    })
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ProblemResponse, FieldProblemResponse] });
}
