import type { FieldProblem } from '@mend/contracts';

export type { FieldProblem, ProblemDocument } from '@mend/contracts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://mend.example/problems/';

/** Codes of the platform itself; each domain library adds an enum of its own. */
export enum CoreErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedJson = 'malformed_json',
  BodyTooLarge = 'body_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  RouteNotFound = 'route_not_found',
  NotFound = 'not_found',
  Unauthenticated = 'unauthenticated',
  Conflict = 'conflict',
  RuleViolated = 'rule_violated',
  RateLimited = 'rate_limited',
  MethodNotAllowed = 'method_not_allowed',
  DependencyUnavailable = 'dependency_unavailable',
  Internal = 'internal_error',
}

export const CORE_ERROR_STATUS: Record<CoreErrorCode, number> = {
  [CoreErrorCode.ValidationFailed]: 400,
  [CoreErrorCode.MalformedJson]: 400,
  [CoreErrorCode.BodyTooLarge]: 413,
  [CoreErrorCode.UnsupportedMediaType]: 415,
  [CoreErrorCode.RouteNotFound]: 404,
  [CoreErrorCode.NotFound]: 404,
  [CoreErrorCode.Unauthenticated]: 401,
  [CoreErrorCode.Conflict]: 409,
  [CoreErrorCode.RuleViolated]: 422,
  [CoreErrorCode.RateLimited]: 429,
  [CoreErrorCode.MethodNotAllowed]: 405,
  [CoreErrorCode.DependencyUnavailable]: 503,
  [CoreErrorCode.Internal]: 500,
};

/**
 * Base of every error a domain library raises on purpose. `detail` must never
 * contain clinical content or credentials: it is sent to the client as is.
 * `extensions` are extra members of the problem document (RFC 9457 §3.2), e.g.
 * a report's `progress` on a 409; small scalars only, never clinical content.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly detail: string,
    readonly errors?: readonly FieldProblem[],
    readonly extensions?: Readonly<Record<string, string | number | boolean>>,
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

/** Core's own domain errors, e.g. `new CoreError(CoreErrorCode.NotFound, 'No such case')`. */
export class CoreError extends DomainError {
  constructor(code: CoreErrorCode, detail: string, errors?: readonly FieldProblem[]) {
    super(code, CORE_ERROR_STATUS[code], detail, errors);
    this.name = 'CoreError';
  }
}

/** A dependency (PostgreSQL, Redis) is down: 503, with the part named. */
export class DependencyUnavailableError extends CoreError {
  constructor(readonly dependency: 'database' | 'redis' | 'queue') {
    super(CoreErrorCode.DependencyUnavailable, `The ${dependency} is unavailable; try again shortly`);
    this.name = 'DependencyUnavailableError';
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
