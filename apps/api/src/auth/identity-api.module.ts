import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';

import { MEND_CONFIG, QueueConnection, UnitOfWork, type MendConfig } from '@mend/core';
import {
  createIdentityServices,
  createMemoryLoginThrottle,
  createRedisLoginThrottle,
  type Clock,
  type IdentityServices,
  type LoginThrottle,
  type SecondFactorVerifier,
} from '@mend/identity';

import { ClinicController } from '../clinic/clinic.controller.js';
import { InvitationsController } from '../invitations/invitations.controller.js';
import { MeController } from '../me/me.controller.js';
import { UsersController } from '../users/users.controller.js';
import { AuthCookies } from './auth-cookies.js';
import { AuthController } from './auth.controller.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { AUTH_COOKIES, IDENTITY_SERVICES } from './identity.tokens.js';
import { UnitOfWorkInterceptor } from './unit-of-work.interceptor.js';

export interface IdentityApiOptions {
  /** Tests move time (session limits, expiries). */
  readonly clock?: Clock;
  /** Default: the Redis throttle shared by every API instance (memory in the demo). */
  readonly loginThrottle?: LoginThrottle;
  /** Default: none bound, so staff need the demo to sign in (the MFA module binds TOTP). */
  readonly secondFactor?: SecondFactorVerifier;
}

/**
 * Authentication for the whole API: the identity services, the global guard
 * (every route needs an access token unless @Public()), the per-request unit of
 * work, and the auth, me, users, invitations and clinic routes.
 */
@Module({})
export class IdentityApiModule {
  static forRoot(options: IdentityApiOptions = {}): DynamicModule {
    return {
      module: IdentityApiModule,
      controllers: [AuthController, MeController, UsersController, InvitationsController, ClinicController],
      providers: [
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
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_INTERCEPTOR, useClass: UnitOfWorkInterceptor },
      ],
      exports: [IDENTITY_SERVICES, AUTH_COOKIES],
    };
  }
}

function defaultThrottle(config: MendConfig, queues: QueueConnection): LoginThrottle {
  return config.queue.backend === 'redis'
    ? createRedisLoginThrottle(queues.redisClient(), config.queue.prefix)
    : createMemoryLoginThrottle(config.queue.prefix);
}
