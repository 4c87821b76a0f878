import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AccessAction } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import {
  IdentityError,
  IdentityErrorCode,
  type IdentityServices,
  type LoginResult,
  type MfaEnrollmentService,
  type Principal,
  type TokenPair,
} from '@mend/identity';

import { ApiProblemResponses } from '../http/problem.response.js';
import { type AuthCookies, CSRF_HEADER } from './auth-cookies.js';
import {
  AcceptedResponse,
  ChangePasswordRequest,
  ForgotPasswordRequest,
  LoginRequest,
  LoginResponse,
  LoginSessionIdParams,
  LoginSessionResponse,
  LogoutRequest,
  MfaEnrollConfirmRequest,
  MfaEnrollConfirmResponse,
  MfaEnrollStartRequest,
  MfaEnrollStartResponse,
  MfaVerifyRequest,
  RefreshRequest,
  ResetPasswordRequest,
  type TokenDelivery,
} from './auth.dto.js';
import { AUTH_COOKIES, IDENTITY_SERVICES } from './identity.tokens.js';
import { AcceptsMfaToken, Public } from './public.decorator.js';
import { RequestAccess } from './request-access.js';
import { CurrentPrincipal, requestScope, Tx } from './request-scope.js';

const FORGOT_PASSWORD_ANSWER = 'If an account exists for this email, a reset link will be sent to it.';

