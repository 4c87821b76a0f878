import { randomBytes, randomUUID } from 'node:crypto';

import { decodeJwt, decodeProtectedHeader } from 'jose';

import { ManualClock } from '../clock.js';
import { IdentityErrorCode } from '../identity.errors.js';
import { TokenService, type AccessTokenClaims } from './token.service.js';

function claims(): AccessTokenClaims {
  return {
    userId: randomUUID(),
    clinicId: randomUUID(),
    membershipId: randomUUID(),
    loginSessionId: randomUUID(),
    roles: ['counselor'],
    amr: ['pwd', 'otp'],
  };
}

describe('TokenService', () => {
  const secret = randomBytes(32);
  const clock = new ManualClock(new Date('2026-03-01T09:00:00Z'));
  const tokens = new TokenService(secret, { accessTokenTtlSeconds: 600, clock });

  it('issues an HS256 access token with iss, aud, typ, sub, cid, mid, sid, roles, amr, nbf and exp', async () => {
    const input = claims();
    const issued = await tokens.issueAccessToken(input);
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    const payload = decodeJwt(issued.token);
    expect(payload).toMatchObject({
      iss: 'mend',
      aud: 'mend-api',
      typ: 'access',
      sub: input.userId,
      cid: input.clinicId,
      mid: input.membershipId,
      sid: input.loginSessionId,
      roles: ['counselor'],
      amr: ['pwd', 'otp'],
    });
    expect((payload.exp as number) - (payload.nbf as number)).toBe(600);
    expect(await tokens.verifyAccessToken(issued.token)).toMatchObject({ ...input, expiresAt: issued.expiresAt });
  });

  it('never issues access tokens living longer than 10 minutes', () => {
    expect(() => new TokenService(secret, { accessTokenTtlSeconds: 601, clock })).toThrow();
    expect(() => new TokenService(randomBytes(16), { accessTokenTtlSeconds: 600, clock })).toThrow();
  });

  it('refuses an expired token and accepts it again only within the 5 s clock tolerance', async () => {
    const local = new ManualClock(new Date('2026-03-01T09:00:00Z'));
    const service = new TokenService(secret, { accessTokenTtlSeconds: 60, clock: local });
    const issued = await service.issueAccessToken(claims());
    local.advance(64_000);
    await expect(service.verifyAccessToken(issued.token)).resolves.toBeDefined();
    local.advance(2_000);
    await expect(service.verifyAccessToken(issued.token)).rejects.toMatchObject({
      code: IdentityErrorCode.Unauthenticated,
    });
  });

  it('answers a token it has verified from memory, still bounded by exp and nbf, never for other bytes', async () => {
    const local = new ManualClock(new Date('2026-03-01T09:00:00Z'));
    const service = new TokenService(secret, { accessTokenTtlSeconds: 60, clock: local });
    const input = claims();
    const issued = await service.issueAccessToken(input);
    const first = await service.verifyAccessToken(issued.token);
    const again = await service.verifyAccessToken(issued.token);
    // The same frozen claims, shared by the requests that present the token.
    expect(again).toBe(first);
    expect(Object.isFrozen(again)).toBe(true);
    expect(Object.isFrozen(again.roles)).toBe(true);
    expect(again).toMatchObject({ ...input, expiresAt: issued.expiresAt });

    // One signature character changed, or a character appended: verified afresh, refused.
    const [head, payload, signature] = issued.token.split('.');
    const flipped = `${head}.${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    for (const forged of [flipped, `${issued.token}A`, `${head}.${payload}.`]) {
      await expect(service.verifyAccessToken(forged)).rejects.toMatchObject({
        code: IdentityErrorCode.Unauthenticated,
      });
    }

    // Before nbf (a clock set back beyond the tolerance) and after exp: refused, remembered or not.
    local.set(new Date('2026-03-01T08:59:50Z'));
    await expect(service.verifyAccessToken(issued.token)).rejects.toMatchObject({
      code: IdentityErrorCode.Unauthenticated,
    });
    local.set(new Date('2026-03-01T09:00:00Z'));
    await expect(service.verifyAccessToken(issued.token)).resolves.toMatchObject(input);
    local.advance(66_000);
    await expect(service.verifyAccessToken(issued.token)).rejects.toMatchObject({
      code: IdentityErrorCode.Unauthenticated,
    });
    local.set(new Date('2026-03-01T09:00:30Z'));
    await expect(service.verifyAccessToken(issued.token)).resolves.toMatchObject(input);
  });

  it('keeps access and MFA tokens apart (audience, header type and typ claim)', async () => {
    const access = await tokens.issueAccessToken(claims());
    const mfa = await tokens.issueMfaToken({
      userId: randomUUID(),
      clinicId: randomUUID(),
      membershipId: randomUUID(),
    });
    await expect(tokens.verifyAccessToken(mfa.token)).rejects.toMatchObject({ status: 401 });
    await expect(tokens.verifyMfaToken(access.token)).rejects.toMatchObject({
      code: IdentityErrorCode.InvalidMfaToken,
    });
    expect(decodeJwt(mfa.token)).toMatchObject({ aud: 'mend-mfa', typ: 'mfa' });
    expect(mfa.expiresAt.getTime() - clock.now().getTime()).toBe(300_000);
  });

  it('refuses a token signed with another secret', async () => {
    const other = new TokenService(randomBytes(32), { accessTokenTtlSeconds: 600, clock });
    const issued = await other.issueAccessToken(claims());
    await expect(tokens.verifyAccessToken(issued.token)).rejects.toMatchObject({ status: 401 });
  });

  it('derives independent keys per purpose', () => {
    expect(tokens.deriveKey('csrf').equals(tokens.deriveKey('refresh-successor'))).toBe(false);
    expect(tokens.deriveKey('csrf').equals(secret)).toBe(false);
    expect(
      tokens.deriveKey('csrf').equals(new TokenService(secret, { accessTokenTtlSeconds: 60, clock }).deriveKey('csrf')),
    ).toBe(true);
  });
});
