import { createHmac, timingSafeEqual } from 'node:crypto';

/** What {@link verifyHs256} checks besides the signature: the subset of jose's `jwtVerify` options Mend uses. */
export interface Hs256VerifyOptions {
  readonly issuer: string;
  readonly audience: string;
  /** The `typ` header, compared as jose does (case-insensitive, `application/` optional). */
  readonly typ: string;
  readonly requiredClaims: readonly string[];
  readonly currentDate: Date;
  readonly clockToleranceSeconds: number;
}

/** Thrown for every failure: callers answer one 401 whatever the cause. */
export class InvalidJwtError extends Error {
  constructor(reason: string) {
    super(`Invalid JWT: ${reason}`);
    this.name = 'InvalidJwtError';
  }
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** 32 bytes of HMAC-SHA256 in unpadded base64url. */
const SIGNATURE_LENGTH = 43;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Verifies a compact HS256 JWT synchronously with node:crypto: the same checks
 * as jose's `jwtVerify(token, secret, { algorithms: ['HS256'], issuer, audience,
 * typ, requiredClaims, currentDate, clockTolerance })` (the algorithm is pinned,
 * `crit` is refused, the signature is compared in constant time before the
 * payload is read, `exp`/`nbf`/`iat` must be numbers, `exp <= now - tolerance`
 * and `nbf > now + tolerance` are refused), without WebCrypto's per-call key
 * import and asynchronous job, which cost ten times the HMAC on every request.
 * A differential test holds it to jose's answers.
 */
export function verifyHs256(token: string, key: Buffer, options: Hs256VerifyOptions): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidJwtError('not three segments');
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  if (!SEGMENT.test(encodedHeader) || !SEGMENT.test(encodedPayload) || !SEGMENT.test(encodedSignature)) {
    throw new InvalidJwtError('not base64url');
  }
  const header = decodeJson(encodedHeader);
  if (header.alg !== 'HS256') throw new InvalidJwtError('algorithm');
  if (Object.hasOwn(header, 'crit')) throw new InvalidJwtError('crit');
  if (encodedSignature.length !== SIGNATURE_LENGTH) throw new InvalidJwtError('signature length');
  const expected = createHmac('sha256', key).update(`${encodedHeader}.${encodedPayload}`).digest();
  const signature = Buffer.from(encodedSignature, 'base64url');
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new InvalidJwtError('signature');
  }
  const claims = decodeJson(encodedPayload);
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== normalizeTyp(options.typ)) {
    throw new InvalidJwtError('typ');
  }
  for (const claim of options.requiredClaims) {
    if (!Object.hasOwn(claims, claim)) throw new InvalidJwtError(`missing ${claim}`);
  }
  if (!Object.hasOwn(claims, 'iss') || claims.iss !== options.issuer) throw new InvalidJwtError('iss');
  const { aud } = claims;
  const hasAudience =
    typeof aud === 'string' ? aud === options.audience : Array.isArray(aud) && aud.includes(options.audience);
  if (!hasAudience) throw new InvalidJwtError('aud');
  const now = Math.floor(options.currentDate.getTime() / 1000);
  const tolerance = options.clockToleranceSeconds;
  numericDate(claims, 'iat');
  const nbf = numericDate(claims, 'nbf');
  if (nbf !== undefined && nbf > now + tolerance) throw new InvalidJwtError('nbf');
  const exp = numericDate(claims, 'exp');
  if (exp !== undefined && exp <= now - tolerance) throw new InvalidJwtError('exp');
  return claims;
}

function decodeJson(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(Buffer.from(segment, 'base64url')));
  } catch {
    throw new InvalidJwtError('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidJwtError('not an object');
  return value as Record<string, unknown>;
}

function numericDate(claims: Record<string, unknown>, claim: string): number | undefined {
  const value = claims[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new InvalidJwtError(`${claim} is not a number`);
  return value;
}

/** As jose: a media type without a slash is an `application/` one; case-insensitive. */
function normalizeTyp(value: string): string {
  const lower = value.toLowerCase();
  return value.includes('/') ? lower : `application/${lower}`;
}
