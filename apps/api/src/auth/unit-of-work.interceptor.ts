import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Logger } from 'pino';
import { from, lastValueFrom, type Observable } from 'rxjs';

import { AccessDeniedError, AUTHZ_DENIED, recordAccessDenial } from '@mend/access';
import { DomainError, type FirstQuery, MEND_LOGGER, UnitOfWork } from '@mend/core';
import { auditIdentity, type IdentityServices, type VerifiedAccessToken } from '@mend/identity';

import type { AuthenticatedRequest } from './authentication.guard.js';
import { IDENTITY_SERVICES } from './identity.tokens.js';
import { PREFETCH, type PrefetchMetadata } from './prefetch.decorator.js';
import { runInRequestScope } from './request-scope.js';

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
 */
@Injectable()
export class UnitOfWorkInterceptor implements NestInterceptor {
  /** The controller instances that prefetch plans run on, by class. */
  private readonly controllers = new Map<Type, unknown>();

  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(IDENTITY_SERVICES) private readonly identity: IdentityServices,
    @Inject(MEND_LOGGER) private readonly logger: Logger,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = request.mendAccessToken;
    if (token === undefined) return next.handle();
    return from(this.run(request, token, next, this.prefetch(context, request, token)));
  }

  /** The reads of a `@Prefetch` route, or none: a plan that throws only costs the round trips it would save. */
  private prefetch(
    context: ExecutionContext,
    request: AuthenticatedRequest,
    token: VerifiedAccessToken,
  ): { readonly prefetch: readonly FirstQuery[]; readonly commitWithOpening: boolean } | undefined {
    const metadata = this.reflector.get<PrefetchMetadata | undefined>(PREFETCH, context.getHandler());
    if (metadata === undefined) return undefined;
    try {
      const type = context.getClass<Type>();
      let controller = this.controllers.get(type);
      if (controller === undefined) {
        controller = this.moduleRef.get<Type, unknown>(type, { strict: false });
        this.controllers.set(type, controller);
      }
      const prefetch = metadata.plan.call(controller, { request, token });
      return prefetch === undefined ? undefined : { prefetch, commitWithOpening: metadata.readOnly };
    } catch (error) {
      this.logger.warn({ err: error }, 'The prefetch plan of this route failed; the request runs without it');
      return undefined;
    }
  }

  private async run(
    request: AuthenticatedRequest,
    token: VerifiedAccessToken,
    next: CallHandler,
    prefetched: { readonly prefetch: readonly FirstQuery[]; readonly commitWithOpening: boolean } | undefined,
  ): Promise<unknown> {
    try {
      // The login session check travels with BEGIN and the settings: one round trip opens the request.
      // (None for a session this process checked less than half a second ago: LoginSessionCache.)
      const check = this.identity.sessions.sessionCheck(token);
      return await this.unitOfWork.run(
        token.clinicId,
        async (tx, sessionRows) => {
          const principal = {
            ...(await this.identity.sessions.completeSessionCheck(tx, check, sessionRows)),
            ip: request.ip,
          };
          const accessDecisions: string[] = [];
          const result = await runInRequestScope({ tx, principal, accessDecisions }, () =>
            lastValueFrom<unknown, undefined>(next.handle(), { defaultValue: undefined }),
          );
          if (accessDecisions.length === 0) {
            throw new Error(
              `${request.method} ${request.routeOptions.url ?? 'unknown'} answered without asking the access policy`,
            );
          }
          return result;
        },
        { userId: token.userId, firstQuery: check.firstQuery, ...prefetched },
      );
    } catch (error) {
      if (isRefusal(error)) await this.recordRefusal(request, token, error);
      throw error;
    }
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

function isRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && (error.status === 403 || (error.status === 404 && error.code === 'not_found'));
}
