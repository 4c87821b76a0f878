import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Logger } from 'pino';
import { from, lastValueFrom, type Observable } from 'rxjs';

import { DomainError, MEND_LOGGER, UnitOfWork } from '@mend/core';
import { auditIdentity, type IdentityServices, type VerifiedAccessToken } from '@mend/identity';

import type { AuthenticatedRequest } from './authentication.guard.js';
import { IDENTITY_SERVICES } from './identity.tokens.js';
import { runInRequestScope } from './request-scope.js';

/**
 * An authenticated request is one unit of work: a transaction with the token's
 * clinic and user set (transaction-local), in which the login session is checked
 * first (not revoked, not expired, membership active: a logout, password change
 * or disabled membership takes effect on the next request) and the handler then
 * runs, reaching the transaction through `@Tx()`. The response is sent after the
 * commit; an error rolls everything back.
 *
 * A refusal (403, or a 404 for a record the caller may not see or that does not
 * exist: the two are indistinguishable by design) rolls the request back, so it
 * is recorded afterwards in a unit of work of its own.
 */
@Injectable()
export class UnitOfWorkInterceptor implements NestInterceptor {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(IDENTITY_SERVICES) private readonly identity: IdentityServices,
    @Inject(MEND_LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = request.mendAccessToken;
    if (token === undefined) return next.handle();
    return from(this.run(request, token, next));
  }

  private async run(request: AuthenticatedRequest, token: VerifiedAccessToken, next: CallHandler): Promise<unknown> {
    try {
      return await this.unitOfWork.run(
        token.clinicId,
        async (tx) => {
          const principal = { ...(await this.identity.sessions.authenticate(tx, token)), ip: request.ip };
          return runInRequestScope({ tx, principal }, () =>
            lastValueFrom<unknown, undefined>(next.handle(), { defaultValue: undefined }),
          );
        },
        { userId: token.userId },
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
    try {
      await this.unitOfWork.run(
        token.clinicId,
        (tx) =>
          auditIdentity(
            tx,
            { userId: token.userId, membershipId: token.membershipId, ip: request.ip },
            'access.denied',
            null,
            {
              method: request.method,
              route: request.routeOptions.url ?? 'unknown',
              status: error.status,
              code: error.code,
            },
            'denied',
          ),
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
