import { createHash, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const CODE_LENGTH = 10;
/** Crockford's base32: no i, l, o, u, so a code read aloud or retyped is not misread. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ten single-use codes, 50 bits each from the CSPRNG (`randomInt` is unbiased),
 * shown once as `xxxxx-xxxxx`. Below 112 bits, so stored only as sha256 hashes
 * (ASVS 6.5.2); online guessing is bounded by the MFA attempt limit (5 per 30 s).
 */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let code = '';
    for (let index = 0; index < CODE_LENGTH; index += 1) code += ALPHABET[randomInt(ALPHABET.length)];
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/** The canonical form of what a user typed: case, spaces and dashes ignored; o→0, i/l→1. */
export function normalizeRecoveryCode(input: string): string | null {
  const cleaned = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  if (cleaned.length !== CODE_LENGTH) return null;
  for (const character of cleaned) if (!ALPHABET.includes(character)) return null;
  return cleaned;
}

export function hashRecoveryCode(normalized: string): string {
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}
