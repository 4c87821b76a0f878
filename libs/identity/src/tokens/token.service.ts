import { hkdfSync, randomUUID } from 'node:crypto';

import { SignJWT, type JWTPayload } from 'jose';

import type { Clock } from '../clock.js';
import { IdentityError, IdentityErrorCode, unauthenticated } from '../identity.errors.js';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../roles.js';
import { verifyHs256 } from './hs256.js';

export const TOKEN_ISSUER = 'mend';
export const ACCESS_AUDIENCE = 'mend-api';
export const MFA_AUDIENCE = 'mend-mfa';
/** RFC 9068 media type of an access token, checked in the header as well as the `typ` claim. */
export const ACCESS_HEADER_TYPE = 'at+jwt';
export const MFA_HEADER_TYPE = 'mfa+jwt';
export const MAX_ACCESS_TTL_SECONDS = 600;
export const MFA_TOKEN_TTL_SECONDS = 300;
/** Tolerated clock difference between API instances. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Longer than any token we issue; refused before any parsing. */
const MAX_TOKEN_LENGTH = 4096;
const ALGORITHM = 'HS256';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AMR_VALUES = ['pwd', 'otp', 'rc'];
/**
 * Access tokens already verified by this process, kept until they expire: a
 * client sends the same token with every request for up to ten minutes, and the
 * HMAC, the two JSON parses and the claim checks cost 12–30 µs of the API's
 * single thread per request. The key is the whole token, so only the exact
 * bytes once verified hit; `exp` and `nbf` are checked again at every hit.
 * Revocation does not live here: the login session is checked in the database on
 * every request. Bounded: past this many, the oldest entry makes room.
 */
const VERIFIED_ACCESS_TOKENS_MAX = 10_000;

/** Who an access token speaks for. The clinic comes from here and nowhere else. */
export interface AccessTokenClaims {
  readonly userId: string;
  readonly clinicId: string;
  readonly membershipId: string;
  readonly loginSessionId: string;
  readonly roles: readonly MembershipRole[];
  /** Authentication methods: ['pwd'] or ['pwd', 'otp']. */
  readonly amr: readonly string[];
}

export interface VerifiedAccessToken extends AccessTokenClaims {
  readonly expiresAt: Date;
}

/** The state between a correct password and a correct second factor. */
export interface MfaTokenClaims {
  readonly userId: string;
  readonly clinicId: string;
  readonly membershipId: string;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export interface TokenServiceOptions {
  readonly accessTokenTtlSeconds: number;
  readonly clock: Clock;
}

/**
 * Signs and checks JWTs (RFC 8725): HS256 only (the algorithm is pinned, `none`
 * and every asymmetric algorithm are refused, so a public key can never pose as
 * the secret), issuer, audience, header type and `typ` claim checked, `exp` and
 * `nbf` required. Every failure is the same 401: nothing tells an attacker which
 * check failed.
 */
export class TokenService {
  private readonly accessTtlSeconds: number;
  private readonly verifiedAccessTokens = new Map<string, VerifiedEntry>();

  constructor(
    private readonly secret: Buffer,
    private readonly options: TokenServiceOptions,
  ) {
    if (secret.length < 32) throw new Error('JWT_SECRET must be at least 32 bytes');
    if (options.accessTokenTtlSeconds < 1 || options.accessTokenTtlSeconds > MAX_ACCESS_TTL_SECONDS) {
      throw new Error(`Access tokens live at most ${MAX_ACCESS_TTL_SECONDS} s`);
    }
    this.accessTtlSeconds = options.accessTokenTtlSeconds;
  }

  get accessTokenTtlSeconds(): number {
    return this.accessTtlSeconds;
  }

  /** A key for another purpose (CSRF tokens, refresh successors), independent of the signing key. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, Buffer.alloc(0), `mend/${purpose}`, 32));
  }

  async issueAccessToken(claims: AccessTokenClaims): Promise<IssuedToken> {
    return this.sign(
      {
        cid: claims.clinicId,
        mid: claims.membershipId,
        sid: claims.loginSessionId,
        roles: [...claims.roles],
        amr: [...claims.amr],
        typ: 'access',
      },
      claims.userId,
      ACCESS_AUDIENCE,
      ACCESS_HEADER_TYPE,
      this.accessTtlSeconds,
    );
  }

  /** Asynchronous like the rest of the service; the check itself is synchronous (see {@link verifyHs256}). */
  verifyAccessToken(token: string): Promise<VerifiedAccessToken> {
    return new Promise((resolve) => resolve(this.accessTokenClaims(token)));
  }

