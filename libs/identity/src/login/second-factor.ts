/**
 * The second factor behind a staff sign-in (TOTP or a recovery code), implemented
 * in `../mfa/`. Login asks it only after a correct password, with the user the
 * MFA token names; the implementation owns replay protection (a code is accepted
 * once, across API instances) and the rate limit of verification attempts (it
 * throws a 429 IdentityError when exceeded).
 */
export interface SecondFactorVerifier {
  /** Whether the user has a confirmed second factor; false means "enrol first". */
  isEnrolled(userId: string): Promise<boolean>;
  /**
   * Checks a code. Returns the method that matched (recorded in the session's
   * `amr`), or null when the code is wrong, already used or the user has no
   * second factor.
   */
  verify(userId: string, code: string): Promise<SecondFactorMethod | null>;
  /**
   * Optional: like `verify`, with the reason of a failure (for the audit trail)
   * and the rate limit as a result instead of an exception.
   */
  verifyDetailed?(userId: string, code: string): Promise<SecondFactorCheck>;
}

/** The outcome of one attempt at a second factor, with the reason of a failure (ids and codes only). */
export type SecondFactorCheck =
  | { readonly ok: true; readonly method: 'totp' | 'recovery_code' }
  | { readonly ok: false; readonly reason: string; readonly retryAfterSeconds?: number };

/**
 * `otp`: a TOTP code; `rc`: a recovery code. Both are one-time passwords in the
 * sense of RFC 8176, so either gives the session `amr` ['pwd', 'otp']; which one
 * was used goes to the audit trail.
 */
export type SecondFactorMethod = 'otp' | 'rc';

/**
 * The safe default until an implementation is bound: nobody is enrolled and no
 * code is accepted, so staff cannot sign in without a second factor (only the
 * demo, MEND_DEMO=true, skips it).
 */
export const NO_SECOND_FACTOR: SecondFactorVerifier = {
  isEnrolled: () => Promise.resolve(false),
  verify: () => Promise.resolve(null),
};

/** The `amr` of a session signed in with a password and this second factor. */
export function amrFor(method: SecondFactorMethod | null): string[] {
  return method === null ? ['pwd'] : ['pwd', 'otp'];
}