@ApiTags('auth')
@ApiProblemResponses()
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(IDENTITY_SERVICES) private readonly identity: IdentityServices,
    @Inject(AUTH_COOKIES) private readonly cookies: AuthCookies,
    @Inject(RequestAccess) private readonly access: RequestAccess,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'A wrong password, an unknown email, or an account without an active membership all answer the same 401 ' +
      '`invalid_credentials`; repeated failures are throttled (429 with Retry-After). With several memberships and none ' +
      'chosen, the answer lists them (ids and clinic names) and issues no token. Staff memberships then need a second ' +
      'factor: the answer is `mfaRequired` with an `mfaToken` for POST /api/v1/auth/mfa/verify (only the embedded demo ' +
      'skips it, and says so with `demoSkipsMfa`).',
  })
  @ApiOkResponse({ type: LoginResponse })
  async login(
    @Body() body: LoginRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const result = await this.identity.login.login({
      email: body.email,
      password: body.password,
      membershipId: body.membershipId,
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    });
    return this.loginAnswer(result, body.tokenDelivery ?? 'body', reply);
  }

  @Public()
  @Post('mfa/verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Second step of a staff sign-in: a TOTP or recovery code',
    description:
      'A TOTP code or one of the recovery codes. Each code works once (also across API instances): a replayed or ' +
      'wrong code is 401 `invalid_second_factor`. At most 5 attempts per 30 s per account, then 429 `rate_limited` ' +
      'with Retry-After. An expired or invalid `mfaToken` is 401 `invalid_mfa_token`: sign in again. A staff member ' +
      'without a second factor (`mfaEnrolled: false`) enrols first (POST /api/v1/auth/mfa/enroll/start).',
  })
  @ApiOkResponse({ type: LoginResponse })
  async verifyMfa(
    @Body() body: MfaVerifyRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const tokens = await this.identity.login.completeWithSecondFactor(body.mfaToken, body.code, {
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    });
    return this.tokenAnswer(tokens, body.tokenDelivery ?? 'body', reply, false);
  }

  @AcceptsMfaToken()
  @Post('mfa/enroll/start')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Start enrolling a TOTP authenticator',
    description:
      'Either with the `mfaToken` of a staff sign-in whose user has no second factor yet (`mfaEnrolled: false`; ' +
      'no access token needed), or signed in. A user who already has a second factor gets 409 `conflict` unless ' +
      'the login session proved it (amr includes otp): a password alone never replaces a second factor. The ' +
      'answer carries the seed once, for the app; nothing changes until POST /api/v1/auth/mfa/enroll/confirm. ' +
      'An expired or invalid `mfaToken` is 401 `invalid_mfa_token`.',
  })
  @ApiOkResponse({ type: MfaEnrollStartResponse })
  async startMfaEnrolment(
    @Body() body: MfaEnrollStartRequest,
    @Req() request: FastifyRequest,
  ): Promise<MfaEnrollStartResponse> {
    const enrolment = this.mfaEnrolment();
    if (body.mfaToken !== undefined) {
      const started = await enrolment.startWithMfaToken(body.mfaToken, { ip: request.ip });
      return { otpauthUri: started.otpauthUri, secret: started.secret };
    }
    const { tx, principal } = requestScope();
    await this.access.authorize(AccessAction.UserManageSecondFactor, { kind: 'user', userId: principal.userId });
    const started = await enrolment.startInSession(tx, principal);
    return { otpauthUri: started.otpauthUri, secret: started.secret };
  }

  @AcceptsMfaToken()
  @Post('mfa/enroll/confirm')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Confirm the new authenticator with its current code',
    description:
      'Activates the second factor and answers ten recovery codes, shown this once only. Every other login ' +
      'session of the user, in every clinic, ends. With the `mfaToken` of the sign-in the enrolment started from, ' +
      'the sign-in completes: the answer also carries the tokens (amr pwd+otp). A wrong code is 401 ' +
      '`invalid_second_factor`; attempts are limited with the sign-in codes (5 per 30 s per account, then 429 ' +
      'with Retry-After); no enrolment in progress is 409 `conflict`.',
  })
  @ApiOkResponse({ type: MfaEnrollConfirmResponse })
  async confirmMfaEnrolment(
    @Body() body: MfaEnrollConfirmRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MfaEnrollConfirmResponse> {
    const enrolment = this.mfaEnrolment();
    if (body.mfaToken !== undefined) {
      const completed = await enrolment.confirmWithMfaToken(body.mfaToken, body.code, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      const signedIn = this.tokenAnswer(completed.tokens as TokenPair, body.tokenDelivery ?? 'body', reply, false);
      return { ...signedIn, recoveryCodes: [...completed.recoveryCodes] };
    }
    const { tx, principal } = requestScope();
    await this.access.authorize(AccessAction.UserManageSecondFactor, { kind: 'user', userId: principal.userId });
    const completed = await enrolment.confirmInSession(tx, principal, body.code);
    return { mfaRequired: false, membershipChoiceRequired: false, recoveryCodes: [...completed.recoveryCodes] };
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'New tokens for a refresh token (rotation)',
    description:
      'The refresh token is replaced on every use. Presenting a replaced token again within 10 seconds returns the same ' +
      'replacement (two tabs refreshing at once); after that it is treated as stolen: the whole login session is ' +
      'revoked and every token of it stops working. Browsers send no body token: the refresh cookie is used and ' +
      'X-CSRF-Token must echo the CSRF cookie.',
  })
  @ApiHeader({
    name: CSRF_HEADER,
    required: false,
    description: 'Required when the refresh token comes from the cookie',
  })
  @ApiOkResponse({ type: LoginResponse })
  async refresh(
    @Body() body: RefreshRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    if (body.refreshToken !== undefined) {
      return this.tokenAnswer(await this.identity.refresh.refresh(body.refreshToken, request.ip), 'body', reply, false);
    }
    const cookie = this.cookies.refresh(request);
    if (cookie === undefined) {
      throw new IdentityError(
        IdentityErrorCode.InvalidRefreshToken,
        'The refresh token is invalid or expired: sign in again',
      );
    }
    if (!this.cookies.hasValidCsrf(request)) throw csrfRejected();
    return this.tokenAnswer(await this.identity.refresh.refresh(cookie, request.ip), 'cookie', reply, false);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the login session',
    description:
      'Revokes the login session named by the refresh token in the body, else by the refresh cookie (with X-CSRF-Token), ' +
      'else by the access token; its refresh and access tokens stop working at once. Clears the cookies. Answers 204 ' +
      'also when the session had already ended.',
  })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(
    @Body() body: LogoutRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (body.refreshToken !== undefined) {
      await this.identity.refresh.revokeFamily(body.refreshToken, request.ip);
    } else if (this.cookies.refresh(request) !== undefined) {
      if (!this.cookies.hasValidCsrf(request)) throw csrfRejected();
      await this.identity.refresh.revokeFamily(this.cookies.refresh(request) as string, request.ip);
    } else {
      await this.revokeByAccessToken(request);
    }
    this.cookies.clear(reply);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({
    summary: "The caller's live login sessions in this clinic",
    description: '"Session" alone means a therapy session in Mend; these are sign-ins (devices).',
  })
  @ApiOkResponse({ type: [LoginSessionResponse] })
  async sessions(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
  ): Promise<LoginSessionResponse[]> {
    await this.access.authorize(AccessAction.LoginSessionList, { kind: 'user', userId: principal.userId });
    const sessions = await this.identity.sessions.listOwn(tx, principal);
    return sessions.map((session) => ({
      id: session.id,
      createdAt: session.createdAt.toISOString(),
      lastSeenAt: session.lastSeenAt.toISOString(),
      idleExpiresAt: session.idleExpiresAt.toISOString(),
      absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
      userAgent: session.userAgent,
      ip: session.ip,
      amr: [...session.amr],
      isCurrent: session.isCurrent,
    }));
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'End one of your own login sessions',
    description: "Its tokens stop working at once. Another person's session, or an unknown id, is 404.",
  })
  @ApiNoContentResponse({ description: 'Ended' })
  async revokeSession(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: LoginSessionIdParams,
  ): Promise<void> {
    await this.access.authorize(AccessAction.LoginSessionRevoke, { kind: 'login_session', loginSessionId: params.id });
    await this.identity.sessions.revokeOwn(tx, principal, params.id);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Change your password (the current one is required)',
    description:
      'Every other login session of yours, in every clinic, ends in the same request; this one stays signed in. ' +
      'The new password is 8 to 128 characters, taken as typed, and not a common password (422 `weak_password`).',
  })
  @ApiNoContentResponse({ description: 'Changed' })
  async changePassword(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordRequest,
  ): Promise<void> {
    await this.access.authorize(AccessAction.UserChangePassword, { kind: 'user', userId: principal.userId });
    await this.identity.passwords.change(tx, principal, body.currentPassword, body.newPassword);
  }

  @Public()
  @Post('password-reset')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with a reset link',
    description:
      'The link (issued by a clinic admin or the CLI) works once, for one hour; every login session of the user ends. ' +
      'It does not touch the second factor: staff still need it to sign in. A bad, used or expired link is 400 `invalid_or_expired_link`.',
  })
  @ApiNoContentResponse({ description: 'Password set' })
  async resetPassword(@Body() body: ResetPasswordRequest, @Req() request: FastifyRequest): Promise<void> {
    await this.identity.passwordResets.consume(body.token, body.newPassword, request.ip);
  }

  @Public()
  @Post('forgot-password')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask for a password reset link by email',
    description:
      'Always answers the same 202 body, whether or not the email has an account. Mend does not send email yet: ' +
      'until the reminders work adds email delivery this sends nothing, and a clinic admin issues a reset link ' +
      '(POST /api/v1/users/{membershipId}/password-reset-link) to hand over in person.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  forgotPassword(@Body() _body: ForgotPasswordRequest): AcceptedResponse {
    return { message: FORGOT_PASSWORD_ANSWER };
  }

  private mfaEnrolment(): MfaEnrollmentService {
    // Bound by IdentityApiModule (it refuses to start without MASTER_KEY).
    if (this.identity.mfaEnrollment === undefined) throw new Error('No MFA service is bound');
    return this.identity.mfaEnrollment;
  }

  private async revokeByAccessToken(request: FastifyRequest): Promise<void> {
    const authorization = request.headers.authorization;
    const fromCookie = authorization === undefined ? this.cookies.access(request) : undefined;
    const raw = authorization?.startsWith('Bearer ') === true ? authorization.slice(7) : fromCookie;
    if (raw === undefined) return;
    let token;
    try {
      token = await this.identity.tokens.verifyAccessToken(raw);
    } catch {
      return;
    }
    if (fromCookie !== undefined && !this.cookies.hasValidCsrf(request, token.loginSessionId)) throw csrfRejected();
    await this.identity.refresh.revokeSession(token.clinicId, token.loginSessionId, token.userId, request.ip);
  }

  private loginAnswer(result: LoginResult, delivery: TokenDelivery, reply: FastifyReply): LoginResponse {
    switch (result.kind) {
      case 'choose_membership':
        return {
          mfaRequired: false,
          membershipChoiceRequired: true,
          memberships: result.memberships.map(({ membershipId, clinicId, clinicName }) => ({
            membershipId,
            clinicId,
            clinicName,
          })),
        };
      case 'mfa_required':
        return {
          mfaRequired: true,
          membershipChoiceRequired: false,
          mfaToken: result.mfaToken,
          mfaTokenExpiresAt: result.mfaTokenExpiresAt.toISOString(),
          mfaEnrolled: result.mfaEnrolled,
        };
      case 'tokens':
        return this.tokenAnswer(result.tokens, delivery, reply, result.demoSkipsMfa);
    }
  }

  private tokenAnswer(
    tokens: TokenPair,
    delivery: TokenDelivery,
    reply: FastifyReply,
    demoSkipsMfa: boolean,
  ): LoginResponse {
    const common: LoginResponse = {
      mfaRequired: false,
      membershipChoiceRequired: false,
      ...(demoSkipsMfa && { demoSkipsMfa: true }),
      accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString(),
      loginSessionId: tokens.loginSessionId,
      clinicId: tokens.clinicId,
      membershipId: tokens.membershipId,
      userId: tokens.userId,
      roles: [...tokens.roles],
      amr: [...tokens.amr],
    };
    if (delivery === 'cookie') {
      return { ...common, csrfToken: this.cookies.set(reply, tokens, this.identity.clock.now()) };
    }
    return { ...common, tokenType: 'Bearer', accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  }
}

function csrfRejected(): IdentityError {
  return new IdentityError(IdentityErrorCode.CsrfRejected, 'Send the CSRF token (cookie mend_csrf) in X-CSRF-Token');
}
