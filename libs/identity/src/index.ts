export * from './clinic/clinic-settings.service.js';
export * from './clinic/provisioning.service.js';
export * from './clock.js';
export * from './identity-audit.js';
export * from './identity.errors.js';
export * from './identity.services.js';
export * from './invitations/invitation.entity.js';
export * from './invitations/invitation.service.js';
export * from './links.js';
export * from './login/login-throttle.js';
export * from './login/login.service.js';
export * from './login/second-factor.js';
export * from './memberships/membership.entity.js';
export * from './memberships/membership.service.js';
export * from './memberships/supervision-link.entity.js';
export * from './mfa/index.js';
export * from './passwords/password-hasher.js';
export * from './passwords/password-policy.js';
export * from './passwords/password-reset.entity.js';
export * from './passwords/password-reset.service.js';
export * from './passwords/password.service.js';
export * from './roles.js';
export * from './sessions/login-session-cache.js';
export * from './sessions/login-session.entity.js';
export * from './sessions/login-session.service.js';
export * from './sessions/refresh-token.entity.js';
export * from './sessions/refresh.service.js';
export * from './sessions/session-limits.js';
export * from './throttle/index.js';
export * from './tokens/opaque-token.js';
export * from './tokens/token.service.js';
export * from './users/email.js';
export * from './users/profile.service.js';
export * from './users/user-credentials.entity.js';
export * from './users/user-recovery-code.entity.js';
export * from './users/user.entity.js';

import { Invitation } from './invitations/invitation.entity.js';
import { Membership } from './memberships/membership.entity.js';
import { SupervisionLink } from './memberships/supervision-link.entity.js';
import { PasswordReset } from './passwords/password-reset.entity.js';
import { LoginSession } from './sessions/login-session.entity.js';
import { RefreshToken } from './sessions/refresh-token.entity.js';
import { UserCredentials } from './users/user-credentials.entity.js';
import { UserRecoveryCode } from './users/user-recovery-code.entity.js';
import { User } from './users/user.entity.js';

/** Entities owned by identity. */
export const IDENTITY_ENTITIES = [
  User,
  UserCredentials,
  UserRecoveryCode,
  Membership,
  SupervisionLink,
  Invitation,
  LoginSession,
  RefreshToken,
  PasswordReset,
];
