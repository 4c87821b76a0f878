import type { LightMyRequestResponse } from 'fastify';

import type { FuzzCase } from './arbitraries.js';
import { excerpt, problemCode, responseViolations } from './checks.js';
import type { Operation } from './openapi.js';
import type { Actor, Seed } from './security-world.js';

/**
 * THE ALLOWED ANSWERS of the security suites, by what was sent (see Expectation
 * in arbitraries.ts) and who sent it:
 *
 * - a request the body parser refuses (malformed JSON, a `__proto__` or
 *   `constructor.prototype` key, over 1 MiB): 400 / 413, before sign-in is checked;
 * - a body in another media type: 415;
 * - anonymous, on a route that needs sign-in: 401 (404 `route_not_found` when a
 *   malformed path value no longer matches the route). Routes that accept an
 *   `mfaToken` in the body instead of a session answer like public routes;
 * - `invalid` (breaks the documented schema): 400, or 422 when the domain checks
 *   the documented rule (413 when over the limit); a role the route does not
 *   allow (authorization matrix) may get its 403/404 first, and a throttled
 *   credential route its 429;
 * - `bad-path` (a malformed uuid or number in the path): 400, or 404
 *   `route_not_found`;
 * - `unknown-id` (a well-formed id naming nothing the caller may see: random,
 *   another clinic's, another kind's): 403 or 404 (never `route_not_found`);
 *   for an id after the first in the path (a record inside the first), also 422
 *   (e.g. `primary_not_on_care_team`);
 * - `odd-id` (an odd value of a free-text path parameter): 400, 403 or 404;
 * - a path segment over 100 characters: also 414 (the router's limit);
 * - `valid` and `hostile`: a 2xx or 400 (rules the document cannot state),
 *   403/404 (access), 409 (conflict, stale version, paused shared space), 422
 *   (domain rule) — and, on routes that check a credential in the body (public
 *   routes; bodies with a password, token, code or mfaToken), 401 and 429.
 *
 * Never a 5xx; every error problem+json (see checks.ts).
 */
const GENERAL: readonly number[] = [200, 201, 202, 204, 400, 403, 404, 409, 422];
const CREDENTIAL_FIELD = /password|token|code/i;

/** Public, or takes a credential in the body: may answer 401 (bad credential) and 429 (throttled). */
export function checksCredential(operation: Operation): boolean {
  if (operation.isPublic) return true;
  return Object.keys(operation.body?.properties ?? {}).some((name) => CREDENTIAL_FIELD.test(name));
}

/** Accepts a second-factor token in the body instead of a signed-in session (MFA enrolment during sign-in). */
export function acceptsMfaToken(operation: Operation): boolean {
  return operation.body?.properties?.mfaToken !== undefined;
}

