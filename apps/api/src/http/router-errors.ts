import { randomUUID } from 'node:crypto';

import type { FastifyReply, FastifyRequest } from 'fastify';

import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, type ProblemDocument } from '@mend/core';

const ROUTER_ERRORS: Readonly<Record<string, { status: number; code: string; title: string; detail: string }>> = {
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'malformed_url',
    title: 'Bad Request',
    detail: 'The URL is not valid: a percent-encoded sequence is not UTF-8',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'uri_too_long',
    title: 'URI Too Long',
    detail: 'A path segment is too long',
  },
};

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route or hook
 * runs (a path that is not UTF-8, a path parameter over `maxParamLength`) is
 * answered like every other error — problem+json with a correlation id and the
 * API's headers — instead of Fastify's own JSON, which echoes the path.
 */
export function answerRouterError(error: { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const known = ROUTER_ERRORS[error.code ?? ''] ?? {
    status: 400,
    code: 'bad_request',
    title: 'Bad Request',
    detail: 'The request could not be routed',
  };
  const correlationId = String(request.id ?? randomUUID());
  const body: ProblemDocument = {
    type: `${PROBLEM_TYPE_BASE}${known.code}`,
    title: known.title,
    status: known.status,
    detail: known.detail,
    code: known.code,
    correlationId,
  };
  void reply
    .status(known.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-request-id', correlationId)
    .send(body);
}
