import type { DataKey, EnvelopeEncryption, SystemTransaction } from '@mend/core';

import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { SecondFactorMethod, SecondFactorVerifier } from '../login/second-factor.js';
import type { SlidingWindowLimiter } from '../throttle/sliding-window.js';
import type { MfaStore, StoredMfa } from './mfa.store.js';
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js';
import { checkTotp, createTotpSecret, isTotpCodeShape, totpUri } from './totp.js';

/** AUTH-3: at most 5 verification attempts per account in any 30 s. */
export const MFA_ATTEMPTS_PER_WINDOW = 5;
export const MFA_ATTEMPT_WINDOW_MS = 30_000;

export type MfaFailureReason =
  /** Wrong code (or an unknown / used recovery code). */
  | 'invalid'
  /** A correct TOTP code whose time step was already used: RFC 6238 §5.2. */
  | 'replayed'
  | 'rate_limited'
  | 'not_enrolled'
  /** confirmEnrollment without a started enrollment (or it was confirmed meanwhile). */
  | 'not_started';

export type MfaVerification =
  | { readonly ok: true; readonly method: 'totp' | 'recovery_code' }
  | { readonly ok: false; readonly reason: MfaFailureReason; readonly retryAfterSeconds?: number };

export type MfaEnrollmentConfirmation =
  | { readonly ok: true; readonly recoveryCodes: readonly string[] }
  | { readonly ok: false; readonly reason: MfaFailureReason; readonly retryAfterSeconds?: number };

export interface MfaEnrollmentStart {
  /** For the QR code; shown to the user once, never logged. */
  readonly otpauthUri: string;
  /** The same seed in Base32, for typing into an app by hand. */
  readonly secret: string;
}

export interface MfaServiceOptions {
  /** Key namespace of the attempt limiter (QUEUE_PREFIX), e.g. `mend`. */
  readonly keyPrefix: string;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  readonly now?: () => number;
}

/**
 * TOTP second factor with recovery codes (issue 3, item 4; AUTH-3).
 *
 * - Seeds are envelope-encrypted: one data key per user, wrapped by the master
 *   key, AAD `user:<id>/mfa` (so a seed copied to another user's row fails).
 * - A code is accepted once: the accepted time step is claimed by one
 *   conditional UPDATE, which also holds between API instances.
 * - Every attempt (TOTP, recovery code, enrollment confirmation) first takes a
 *   slot in a shared sliding window: 5 per 30 s per account.
 */
export class MfaService implements SecondFactorVerifier {
  private readonly now: () => number;

