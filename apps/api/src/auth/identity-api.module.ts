import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { Access } from '@mend/access';
import { EnvelopeEncryption, MEND_CONFIG, QueueConnection, UnitOfWork, type MendConfig } from '@mend/core';
import {
  createIdentityServices,
  createMfaService,
  SYSTEM_CLOCK,
  createMemoryLoginThrottle,
  createRedisLoginThrottle,
  type Clock,
  type IdentityServices,
  type LoginThrottle,
  type MfaService,
  type SecondFactorVerifier,
} from '@mend/identity';

import { AuditEventsController } from '../audit/audit-events.controller.js';
import { ClinicController } from '../clinic/clinic.controller.js';
import { InvitationsController } from '../invitations/invitations.controller.js';
import { MeController } from '../me/me.controller.js';
import { LinkMailer } from '../reminders/link-mailer.js';
import { UsersController } from '../users/users.controller.js';
import { AuthCookies } from './auth-cookies.js';
import { AuthController } from './auth.controller.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { AUTH_COOKIES, IDENTITY_SERVICES } from './identity.tokens.js';
import { RequestAccess } from './request-access.js';
import { UnitOfWorkHandlers } from './unit-of-work.handlers.js';

export interface IdentityApiOptions {
  /** Tests move time (session limits, expiries). */
  readonly clock?: Clock;
  /** Default: the Redis throttle shared by every API instance (memory in the demo). */
  readonly loginThrottle?: LoginThrottle;
  /**
   * Default: the TOTP / recovery-code MfaService (seeds sealed with MASTER_KEY,
   * attempts limited in Redis). Tests of other rules may bind a fake; enrolment
   * always uses the real service.
   */
  readonly secondFactor?: SecondFactorVerifier;
}

/**
 * Authentication and authorization for the whole API: the identity services, the
 * global guard (every route needs an access token unless @Public()), the
 * per-request unit of work, the access policy (RequestAccess), and the auth, me,
 * users, invitations and clinic routes.
 */
@Module({})
export class IdentityApiModule {
  static forRoot(options: IdentityApiOptions = {}): DynamicModule {
    return {
      module: IdentityApiModule,
      controllers: [
        AuthController,
        MeController,
        UsersController,
        InvitationsController,
        ClinicController,
        AuditEventsController,
      ],
      providers: [
        LinkMailer,
        {
          provide: IDENTITY_SERVICES,
          inject: [MEND_CONFIG, UnitOfWork, QueueConnection],
          useFactory: (config: MendConfig, unitOfWork: UnitOfWork, queues: QueueConnection): IdentityServices => {
            if (config.auth.jwtSecret === undefined) throw new Error('JWT_SECRET is required by the API');
            return createIdentityServices({
              unitOfWork,
              config,
              jwtSecret: config.auth.jwtSecret,
              clock: options.clock,
              throttle: options.loginThrottle ?? defaultThrottle(config, queues),
              mfa: mfaService(config, unitOfWork, queues, options.clock),
              secondFactor: options.secondFactor,
            });
          },
        },
        {
          provide: AUTH_COOKIES,
          inject: [MEND_CONFIG, IDENTITY_SERVICES],
          useFactory: (config: MendConfig, identity: IdentityServices) =>
            new AuthCookies(config, identity.tokens.deriveKey('csrf')),
        },
        // The one access policy (pure; the worker builds its own instance of the same class).
        { provide: Access, useValue: new Access() },
        RequestAccess,
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        // Wrapped around every route handler by createApiApplication (see UnitOfWorkHandlers.install).
        UnitOfWorkHandlers,
      ],
      exports: [IDENTITY_SERVICES, AUTH_COOKIES, Access, RequestAccess, LinkMailer],
    };
  }
}

/** Staff sign-ins need it, so the API does not start without MASTER_KEY (the seeds are sealed with it). */
function mfaService(config: MendConfig, unitOfWork: UnitOfWork, queues: QueueConnection, clock?: Clock): MfaService {
  if (config.masterKey === undefined) {
    throw new Error('MASTER_KEY is required by the API: second-factor seeds are encrypted with it');
  }
  const now = clock ?? SYSTEM_CLOCK;
  return createMfaService({
    unitOfWork,
    encryption: new EnvelopeEncryption(config.masterKey),
    // One process in the demo (PostgreSQL queue backend): the attempt limit is then in memory.
    redis: config.queue.backend === 'redis' ? queues.redisClient() : undefined,
    keyPrefix: config.queue.prefix,
    now: () => now.now().getTime(),
  });
}

function defaultThrottle(config: MendConfig, queues: QueueConnection): LoginThrottle {
  return config.queue.backend === 'redis'
    ? createRedisLoginThrottle(queues.redisClient(), config.queue.prefix)
    : createMemoryLoginThrottle(config.queue.prefix);
}
