import type { LightMyRequestResponse } from 'fastify';

import { ECHO_MARKER } from './payloads.js';

/**
 * What every response must be, whatever was sent: no 5xx; errors as
 * application/problem+json with the status, a stable code and the correlation
 * id; no stack trace, SQL or driver text anywhere; error bodies never echo the
 * request; the API's own headers on every /api/v1 answer.
 */

/** Internals that no response body may carry, not even a 2xx echoing stored text (payloads never contain these). */
const INTERNAL_SIGNATURES: readonly [string, RegExp][] = [
  ['stack frame', /\bat (?:async )?[\w$.<>[\]]+ \((?:\/|file:|node:)[^)]*:\d+:\d+\)/],
  ['stack frame', /\n\s+at [^\n]+:\d+:\d+/],
  ['source path', /\/(?:node_modules|libs|apps|dist)\/[\w@/.-]+\.(?:ts|js|mjs|cjs)\b/],
  ['driver error', /\b(?:QueryFailedError|EntityNotFoundError|TypeORMError|DatabaseError|PostgresError)\b/],
  ['SQL error', /\bsyntax error at or near\b/i],
  ['SQL error', /\brelation "[^"]+" does not exist\b/i],
  ['SQL error', /\bcolumn "[^"]+" (?:does not exist|of relation)\b/i],
  [
    'SQL error',
    /\b(?:violates|violated) (?:foreign key|unique|check|not-null|exclusion|row-level security) (?:constraint|policy)\b/i,
  ],
  ['SQL error', /\bduplicate key value\b/i],
  ['SQL error', /\binvalid input (?:syntax|value) for (?:type|enum)\b/i],
  ['SQL error', /\bSQLSTATE\b/],
  ['JS error', /\b(?:TypeError|ReferenceError|RangeError|SyntaxError): /],
  ['JS error', /\bCannot read propert(?:y|ies) of (?:undefined|null)\b/],
  ['JS error', /\bis not a function\b/],
  ['JS error', /\bMaximum call stack size exceeded\b/],
];

/** SQL text that an error body (which never echoes input) must not contain. */
const SQL_IN_ERRORS: readonly RegExp[] = [
  /\bselect\b[^.]{0,120}\bfrom\s+["\w]+/i,
  /\binsert\s+into\b/i,
  /\bupdate\s+["\w]+\s+set\b/i,
  /\bdelete\s+from\b/i,
  /\bwhere\s+["\w.]+\s*=\s*\$\d/i,
  /\bset_config\(/i,
  /\bSET LOCAL app\./i,
];

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ResponseCheckOptions {
  /** A 2xx may echo text the request stored; error bodies may not. */
  readonly echoMarker?: string;
}

/** Every violation of the response invariants, as short sentences (empty when the response is fine). */
export function responseViolations(
  url: string,
  response: LightMyRequestResponse,
  options: ResponseCheckOptions = {},
): string[] {
  const problems: string[] = [];
  const status = response.statusCode;
  const body = response.body;
  if (status >= 500) problems.push(`status ${status}`);
  for (const [what, pattern] of INTERNAL_SIGNATURES) {
    if (pattern.test(body)) problems.push(`${what} in the body (${pattern.source})`);
  }
  if (url.startsWith('/api/v1')) {
    if (response.headers['x-content-type-options'] !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
    if (!String(response.headers['cache-control'] ?? '').includes('no-store'))
      problems.push('no Cache-Control: no-store');
    if (response.headers['x-request-id'] === undefined) problems.push('no X-Request-Id');
  }
  if (status >= 400) {
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.startsWith(PROBLEM_CONTENT_TYPE)) problems.push(`error content type "${contentType}"`);
    let problem: Record<string, unknown> | undefined;
    try {
      problem = JSON.parse(body) as Record<string, unknown>;
    } catch {
      problems.push('error body is not JSON');
    }
    if (problem !== undefined) {
      if (problem.status !== status) problems.push(`problem status ${String(problem.status)} ≠ ${status}`);
      if (typeof problem.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(problem.code)) {
        problems.push(`problem code ${JSON.stringify(problem.code)}`);
      }
      if (typeof problem.type !== 'string' || typeof problem.title !== 'string') problems.push('problem type/title');
      if (problem.correlationId !== response.headers['x-request-id']) problems.push('correlationId ≠ X-Request-Id');
      if (problem.code === 'validation_failed') {
        const errors = problem.errors as { field?: unknown; rule?: unknown }[] | undefined;
        if (!Array.isArray(errors) || errors.length === 0) {
          problems.push('validation_failed without errors');
        } else if (errors.some((error) => typeof error.field !== 'string' || typeof error.rule !== 'string')) {
          problems.push('a field error without field and rule');
        }
      }
    }
    for (const pattern of SQL_IN_ERRORS)
      if (pattern.test(body)) problems.push(`SQL text in an error (${pattern.source})`);
    // `instance` is the request's path as sent (still percent-encoded): everything else must not echo the request.
    const { instance, ...rest } = problem ?? {};
    if (instance !== undefined && (typeof instance !== 'string' || /[<>"\s]/.test(instance))) {
      problems.push(`problem instance ${JSON.stringify(instance).slice(0, 60)} is not an encoded path`);
    }
    const marker = options.echoMarker ?? ECHO_MARKER;
    if ((problem === undefined ? body : JSON.stringify(rest)).includes(marker)) {
      problems.push('the error body echoes the request');
    }
  }
  return problems;
}

/** The `code` of a problem body (or the status as text for other bodies). */
export function problemCode(response: LightMyRequestResponse): string {
  if (!String(response.headers['content-type'] ?? '').startsWith(PROBLEM_CONTENT_TYPE))
    return String(response.statusCode);
  try {
    return String((JSON.parse(response.body) as { code?: unknown }).code);
  } catch {
    return String(response.statusCode);
  }
}

/** Log lines that mean something went wrong inside: an unhandled error, an unhandled rejection, a SQL error. */
export function troubledLogLines(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    let entry: { level?: number; msg?: string; err?: { code?: string; type?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return true;
    }
    if ((entry.level ?? 0) >= 50) return true;
    const code = entry.err?.code;
    return typeof code === 'string' && /^(?:42|22)[0-9A-Z]{3}$/.test(code);
  });
}

/** A short, single-line excerpt of a body for failure messages. */
export function excerpt(text: string | undefined, length = 300): string {
  if (text === undefined) return '';
  const flat = JSON.stringify(text.length > length ? `${text.slice(0, length)}…` : text);
  return flat.slice(1, -1);
}
