import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const SECRET_BYTES = 32;

/**
 * A token handed to a browser or an email: `<clinicId>.<rowId>.<secret>`. It names
 * its own clinic and row, so it is found inside that clinic's unit of work with no
 * cross-clinic lookup; the row stores only sha256(secret). Used for refresh
 * tokens, invitations and password resets.
 */
export interface OpaqueToken {
  readonly clinicId: string;
  readonly rowId: string;
  readonly secret: string;
}

export interface IssuedOpaqueToken extends OpaqueToken {
  readonly token: string;
  readonly secretHash: Buffer;
}

export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export function issueOpaqueToken(
  clinicId: string,
  rowId: string = randomUUID(),
  secret: string = newSecret(),
): IssuedOpaqueToken {
  return { clinicId, rowId, secret, token: `${clinicId}.${rowId}.${secret}`, secretHash: hashSecret(secret) };
}

/** The parts of a well-formed token, or undefined (never throws: the caller answers uniformly). */
export function parseOpaqueToken(token: unknown): OpaqueToken | undefined {
  if (typeof token !== 'string' || token.length > 200) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [clinicId, rowId, secret] = parts;
  if (!UUID.test(clinicId) || !UUID.test(rowId) || !SECRET.test(secret)) return undefined;
  return { clinicId, rowId, secret };
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}
