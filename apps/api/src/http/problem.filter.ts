import { randomUUID } from 'node:crypto';

import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

import {
  CORE_ERROR_STATUS,
  CoreErrorCode,
  currentContext,
  DomainError,
  type FieldProblem,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  type ProblemDocument,
  problemTitle,
} from '@mend/core';

interface Classified {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly FieldProblem[];
  readonly extensions?: Readonly<Record<string, string | number | boolean>>;
}

// Classified codes are plain strings (domain libraries add their own), so the enum
// member is compared as a string.
const INTERNAL_ERROR_CODE: string = CoreErrorCode.Internal;

/** PostgreSQL and socket failures that mean "the database is down", not "the request is bad". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/**
 * The one place errors become responses: `application/problem+json` with a
 * stable code and the correlation id. Unexpected errors become a 500 carrying
 * an error id that is logged; internals never reach the client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const correlationId = String(request.id ?? currentContext()?.correlationId ?? randomUUID());

    const classified = classify(exception);
    let errorId: string | undefined;
    if (classified.status >= 500 && classified.code === INTERNAL_ERROR_CODE) {
      errorId = randomUUID();
      this.logger.error({ errorId, err: exception }, 'Unhandled error');
    } else if (classified.status >= 500) {
      this.logger.warn({ code: classified.code }, classified.detail);
    }

    const body: ProblemDocument = {
      // Extension members first: the standard members below always win a name clash.
      ...classified.extensions,
      type: `${PROBLEM_TYPE_BASE}${classified.code}`,
      title: problemTitle(classified.status),
      status: classified.status,
      detail: classified.detail,
      code: classified.code,
      instance: request.url.split('?')[0],
      correlationId,
      ...(classified.errors !== undefined && { errors: classified.errors }),
      ...(errorId !== undefined && { errorId }),
    };
    const retryAfter = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (classified.status === 429 && typeof retryAfter === 'number' && retryAfter > 0) {
      void reply.header('retry-after', String(Math.ceil(retryAfter)));
    }
    if (classified.status === 401) void reply.header('www-authenticate', 'Bearer realm="mend"');
    // A dependency that is down or saturated (no pooled connection within its timeout): come back shortly.
    if (classified.status === 503) void reply.header('retry-after', '5');
    void reply
      .status(classified.status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .header('x-request-id', correlationId)
      .send(body);
  }
}

export function classify(exception: unknown): Classified {
  if (exception instanceof DomainError) {
    return {
      status: exception.status,
      code: exception.code,
      detail: exception.detail,
      errors: exception.errors,
      extensions: exception.extensions,
    };
  }
  // Nest wraps Fastify's own 4xx errors (body parsing, media type) in an HttpException.
  const fastify = asFastifyError(exception instanceof HttpException ? (exception.cause ?? exception) : exception);
  if (fastify !== undefined) return fastify;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404) {
      return { status, code: CoreErrorCode.RouteNotFound, detail: 'No such route' };
    }
    const code = codeForStatus(status);
    return {
      status,
      code,
      detail: status >= 500 ? 'The server could not complete the request' : safeHttpMessage(exception, status),
    };
  }
  const dbCode =
    (exception as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ??
    (exception as { code?: unknown })?.code;
  if (typeof dbCode === 'string' && (UNAVAILABLE_CODES.has(dbCode) || dbCode.startsWith('08'))) {
    return {
      status: 503,
      code: CoreErrorCode.DependencyUnavailable,
      detail: 'A dependency is unavailable; try again shortly',
    };
  }
  if (
    exception instanceof Error &&
    /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
      exception.message,
    )
  ) {
    return {
      status: 503,
      code: CoreErrorCode.DependencyUnavailable,
      detail: 'A dependency is unavailable; try again shortly',
    };
  }
  return { status: 500, code: CoreErrorCode.Internal, detail: 'The server could not complete the request' };
}

/** Fastify's own errors (body parsing, media types) carry a code and a 4xx statusCode. */
function asFastifyError(exception: unknown): Classified | undefined {
  const error = exception as { code?: unknown; statusCode?: unknown };
  if (exception instanceof SyntaxError && error.statusCode === 400) {
    return { status: 400, code: CoreErrorCode.MalformedJson, detail: 'The body is not valid JSON' };
  }
  if (typeof error?.code !== 'string' || !error.code.startsWith('FST_')) return undefined;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: CoreErrorCode.BodyTooLarge, detail: 'The request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? { status: 415, code: CoreErrorCode.UnsupportedMediaType, detail: 'Send the body as application/json' }
        : { status: 400, code: CoreErrorCode.MalformedJson, detail: 'The Content-Length does not match the body' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: CoreErrorCode.MalformedJson, detail: 'The body is not valid JSON' };
    default: {
      const status =
        typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
          ? error.statusCode
          : 400;
      return { status, code: codeForStatus(status), detail: problemTitle(status) };
    }
  }
}

function codeForStatus(status: number): string {
  const known = (Object.entries(CORE_ERROR_STATUS) as [CoreErrorCode, number][]).find(
    ([code, value]) => value === status && code !== CoreErrorCode.RouteNotFound && code !== CoreErrorCode.MalformedJson,
  );
  return known?.[0] ?? (status >= 500 ? CoreErrorCode.Internal : CoreErrorCode.ValidationFailed);
}

function safeHttpMessage(exception: HttpException, status: number): string {
  const response = exception.getResponse();
  if (
    typeof response === 'object' &&
    response !== null &&
    typeof (response as { message?: unknown }).message === 'string'
  ) {
    return (response as { message: string }).message;
  }
  return problemTitle(status);
}
