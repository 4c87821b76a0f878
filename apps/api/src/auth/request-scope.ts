import { createParamDecorator } from '@nestjs/common';

import { currentContext, runWithinContext, type TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';

/** What an authenticated request runs with: its unit of work and its checked caller. */
export interface RequestScope {
  readonly tx: TenantTransaction;
  readonly principal: Principal;
  /**
   * The access policy's decisions taken for this request (see RequestAccess):
   * a handler that returns without one is refused by the unit of work
   * interceptor, so a route cannot forget the policy and still answer.
   */
  readonly accessDecisions: string[];
}

/** Runs `work` (the handler) in the scope; it travels in the request's context (see RequestContext.scope). */
export function runInRequestScope<T>(scope: RequestScope, work: () => T): T {
  return runWithinContext({ scope }, work);
}

/** The scope of the authenticated request in progress; throws outside one (a public route, a bug). */
export function requestScope(): RequestScope {
  const scope = currentContext()?.scope as RequestScope | undefined;
  if (scope === undefined) throw new Error('No authenticated request in progress (is the route @Public()?)');
  return scope;
}

/**
 * The request's transaction (clinic and user set from the verified token only).
 * Parameter decorators are evaluated inside the unit of work interceptor, so the
 * scope is there when the handler's arguments are built.
 */
export const Tx = createParamDecorator((_data: unknown): TenantTransaction => requestScope().tx);

/** The caller, after the login session check (roles read from the membership). */
export const CurrentPrincipal = createParamDecorator((_data: unknown): Principal => requestScope().principal);
