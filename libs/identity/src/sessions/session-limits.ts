/**
 * Login session limits (ASVS 7.1.1 asks them documented; reliability.md AUTH-5):
 * a session ends after 15 minutes without a request or a refresh, and 12 hours
 * after sign-in whatever happens.
 */
export const IDLE_TIMEOUT_MS = 15 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
/** A rotated refresh token still returns its successor this long (two tabs refreshing at once). */
export const REFRESH_GRACE_MS = 10_000;
/** How stale `last_seen_at` may get before a request writes it again (one write per minute, not per request). */
export const LAST_SEEN_GRANULARITY_MS = 60_000;
/**
 * How long an API process believes a database check of a login session
 * (`LoginSessionCache`): a change made by another process (a second API, the
 * CLI) takes effect there within this, well inside AUTH-5's second.
 */
export const LOGIN_SESSION_CACHE_MAX_AGE_MS = 500;
export const USER_AGENT_MAX_LENGTH = 256;

/** Why a login session ended (stored in `revoke_reason`). */
export type RevokeReason =
  | 'logout'
  | 'revoked_by_user'
  | 'password_changed'
  | 'password_reset'
  | 'membership_disabled'
  | 'roles_changed'
  | 'refresh_token_reuse'
  | 'mfa_changed';
