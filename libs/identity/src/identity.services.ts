import type { MendConfig, UnitOfWork } from '@mend/core';

import { ClinicSettingsService } from './clinic/clinic-settings.service.js';
import { ProvisioningService } from './clinic/provisioning.service.js';
import { SYSTEM_CLOCK, type Clock } from './clock.js';
import { InvitationService } from './invitations/invitation.service.js';
import { NO_LOGIN_THROTTLE, type LoginThrottle } from './login/login-throttle.js';
import { LoginService } from './login/login.service.js';
import { NO_SECOND_FACTOR, type SecondFactorVerifier } from './login/second-factor.js';
import { MembershipService } from './memberships/membership.service.js';
import { MfaEnrollmentService } from './mfa/mfa-enrollment.service.js';
import type { MfaService } from './mfa/mfa.service.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { PasswordResetService } from './passwords/password-reset.service.js';
import { PasswordService } from './passwords/password.service.js';
import { LoginSessionService } from './sessions/login-session.service.js';
import { RefreshService } from './sessions/refresh.service.js';
import { TokenService } from './tokens/token.service.js';
import { ProfileService } from './users/profile.service.js';

export interface IdentityOptions {
  readonly unitOfWork: UnitOfWork;
  readonly config: Pick<MendConfig, 'auth' | 'publicUrl' | 'isDemo' | 'nodeEnv'>;
  /** The key that signs access tokens (JWT_SECRET); tools that issue no tokens may pass a throwaway one. */
  readonly jwtSecret: Buffer;
  readonly clock?: Clock;
  /**
   * Brute-force protection of every password check (sign-in, invitation
   * acceptance by an existing account, current password on a change). Required:
   * the API binds the Redis throttle; a tool that checks no password on behalf of
   * a remote caller (the CLI) passes NO_LOGIN_THROTTLE explicitly. Only tests
   * (NODE_ENV=test) may leave it out, and then nothing is throttled.
   */
  readonly throttle?: LoginThrottle;
  /** TOTP and recovery codes (createMfaService); also enables MFA enrolment. */
  readonly mfa?: MfaService;
  /**
   * Default: `mfa`, else nobody is enrolled, so staff cannot sign in (except in
   * the demo). Tests may bind a fake.
   */
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
  /** Present when an MFA service was bound (the API). */
  readonly mfaEnrollment?: MfaEnrollmentService;
}

export function createIdentityServices(options: IdentityOptions): IdentityServices {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const { unitOfWork, config } = options;
  const throttle = options.throttle ?? testOnlyNoThrottle(config.nodeEnv);
  const hasher = new PasswordHasher(config.auth.passwordHashProfile);
  const tokens = new TokenService(options.jwtSecret, {
    accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
    clock,
  });
  const sessions = new LoginSessionService(tokens, clock);
  const login = new LoginService(
    unitOfWork,
    hasher,
    sessions,
    tokens,
    throttle,
    options.secondFactor ?? options.mfa ?? NO_SECOND_FACTOR,
    { isDemo: config.isDemo },
  );
  return {
    clock,
    hasher,
    tokens,
    sessions,
    refresh: new RefreshService(unitOfWork, sessions, tokens, clock),
    login,
    passwords: new PasswordService(hasher, sessions, throttle, clock),
    passwordResets: new PasswordResetService(unitOfWork, hasher, sessions, clock, config.publicUrl),
    invitations: new InvitationService(unitOfWork, hasher, throttle, clock, config.publicUrl),
    memberships: new MembershipService(sessions, clock),
    clinicSettings: new ClinicSettingsService(),
    profiles: new ProfileService(),
    provisioning: new ProvisioningService(unitOfWork, hasher, clock),
    ...(options.mfa !== undefined && {
      mfaEnrollment: new MfaEnrollmentService(unitOfWork, options.mfa, login, tokens, sessions),
    }),
  };
}

/**
 * Fails closed: wiring without a throttle is refused outside tests, so a
 * deployment cannot silently lose brute-force protection.
 */
function testOnlyNoThrottle(nodeEnv: MendConfig['nodeEnv']): LoginThrottle {
  if (nodeEnv !== 'test') {
    throw new Error('createIdentityServices needs a login throttle (createRedisLoginThrottle); only tests may omit it');
  }
  return NO_LOGIN_THROTTLE;
}
