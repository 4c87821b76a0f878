import { randomUUID } from 'node:crypto';

import { hashSecret, issueOpaqueToken, parseOpaqueToken, secretMatches } from './opaque-token.js';

describe('opaque tokens <clinicId>.<rowId>.<secret>', () => {
  it('round-trips and stores only the sha256 of the secret', () => {
    const clinicId = randomUUID();
    const issued = issueOpaqueToken(clinicId);
    expect(issued.token).toBe(`${clinicId}.${issued.rowId}.${issued.secret}`);
    expect(parseOpaqueToken(issued.token)).toEqual({ clinicId, rowId: issued.rowId, secret: issued.secret });
    expect(issued.secretHash.equals(hashSecret(issued.secret))).toBe(true);
    expect(issued.secretHash.toString('base64url')).not.toContain(issued.secret);
    expect(secretMatches(issued.secret, issued.secretHash)).toBe(true);
  });

  it('carries 256 bits of randomness per secret', () => {
    const secrets = new Set(Array.from({ length: 200 }, () => issueOpaqueToken(randomUUID()).secret));
    expect(secrets.size).toBe(200);
    expect(Buffer.from([...secrets][0], 'base64url')).toHaveLength(32);
  });

  it.each([
    ['empty', ''],
    ['two parts', `${randomUUID()}.${randomUUID()}`],
    ['four parts', `${randomUUID()}.${randomUUID()}.${'a'.repeat(43)}.x`],
    ['not a uuid', `clinic.${randomUUID()}.${'a'.repeat(43)}`],
    ['short secret', `${randomUUID()}.${randomUUID()}.abc`],
    ['JWT-shaped', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ['too long', `${randomUUID()}.${randomUUID()}.${'a'.repeat(300)}`],
  ])('refuses a malformed token (%s) without throwing', (_label, token) => {
    expect(parseOpaqueToken(token)).toBeUndefined();
  });

  it('refuses non-strings', () => {
    expect(parseOpaqueToken(undefined)).toBeUndefined();
    expect(parseOpaqueToken(42)).toBeUndefined();
  });

  it('does not match another secret or a truncated hash', () => {
    const issued = issueOpaqueToken(randomUUID());
    const other = issueOpaqueToken(randomUUID());
    expect(secretMatches(other.secret, issued.secretHash)).toBe(false);
    expect(secretMatches(issued.secret, issued.secretHash.subarray(0, 16))).toBe(false);
  });
});
