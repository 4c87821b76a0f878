import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import { enrichContext } from '@mend/core';
import {
  IdentityError,
  IdentityErrorCode,
  unauthenticated,
  type IdentityServices,
  type VerifiedAccessToken,
} from '@mend/identity';

import { type AuthCookies, isUnsafeMethod } from './auth-cookies.js';
import { AUTH_COOKIES, IDENTITY_SERVICES } from './identity.tokens.js';
import { ACCEPTS_MFA_TOKEN, IS_PUBLIC } from './public.decorator.js';

/** What the guard leaves on the request for the unit of work (UnitOfWorkHandlers). */
export interface AuthenticatedRequest extends FastifyRequest {
  mendAccessToken?: VerifiedAccessToken;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

/**
 * Every route requires a valid access token unless marked `@Public()`: from
 * `Authorization: Bearer` (API clients) or else the access cookie (browsers, who
 * must then echo the CSRF token on unsafe methods). The clinic of the request
 * comes from the verified token and nowhere else. The login session itself is
 * checked next, inside the request's unit of work (see UnitOfWorkHandlers).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(IDENTITY_SERVICES) private readonly identity: IdentityServices,
    @Inject(AUTH_COOKIES) private readonly cookies: AuthCookies,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // MFA enrolment during a staff sign-in: the handler verifies the mfaToken itself.
    if (
      this.reflector.get<boolean | undefined>(ACCEPTS_MFA_TOKEN, context.getHandler()) === true &&
      hasMfaToken(request.body)
    ) {
      return true;
    }
    const authorization = request.headers.authorization;
    let token: VerifiedAccessToken;
    if (authorization !== undefined) {
      const match = BEARER.exec(authorization);
      if (match === null) throw unauthenticated();
      token = await this.identity.tokens.verifyAccessToken(match[1]);
    } else {
      const cookie = this.cookies.access(request);
      if (cookie === undefined) throw unauthenticated();
      token = await this.identity.tokens.verifyAccessToken(cookie);
      if (isUnsafeMethod(request.method) && !this.cookies.hasValidCsrf(request, token.loginSessionId)) {
        throw new IdentityError(
          IdentityErrorCode.CsrfRejected,
          'Send the CSRF token (cookie mend_csrf) in X-CSRF-Token',
        );
      }
    }
    request.mendAccessToken = token;
    enrichContext({ clinicId: token.clinicId, userId: token.userId });
    return true;
  }
}

function hasMfaToken(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { mfaToken?: unknown }).mfaToken === 'string';
}