  constructor(
    private readonly store: MfaStore,
    private readonly encryption: EnvelopeEncryption,
    private readonly attempts: SlidingWindowLimiter,
    private readonly options: MfaServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** This service working inside a transaction that acts as the user (see {@link MfaStore.within}). */
  within(tx: SystemTransaction): MfaService {
    return new MfaService(this.store.within(tx), this.encryption, this.attempts, this.options);
  }

  async isEnrolled(userId: string): Promise<boolean> {
    const stored = await this.store.load(userId);
    return isActive(stored);
  }

  /**
   * Starts (or restarts) an enrollment: a new seed is stored as pending and the
   * active one, if any, keeps working until the new one is confirmed.
   *
   * Replacing an active second factor needs `replaceExisting: true`, which a
   * caller may pass only for a session that already proved the current second
   * factor (amr includes otp). Otherwise a stolen password alone, at the MFA step
   * of a sign-in, could enrol the attacker's authenticator in place of the user's.
   */
  async startEnrollment(
    userId: string,
    accountLabel: string,
    options: { readonly replaceExisting?: boolean } = {},
  ): Promise<MfaEnrollmentStart> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const stored = await this.store.load(userId);
      if (stored === null) throw new Error('No such user');
      if (isActive(stored) && options.replaceExisting !== true) {
        throw new IdentityError(IdentityErrorCode.Conflict, 'A second factor is already set up for this account');
      }
      const dataKey = this.dataKeyOf(userId, stored) ?? this.encryption.createDataKey(dataKeyId(userId));
      const secret = createTotpSecret();
      const pending = this.encryption.encrypt(dataKey, secret, pendingAad(userId));
      // Lost a race with another start that created the user's first data key: start over with it.
      if (await this.store.savePending(userId, pending, dataKey.wrapped, stored.dataKey)) {
        return { secret, otpauthUri: totpUri(secret, accountLabel) };
      }
    }
    throw new Error('MFA enrollment kept changing under us');
  }

  /**
   * Confirms the pending enrollment with a code from the app. Returns the ten
   * recovery codes, in the clear this once only.
   */
  async confirmEnrollment(userId: string, code: string): Promise<MfaEnrollmentConfirmation> {
    const limited = await this.takeAttempt(userId);
    if (limited !== undefined) return limited;
    const stored = await this.store.load(userId);
    if (stored === null || stored.pendingSecret === null || stored.dataKey === null) {
      return { ok: false, reason: 'not_started' };
    }
    const dataKey = this.encryption.unwrapDataKey(dataKeyId(userId), stored.dataKey);
    const secret = this.encryption.decrypt(dataKey, stored.pendingSecret, pendingAad(userId));
    // A new seed: steps used with the previous seed do not apply to it.
    const check = await checkTotp(secret, compact(code), this.now(), null);
    if (!check.valid) return { ok: false, reason: 'invalid' };
    const recoveryCodes = generateRecoveryCodes();
    const hashes = recoveryCodes.map((recoveryCode) => hashRecoveryCode(normalizeRecoveryCode(recoveryCode) ?? ''));
    const activated = await this.store.activate(
      userId,
      stored.pendingSecret,
      this.encryption.encrypt(dataKey, secret, activeAad(userId)),
      check.step,
      hashes,
    );
    if (!activated) return { ok: false, reason: 'not_started' };
    return { ok: true, recoveryCodes };
  }

  /**
   * {@link SecondFactorVerifier}: the method that matched (`otp` for TOTP, `rc`
   * for a recovery code), or null for a wrong, replayed or unenrolled attempt.
   * Over the attempt limit it throws a 429 {@link IdentityError} with Retry-After.
   */
  async verify(userId: string, code: string): Promise<SecondFactorMethod | null> {
    const result = await this.verifyDetailed(userId, code);
    if (result.ok) return result.method === 'totp' ? 'otp' : 'rc';
    if (result.reason === 'rate_limited') throw rateLimited(result.retryAfterSeconds);
    return null;
  }

  /** Like {@link verify}, with the reason (for the audit trail and a 429 with Retry-After). */
  async verifyDetailed(userId: string, code: string): Promise<MfaVerification> {
    const limited = await this.takeAttempt(userId);
    if (limited !== undefined) return limited;
    const stored = await this.store.load(userId);
    if (!isActive(stored)) return { ok: false, reason: 'not_enrolled' };

    const input = compact(code);
    if (isTotpCodeShape(input)) {
      const dataKey = this.encryption.unwrapDataKey(dataKeyId(userId), stored.dataKey);
      const secret = this.encryption.decrypt(dataKey, stored.secret, activeAad(userId));
      // Skipping steps already used is an optimisation; the claim below is the guard.
      const check = await checkTotp(secret, input, this.now(), stored.lastStep);
      if (!check.valid) {
        const sameCodeEarlier = await checkTotp(secret, input, this.now(), null);
        return { ok: false, reason: sameCodeEarlier.valid ? 'replayed' : 'invalid' };
      }
      if (!(await this.store.claimStep(userId, check.step))) return { ok: false, reason: 'replayed' };
      return { ok: true, method: 'totp' };
    }

    const recoveryCode = normalizeRecoveryCode(input);
    if (recoveryCode !== null && (await this.store.useRecoveryCode(userId, hashRecoveryCode(recoveryCode)))) {
      return { ok: true, method: 'recovery_code' };
    }
    return { ok: false, reason: 'invalid' };
  }

  remainingRecoveryCodes(userId: string): Promise<number> {
    return this.store.remainingRecoveryCodes(userId);
  }

  private async takeAttempt(
    userId: string,
  ): Promise<{ ok: false; reason: 'rate_limited'; retryAfterSeconds: number } | undefined> {
    const reservation = await this.attempts.reserve(
      `${this.options.keyPrefix}:mfa-attempts:${userId}`,
      MFA_ATTEMPTS_PER_WINDOW,
      MFA_ATTEMPT_WINDOW_MS,
    );
    if (reservation.allowed) return undefined;
    return {
      ok: false,
      reason: 'rate_limited',
      retryAfterSeconds: Math.max(1, Math.ceil(reservation.retryAfterMs / 1000)),
    };
  }

  private dataKeyOf(userId: string, stored: StoredMfa): DataKey | undefined {
    return stored.dataKey === null ? undefined : this.encryption.unwrapDataKey(dataKeyId(userId), stored.dataKey);
  }
}

type ActiveMfa = StoredMfa & { readonly secret: string; readonly dataKey: string; readonly enrolledAt: Date };

function isActive(stored: StoredMfa | null): stored is ActiveMfa {
  return stored !== null && stored.secret !== null && stored.dataKey !== null && stored.enrolledAt !== null;
}

/** Spaces and dashes some apps show inside a code ("123 456") are not part of it. */
function compact(code: string): string {
  return code.replace(/[\s-]/g, '');
}

function dataKeyId(userId: string): string {
  return `user:${userId}/mfa`;
}

function activeAad(userId: string): string {
  return `user:${userId}/mfa`;
}

function pendingAad(userId: string): string {
  return `user:${userId}/mfa-pending`;
}

function rateLimited(retryAfterSeconds: number | undefined): IdentityError {
  return new IdentityError(IdentityErrorCode.RateLimited, 'Too many attempts at a second factor: try again shortly', {
    retryAfterSeconds,
  });
}
