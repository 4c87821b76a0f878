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
   * (UnitOfWorkHandlers), so a route cannot forget the policy and still answer.
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
 * What `@Tx()` and `@CurrentPrincipal()` give Nest for the handler's arguments:
 * Nest builds them before the handler runs, which is before the unit of work
 * opens the transaction (UnitOfWorkHandlers), so each is a placeholder that the
 * unit of work replaces with the request's own when it calls the handler.
 */
const TX_ARGUMENT = Object.freeze({ placeholder: '@Tx()' });
const PRINCIPAL_ARGUMENT = Object.freeze({ placeholder: '@CurrentPrincipal()' });

/** Whether a handler argument is one of the placeholders (a public route must not ask for them). */
export function isScopeArgument(value: unknown): boolean {
  return value === TX_ARGUMENT || value === PRINCIPAL_ARGUMENT;
}

/** The handler's arguments with the placeholders replaced by the request's transaction and caller. */
export function scopeArguments(args: readonly unknown[], tx: TenantTransaction, principal: Principal): unknown[] {
  return args.map((value) => (value === TX_ARGUMENT ? tx : value === PRINCIPAL_ARGUMENT ? principal : value));
}

/** The request's transaction (clinic and user set from the verified token only). */
export const Tx = createParamDecorator(
  (_data: unknown): TenantTransaction => TX_ARGUMENT as unknown as TenantTransaction,
);

/** The caller, after the login session check (roles read from the membership). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown): Principal => PRINCIPAL_ARGUMENT as unknown as Principal,
);
