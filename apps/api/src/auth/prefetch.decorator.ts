import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import type { FirstQuery } from '@mend/core';
import type { VerifiedAccessToken } from '@mend/identity';

export const PREFETCH = 'mend:prefetch';

/** What a route's prefetch sees: the raw request (not validated yet) and the verified access token. */
export interface PrefetchInput {
  readonly request: FastifyRequest;
  readonly token: VerifiedAccessToken;
}

/**
 * Called with the controller instance as `this`; returns the reads the handler
 * will most likely make first, or nothing. It runs before validation and before
 * the login session check, so it must take nothing on trust: whatever it builds
 * is only a guess (see below) and it must not throw on odd input.
 */
export type PrefetchPlan<C = unknown> = (this: C, input: PrefetchInput) => readonly FirstQuery[] | undefined;

/**
 * The hot read routes' one-round-trip opening: the unit of work (UnitOfWorkHandlers) sends
 * the statements this plan returns in the same message as `BEGIN`, the settings
 * and the login session check (`UnitOfWorkOptions.prefetch`), and the handler's
 * own `tx.query` of the same statement with the same values is then answered
 * from that result instead of a round trip of its own.
 *
 * Nothing about authorization changes: the handler still runs after the session
 * check and asks the access policy as before, and a prefetched result is used
 * only when the handler asks for exactly that read (same statement, same values,
 * nothing run in between), so a wrong guess — roles changed since the token was
 * issued, an input the plan reads differently — costs one round trip, never a
 * different answer. Statements must be read-only (enforced by the unit of work).
 */
export const Prefetch = <C>(plan: PrefetchPlan<C>, options: PrefetchOptions = {}): MethodDecorator =>
  SetMetadata(PREFETCH, { plan: plan as PrefetchPlan, readOnly: options.readOnly === true } satisfies PrefetchMetadata);

export interface PrefetchOptions {
  /**
   * The route only reads (no audit row either): the opening message also
   * commits (`UnitOfWorkOptions.commitWithOpening`), so a request whose reads
   * were all prefetched costs one round trip in all. Anything the handler or the
   * session check then writes (e.g. the login session's activity, once a minute)
   * runs in a second transaction of its own, committed before the answer.
   */
  readonly readOnly?: boolean;
}

/** @internal what the decorator stores for the unit of work (UnitOfWorkHandlers). */
export interface PrefetchMetadata {
  readonly plan: PrefetchPlan;
  readonly readOnly: boolean;
}
