import { generate, generateSecret, generateURI, verify } from 'otplib';

/**
 * TOTP (RFC 6238) as every authenticator app reads it: SHA-1, 6 digits, 30 s.
 * otplib 13 with its audited defaults (@noble/hashes, @scure/base).
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** otplib's tolerance is in seconds; one period each way is exactly ±1 step (AUTH-3: ≤ 1 step). */
const EPOCH_TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
/** 20 bytes = 160 bits, RFC 4226's recommended seed length. */
const SECRET_BYTES = 20;

export const TOTP_ISSUER = 'Mend';

export function createTotpSecret(): string {
  return generateSecret({ length: SECRET_BYTES });
}

/** The `otpauth://totp/...` URI an authenticator app scans (as a QR code). */
export function totpUri(secret: string, accountLabel: string): string {
  return generateURI({
    issuer: TOTP_ISSUER,
    label: accountLabel,
    secret,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The time step (RFC 6238 T) at `nowMs`. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

export function isTotpCodeShape(code: string): boolean {
  return /^\d{6}$/.test(code);
}

export type TotpCheck = { readonly valid: true; readonly step: number } | { readonly valid: false };

/**
 * Checks `code` against the steps now-1, now and now+1, skipping every step at or
 * below `lastUsedStep` (RFC 6238 §5.2: a code is accepted once). The caller still
 * has to claim the returned step atomically in shared storage: this check alone
 * cannot stop two API instances accepting the same code at the same moment.
 */
export async function checkTotp(
  secret: string,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
): Promise<TotpCheck> {
  if (!isTotpCodeShape(code)) return { valid: false };
  const current = totpStep(nowMs);
  // otplib refuses an afterTimeStep beyond its window; every step would be skipped anyway.
  if (lastUsedStep !== null && lastUsedStep >= current + 1) return { valid: false };
  const result = await verify({
    secret,
    token: code,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: EPOCH_TOLERANCE_SECONDS,
    ...(lastUsedStep !== null && lastUsedStep >= 0 ? { afterTimeStep: lastUsedStep } : {}),
  });
  if (!result.valid || !('timeStep' in result)) return { valid: false };
  return { valid: true, step: result.timeStep };
}

/** The code an authenticator shows at `nowMs` (tests, and the CLI's demo helper). */
export function totpCodeAt(secret: string, nowMs: number): Promise<string> {
  return generate({
    secret,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(nowMs / 1000),
  });
}
