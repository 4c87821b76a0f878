import type { MendConfig, UnitOfWork } from '@mend/core';

import { ClinicSettingsService } from './clinic/clinic-settings.service.js';
import { ProvisioningService } from './clinic/provisioning.service.js';
import { SYSTEM_CLOCK, type Clock } from './clock.js';
import { InvitationService } from './invitations/invitation.service.js';
import { NO_LOGIN_THROTTLE, type LoginThrottle } from './login/login-throttle.js';
import { LoginService } from './login/login.service.js';
import { NO_SECOND_FACTOR, type SecondFactorVerifier } from './login/second-factor.js';
import { MembershipService } from './memberships/membership.service.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { PasswordResetService } from './passwords/password-reset.service.js';
import { PasswordService } from './passwords/password.service.js';
import { LoginSessionService } from './sessions/login-session.service.js';
import { RefreshService } from './sessions/refresh.service.js';
import { TokenService } from './tokens/token.service.js';
import { ProfileService } from './users/profile.service.js';

export interface IdentityOptions {
  readonly unitOfWork: UnitOfWork;
  readonly config: Pick<MendConfig, 'auth' | 'publicUrl' | 'isDemo'>;
  /** The key that signs access tokens (JWT_SECRET); tools that issue no tokens may pass a throwaway one. */
  readonly jwtSecret: Buffer;
  readonly clock?: Clock;
  /** Default: never refuses. The API binds the Redis throttle. */
  readonly throttle?: LoginThrottle;
  /** Default: nobody is enrolled, so staff cannot sign in until MFA is bound (except in the demo). */
  readonly secondFactor?: SecondFactorVerifier;
}

/** Every identity service, wired once per process (API, CLI, tests). */
export interface IdentityServices {
  readonly clock: Clock;
  readonly hasher: PasswordHasher;
  readonly tokens: TokenService;
  readonly sessions: LoginSessionService;
  readonly refresh: RefreshService;
  readonly login: LoginService;
  readonly passwords: PasswordService;
  readonly passwordResets: PasswordResetService;
  readonly invitations: InvitationService;
  readonly memberships: MembershipService;
  readonly clinicSettings: ClinicSettingsService;
  readonly profiles: ProfileService;
  readonly provisioning: ProvisioningService;
}

export function createIdentityServices(options: IdentityOptions): IdentityServices {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const throttle = options.throttle ?? NO_LOGIN_THROTTLE;
  const { unitOfWork, config } = options;
  const hasher = new PasswordHasher(config.auth.passwordHashProfile);
  const tokens = new TokenService(options.jwtSecret, {
    accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
    clock,
  });
  const sessions = new LoginSessionService(tokens, clock);
  return {
    clock,
    hasher,
    tokens,
    sessions,
    refresh: new RefreshService(unitOfWork, sessions, tokens, clock),
    login: new LoginService(unitOfWork, hasher, sessions, tokens, throttle, options.secondFactor ?? NO_SECOND_FACTOR, {
      isDemo: config.isDemo,
    }),
    passwords: new PasswordService(hasher, sessions, clock),
    passwordResets: new PasswordResetService(unitOfWork, hasher, sessions, clock, config.publicUrl),
    invitations: new InvitationService(unitOfWork, hasher, throttle, clock, config.publicUrl),
    memberships: new MembershipService(sessions, clock),
    clinicSettings: new ClinicSettingsService(),
    profiles: new ProfileService(),
    provisioning: new ProvisioningService(unitOfWork, hasher, clock),
  };
}
