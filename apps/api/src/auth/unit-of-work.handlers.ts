import { Inject, Injectable, type INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { Logger } from 'pino';

import { AccessDeniedError, AUTHZ_DENIED, recordAccessDenial } from '@mend/access';
import { currentContext, DomainError, type FirstQuery, MEND_LOGGER, UnitOfWork } from '@mend/core';
import { auditIdentity, type IdentityServices, type VerifiedAccessToken } from '@mend/identity';

import type { AuthenticatedRequest } from './authentication.guard.js';
import { IDENTITY_SERVICES } from './identity.tokens.js';
import { PREFETCH, type PrefetchMetadata } from './prefetch.decorator.js';
import { runInRequestScope, scopeParametersOf, type ScopeParameter, withScopeArguments } from './request-scope.js';

type RouteHandler = (...args: unknown[]) => unknown;

/** A wrapped route handler and what the wrapper needs to know about it (read once, at install). */
interface Route {
  readonly controller: object;
  readonly handler: RouteHandler;
  readonly prefetch: PrefetchMetadata | undefined;
  /** Where `@Tx()` and `@CurrentPrincipal()` go in its arguments. */
  readonly scopeParameters: readonly ScopeParameter[];
}

interface Opening {
  readonly prefetch: readonly FirstQuery[];
  readonly commitWithOpening: boolean;
}

/**
 * An authenticated request is one unit of work: a transaction with the token's
 * clinic and user set (transaction-local), in which the login session is checked
 * first (not revoked, not expired, membership active: a logout, password change
 * or disabled membership takes effect on the next request; a check this process
 * made less than half a second ago is believed, see LoginSessionCache) and the handler then
 * runs, reaching the transaction through `@Tx()`. The response is sent after the
 * commit; an error rolls everything back.
 *
 * Every authenticated handler asks the access policy (RequestAccess) before it
 * answers; one that returns without a decision is a bug, refused with a 500 and
 * rolled back rather than served unchecked.
 *
 * A refusal (the policy's 404 or 403, or a service's 404 for a record that does
 * not exist: the two are indistinguishable by design) rolls the request back, so
 * it is recorded afterwards as `authz.denied` in a unit of work of its own.
 *
 * A route marked `@Prefetch(plan)` also sends its likely first reads with the
 * opening message (see Prefetch): one round trip for the session check and them.
 *
 * How it wraps the handlers: {@link install} puts a wrapper in front of every
 * route handler of every controller, before Nest registers the routes. Nest
 * runs the guard (the access token) and the pipes (validation) first, then calls
 * the wrapper with the handler's arguments, to which it adds the transaction
 * and the caller at the parameters marked `@Tx()` and `@CurrentPrincipal()`
 * once the transaction is open. (Until 2026-11-28 this was a Nest interceptor, which ran
 * the same code around the handler; an interceptor makes Nest wrap every request
 * in RxJS observables and two async resources, ~20 µs of CPU per request here.
 * Validation now runs before the transaction opens, so invalid input opens none.)
 */
@Injectable()
export class UnitOfWorkHandlers {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(IDENTITY_SERVICES) private readonly identity: IdentityServices,
    @Inject(MEND_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Wraps the route handlers of every controller instance of `app`. Call it
   * once, after the application is created and before it is initialised (Nest
   * takes each route's handler from the controller instance then). The wrapper
   * is an own property of the instance: the classes are untouched, so several
   * applications in one process (tests) each have their own. It carries the
   * handler's metadata (routes, guards, `@Public()`, `@Prefetch`), which Nest
   * and the guard read from the function they are given. A request-scoped or
   * transient controller (none in Mend) would get a new instance per request,
   * without the wrapper, so the application refuses to start with one.
   */
  install(app: INestApplication): void {
    for (const module of app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        // Nest would build a request-scoped controller per request, without the wrapper: refuse to start instead.
        if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
          throw new Error(
            `${wrapper.name} is request-scoped or transient: its handlers could not run in a unit of work`,
          );
        }
        const { instance } = wrapper;
        if (instance !== null && typeof instance === 'object') this.wrapHandlers(instance as Record<string, unknown>);
      }
    }
  }

  private wrapHandlers(controller: Record<string, unknown>): void {
    for (const name of routeHandlerNames(controller)) {
      const handler = controller[name] as RouteHandler;
      if (wrapped.has(handler)) throw new Error(`The route handler ${name} is already wrapped in a unit of work`);
      const route: Route = {
        controller,
        handler,
        prefetch: Reflect.getMetadata(PREFETCH, handler) as PrefetchMetadata | undefined,
        scopeParameters: scopeParametersOf(controller, name),
      };
      // Nest calls it with the controller as `this`; the controller is known here already.
      const inUnitOfWork = (...args: unknown[]): Promise<unknown> => this.handle(route, args);
      for (const key of Reflect.getMetadataKeys(handler)) {
        Reflect.defineMetadata(key, Reflect.getMetadata(key, handler), inUnitOfWork);
      }
      Object.defineProperty(inUnitOfWork, 'name', { value: handler.name });
      wrapped.add(inUnitOfWork);
      Object.defineProperty(controller, name, { value: inUnitOfWork, configurable: true, writable: true });
    }
  }

  private async handle(route: Route, args: unknown[]): Promise<unknown> {
    const request = currentContext()?.request as AuthenticatedRequest | undefined;
    // Fail closed: without its request the wrapper cannot tell a signed-in call from a public one.
    if (request === undefined) throw new Error('A route handler ran outside the context of an HTTP request');
    const token = request.mendAccessToken;
    if (token === undefined) {
      // A public route (or an MFA enrolment with its mfaToken): no unit of work, and none to hand out.
      if (route.scopeParameters.length > 0) {
        throw new Error(`${describeRoute(request)} is public but asks for @Tx() or @CurrentPrincipal()`);
      }
      return route.handler.apply(route.controller, args);
    }
    try {
      return await this.run(route, args, request, token);
    } catch (error) {
      if (isRefusal(error)) await this.recordRefusal(request, token, error);
      throw error;
    }
  }

  /** The reads of a `@Prefetch` route, or none: a plan that throws only costs the round trips it would save. */
  private opening(route: Route, request: AuthenticatedRequest, token: VerifiedAccessToken): Opening | undefined {
    if (route.prefetch === undefined) return undefined;
    try {
      const prefetch = route.prefetch.plan.call(route.controller, { request, token });
      return prefetch === undefined ? undefined : { prefetch, commitWithOpening: route.prefetch.readOnly };
    } catch (error) {
      this.logger.warn({ err: error }, 'The prefetch plan of this route failed; the request runs without it');
      return undefined;
    }
  }

  private run(
    route: Route,
    args: unknown[],
    request: AuthenticatedRequest,
    token: VerifiedAccessToken,
  ): Promise<unknown> {
    const opening = this.opening(route, request, token);
    // The login session check travels with BEGIN and the settings: one round trip opens the request.
    // (None for a session this process checked less than half a second ago: LoginSessionCache.)
    const check = this.identity.sessions.sessionCheck(token);
    return this.unitOfWork.run(
      token.clinicId,
      async (tx, sessionRows) => {
        const principal = {
          ...(await this.identity.sessions.completeSessionCheck(tx, check, sessionRows)),
          ip: request.ip,
        };
        const accessDecisions: string[] = [];
        const result = await runInRequestScope({ tx, principal, accessDecisions }, () =>
          route.handler.apply(route.controller, withScopeArguments(args, route.scopeParameters, tx, principal)),
        );
        if (accessDecisions.length === 0) {
          throw new Error(`${describeRoute(request)} answered without asking the access policy`);
        }
        return result;
      },
      { userId: token.userId, firstQuery: check.firstQuery, ...opening },
    );
  }

  private async recordRefusal(
    request: AuthenticatedRequest,
    token: VerifiedAccessToken,
    error: DomainError,
  ): Promise<void> {
    const actor = { userId: token.userId, membershipId: token.membershipId, ip: request.ip };
    const context = { method: request.method, route: request.routeOptions.url ?? 'unknown' };
    try {
      await this.unitOfWork.run(
        token.clinicId,
        async (tx) => {
          if (error instanceof AccessDeniedError) {
            await recordAccessDenial(tx, actor, error, context);
          } else {
            // A service's own refusal (a record gone since the policy saw it, a link that does not exist).
            await auditIdentity(
              tx,
              actor,
              AUTHZ_DENIED,
              null,
              { ...context, status: error.status, code: error.code },
              'denied',
            );
          }
        },
        { userId: token.userId },
      );
    } catch (auditError) {
      // The refusal stands either way; a missing audit row is an operator alert, not a 500.
      this.logger.error({ err: auditError }, 'Could not record an access refusal in the audit trail');
    }
  }
}

/** The wrappers made by {@link UnitOfWorkHandlers}: a handler is wrapped once. */
const wrapped = new WeakSet<RouteHandler>();

/** The methods of a controller that Nest routes to (those with a path), as Nest's scanner finds them. */
function routeHandlerNames(controller: object): string[] {
  const names = new Set<string>();
  for (
    let prototype = Object.getPrototypeOf(controller) as object | null;
    prototype !== null && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(prototype)) {
      if (name === 'constructor' || names.has(name)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      const value = descriptor?.value as unknown;
      if (typeof value !== 'function') continue;
      if (Reflect.getMetadata(PATH_METADATA, value) !== undefined) names.add(name);
    }
  }
  return [...names];
}

function describeRoute(request: AuthenticatedRequest): string {
  return `${request.method} ${request.routeOptions.url ?? 'unknown'}`;
}

function isRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && (error.status === 403 || (error.status === 404 && error.code === 'not_found'));
}
