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

const SCOPE_PARAMETERS = 'mend:scopeParameters';

/** A handler parameter that the unit of work fills: its position and what goes there. */
export interface ScopeParameter {
  readonly index: number;
  readonly kind: 'tx' | 'principal';
}

/**
 * `@Tx()` and `@CurrentPrincipal()` only mark a parameter: the unit of work
 * (UnitOfWorkHandlers) puts the request's transaction and caller there when it
 * calls the handler, after opening the transaction. They are not Nest parameter
 * decorators, so Nest builds no value for them and runs no pipe on them (a
 * custom Nest parameter goes through the global pipe, a few promises each on
 * every request); Nest leaves their positions empty.
 */
function scopeParameter(kind: ScopeParameter['kind']): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) throw new Error('@Tx() and @CurrentPrincipal() mark route handler parameters');
    const marked = (Reflect.getOwnMetadata(SCOPE_PARAMETERS, target.constructor, propertyKey) ??
      []) as ScopeParameter[];
    Reflect.defineMetadata(SCOPE_PARAMETERS, [...marked, { index, kind }], target.constructor, propertyKey);
  };
}

/** The marked parameters of a controller's handler (none for most public routes). */
export function scopeParametersOf(controller: object, handlerName: string): readonly ScopeParameter[] {
  return (Reflect.getMetadata(SCOPE_PARAMETERS, controller.constructor, handlerName) ?? []) as ScopeParameter[];
}

/** The handler's arguments with the request's transaction and caller at the marked positions. */
export function withScopeArguments(
  args: readonly unknown[],
  parameters: readonly ScopeParameter[],
  tx: TenantTransaction,
  principal: Principal,
): unknown[] {
  const filled = [...args];
  for (const { index, kind } of parameters) filled[index] = kind === 'tx' ? tx : principal;
  return filled;
}

/** The request's transaction (clinic and user set from the verified token only). */
export const Tx = (): ParameterDecorator => scopeParameter('tx');

/** The caller, after the login session check (roles read from the membership). */
export const CurrentPrincipal = (): ParameterDecorator => scopeParameter('principal');