/** A body the JSON parser refuses whatever else it holds: a `__proto__` key or `constructor.prototype`. */
function hasPrototypeKey(request: FuzzCase['request']): boolean {
  const text = request.rawBody ?? (request.body === undefined ? '' : (JSON.stringify(request.body) ?? ''));
  return /"__proto__"\s*:/.test(text) || /"constructor"\s*:\s*\{[^{}]*"prototype"\s*:/.test(text);
}

export function allowedStatuses(seed: Seed, actor: Actor, fuzz: FuzzCase): readonly number[] {
  const operation = seed.operation;
  const oversize = fuzz.oversize === true ? [413] : [];
  const parserRejects = fuzz.parserRejects === true || hasPrototypeKey(fuzz.request);
  // The router answers 414 for a path segment over 100 characters, before anything else.
  const longPath = fuzz.request.url
    .split('?')[0]
    .split('/')
    .some((segment) => segment.length > 100)
    ? [414]
    : [];
  if (fuzz.expectation === 'media') return [415];
  if (parserRejects) return [400, ...oversize];
  const credential = checksCredential(operation) ? [401, 429] : [];
  if (actor.accessToken === null && !operation.isPublic) {
    // The router first (400 malformed_url, 404 route_not_found, 414), then sign-in.
    if (fuzz.expectation === 'bad-path' || fuzz.expectation === 'odd-id') return [400, 401, 404, ...longPath];
    return acceptsMfaToken(operation) ? [...GENERAL, 401, 429, ...oversize] : [401, ...oversize, ...longPath];
  }
  // A role the route does not allow may be refused before a rule the document states but the domain checks.
  const refusedRole = actor.role !== null && !seed.allowedRoles.includes(actor.role) ? [403, 404] : [];
  switch (fuzz.expectation) {
    case 'invalid':
      // A credential route that is throttling answers 429 before it reads the body.
      return [400, 422, ...refusedRole, ...oversize, ...(credential.length > 0 ? [429] : [])];
    case 'bad-path':
      return [400, 404, ...longPath];
    case 'unknown-id': {
      // An id after the first names something inside the first record: "not one of its" may be a rule (422).
      const inner = fuzz.innerId === true ? [422] : [];
      return [403, 404, ...inner, ...longPath, ...(operation.isPublic ? credential : [])];
    }
    case 'odd-id':
      return [400, 403, 404, ...longPath];
    case 'valid':
    case 'hostile':
      return [...GENERAL, ...credential, ...oversize];
  }
}

/** Everything wrong with a response to a fuzzed request (empty when it is one of the allowed answers). */
export function violations(seed: Seed, actor: Actor, fuzz: FuzzCase, response: LightMyRequestResponse): string[] {
  const problems = responseViolations(fuzz.request.url, response);
  // Clinic A's psychotherapy notes are all its counselor's: nobody else ever sees their text (ISO-7).
  if (actor.role !== 'counselor' && response.body.includes('CANARY-psychotherapy-')) {
    problems.push('a psychotherapy-note canary reached someone other than its author');
  }
  const allowed = allowedStatuses(seed, actor, fuzz);
  const code = problemCode(response);
  if (!allowed.includes(response.statusCode)) {
    problems.push(`status ${response.statusCode} (${code}) not in [${allowed.join(', ')}] for ${fuzz.expectation}`);
  } else if (response.statusCode === 404 && code === 'route_not_found') {
    // Only a malformed path value may stop matching the route.
    if (fuzz.expectation !== 'bad-path' && fuzz.expectation !== 'odd-id')
      problems.push('404 route_not_found for a route that exists');
  }
  return problems;
}

/** A failure report naming the request (method, URL, body excerpt) and the answer. */
export function describeFailure(
  operation: Operation,
  actor: Actor,
  fuzz: FuzzCase,
  response: LightMyRequestResponse,
  problems: readonly string[],
  cause?: string,
): string {
  const body =
    fuzz.request.rawBody ?? (fuzz.request.body === undefined ? undefined : JSON.stringify(fuzz.request.body));
  return [
    `${operation.key} as ${actor.name}: ${problems.join('; ')}`,
    `  mutation: ${fuzz.mutation} (${fuzz.expectation})`,
    `  request: ${fuzz.request.method} ${excerpt(fuzz.request.url, 200)}${
      fuzz.request.contentType === undefined ? '' : ` [${fuzz.request.contentType}]`
    }${body === undefined ? '' : ` body ${excerpt(body, 300)}`}`,
    `  response: ${response.statusCode} ${excerpt(response.body, 400)}`,
    ...(cause === undefined ? [] : [`  logged: ${excerpt(cause, 600)}`]),
  ].join('\n');
}

/** Problem codes answered before a handler runs (parsing, routing, sign-in, validation, throttling). */
const BEFORE_HANDLER = new Set([
  'validation_failed',
  'malformed_json',
  'body_too_large',
  'unsupported_media_type',
  'route_not_found',
  'malformed_url',
  'uri_too_long',
  'unauthenticated',
  'rate_limited',
]);

/** Reached the handler (past routing, sign-in and validation): what "the fuzzer is not only bouncing off" means. */
export function reachedHandler(response: LightMyRequestResponse): boolean {
  if (response.statusCode < 300) return true;
  return response.statusCode < 500 && !BEFORE_HANDLER.has(problemCode(response));
}