  private accessTokenClaims(token: string): VerifiedAccessToken {
    const cached = this.verifiedAccessTokens.get(token);
    if (cached !== undefined) {
      const now = Math.floor(this.options.clock.now().getTime() / 1000);
      // The same bounds as verifyHs256's checks.
      if (cached.exp > now - CLOCK_TOLERANCE_SECONDS && cached.nbf <= now + CLOCK_TOLERANCE_SECONDS) {
        return cached.claims;
      }
      this.verifiedAccessTokens.delete(token);
      throw unauthenticated();
    }
    const payload = this.verify(token, ACCESS_AUDIENCE, ACCESS_HEADER_TYPE, 'access', this.accessTtlSeconds);
    const { cid, mid, sid, roles, amr } = payload;
    if (!isUuid(cid) || !isUuid(mid) || !isUuid(sid)) throw unauthenticated();
    if (!isStringList(roles) || roles.length === 0 || !roles.every(isRole)) throw unauthenticated();
    if (!isStringList(amr) || !amr.includes('pwd') || !amr.every((value) => AMR_VALUES.includes(value))) {
      throw unauthenticated();
    }
    // Shared by every request that presents this token: frozen.
    const claims: VerifiedAccessToken = Object.freeze({
      userId: payload.sub as string,
      clinicId: cid,
      membershipId: mid,
      loginSessionId: sid,
      roles: Object.freeze(roles),
      amr: Object.freeze(amr),
      expiresAt: new Date((payload.exp as number) * 1000),
    });
    if (this.verifiedAccessTokens.size >= VERIFIED_ACCESS_TOKENS_MAX) {
      // Map keeps insertion order: the first key is the oldest entry.
      this.verifiedAccessTokens.delete(this.verifiedAccessTokens.keys().next().value as string);
    }
    this.verifiedAccessTokens.set(token, { claims, exp: payload.exp as number, nbf: payload.nbf as number });
    return claims;
  }

  async issueMfaToken(claims: MfaTokenClaims): Promise<IssuedToken> {
    return this.sign(
      { cid: claims.clinicId, mid: claims.membershipId, typ: 'mfa' },
      claims.userId,
      MFA_AUDIENCE,
      MFA_HEADER_TYPE,
      MFA_TOKEN_TTL_SECONDS,
    );
  }

  /** Throws 401 `invalid_mfa_token` (sign in again) when the token is not a valid, current MFA token. */
  verifyMfaToken(token: string): Promise<MfaTokenClaims> {
    return new Promise((resolve) => resolve(this.mfaTokenClaims(token)));
  }

  private mfaTokenClaims(token: string): MfaTokenClaims {
    try {
      const payload = this.verify(token, MFA_AUDIENCE, MFA_HEADER_TYPE, 'mfa', MFA_TOKEN_TTL_SECONDS);
      if (!isUuid(payload.cid) || !isUuid(payload.mid)) throw unauthenticated();
      return { userId: payload.sub as string, clinicId: payload.cid, membershipId: payload.mid };
    } catch {
      throw new IdentityError(
        IdentityErrorCode.InvalidMfaToken,
        'The sign-in step expired or is invalid: sign in again',
      );
    }
  }

  private async sign(
    claims: Record<string, unknown>,
    subject: string,
    audience: string,
    headerType: string,
    ttlSeconds: number,
  ): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.options.clock.now().getTime() / 1000);
    const expiresAt = issuedAt + ttlSeconds;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: headerType })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(audience)
      .setSubject(subject)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.secret);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  private verify(
    token: string,
    audience: string,
    headerType: string,
    typ: string,
    maxTtlSeconds: number,
  ): JWTPayload & Record<string, unknown> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw unauthenticated();
    let payload: JWTPayload & Record<string, unknown>;
    try {
      payload = verifyHs256(token, this.secret, {
        issuer: TOKEN_ISSUER,
        audience,
        typ: headerType,
        requiredClaims: ['exp', 'nbf', 'iat', 'sub'],
        currentDate: this.options.clock.now(),
        clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
      });
    } catch {
      // Bad signature, wrong algorithm, audience, issuer or type, expired, not yet valid, malformed.
      throw unauthenticated();
    }
    if (payload.typ !== typ || !isUuid(payload.sub)) throw unauthenticated();
    // A token that claims a longer life than we ever issue was not issued by us.
    if ((payload.exp as number) - (payload.nbf as number) > maxTtlSeconds) throw unauthenticated();
    return payload;
  }
}

interface VerifiedEntry {
  readonly claims: VerifiedAccessToken;
  readonly exp: number;
  readonly nbf: number;
}

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= 8 && value.every((item) => typeof item === 'string');
}

function isRole(value: string): value is MembershipRole {
  return (MEMBERSHIP_ROLES as readonly string[]).includes(value);
}
