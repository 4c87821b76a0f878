import { createHmac, createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

import { decodeJwt } from 'jose';

import { PROBLEM_CONTENT_TYPE } from '@mend/core';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  postJson,
  signIn,
  startIdentityApp,
  type IdentityApp,
  type Tokens,
} from './support/identity-app.js';

const SECRET = randomBytes(48);
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function hs(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: Buffer | string,
  hash = 'sha256',
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
}

const HEADER = { alg: 'HS256', typ: 'at+jwt' };

/**
 * AUTH-6: crafted tokens, each refused with 401 problem+json. The claims come from
 * a real access token, so a variant fails only for the one thing changed (the
 * control, the same claims re-signed correctly, is accepted).
 */
describe('crafted access tokens', () => {
  let api: IdentityApp;
  let tokens: Tokens;
  let claims: Record<string, unknown>;
  let mfaToken: string;
  const now = () => Math.floor(api.clock.now().getTime() / 1000);

  beforeAll(async () => {
    api = await startIdentityApp({ env: { JWT_SECRET: SECRET.toString('base64') } });
    const admin = await createClinicWithAdmin(api.identity);
    const client = await addMember(api.identity, admin.clinicId, ['client']);
    tokens = await signIn(api, client);
    claims = decodeJwt(tokens.accessToken);
    const login = await postJson(api, '/api/v1/auth/login', { email: admin.email, password: admin.password });
    mfaToken = login.json<{ mfaToken: string }>().mfaToken;
  });
  afterAll(() => api.close());

  const me = (authorization: string) => api.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });

  it('accepts the control: the real claims re-signed with the real key', async () => {
    expect((await me(`Bearer ${hs(HEADER, claims, SECRET)}`)).statusCode).toBe(200);
    expect((await me(`Bearer ${tokens.accessToken}`)).statusCode).toBe(200);
  });

  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;

  const variants: [string, () => string][] = [
    ['alg none, no signature', () => `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`],
    ['alg None (casing)', () => `${b64({ alg: 'None', typ: 'at+jwt' })}.${b64(claims)}.`],
    [
      'alg none with the real signature kept',
      () => `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.${tokens.accessToken.split('.')[2]}`,
    ],
    ['HS256 with a wrong key', () => hs(HEADER, claims, randomBytes(48))],
    ['HS/RS confusion: HS256 keyed with an RSA public key (PEM)', () => hs(HEADER, claims, publicPem)],
    [
      'RS256 signed with an RSA private key',
      () => {
        const input = `${b64({ alg: 'RS256', typ: 'at+jwt' })}.${b64(claims)}`;
        return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
      },
    ],
    [
      'HS512 with the real key (algorithm not pinned)',
      () => hs({ alg: 'HS512', typ: 'at+jwt' }, claims, SECRET, 'sha512'),
    ],
    ['wrong audience', () => hs(HEADER, { ...claims, aud: 'mend-admin' }, SECRET)],
    ['wrong issuer', () => hs(HEADER, { ...claims, iss: 'someone-else' }, SECRET)],
    ['expired', () => hs(HEADER, { ...claims, iat: now() - 1_200, nbf: now() - 1_200, exp: now() - 600 }, SECRET)],
    ['nbf in the future', () => hs(HEADER, { ...claims, nbf: now() + 300, exp: now() + 600 }, SECRET)],
    ['no exp', () => hs(HEADER, { ...claims, exp: undefined }, SECRET)],
    ['no nbf', () => hs(HEADER, { ...claims, nbf: undefined }, SECRET)],
    ['no sub', () => hs(HEADER, { ...claims, sub: undefined }, SECRET)],
    ['no sid (login session)', () => hs(HEADER, { ...claims, sid: undefined }, SECRET)],
    ['lifetime beyond 10 minutes', () => hs(HEADER, { ...claims, exp: now() + 86_400 }, SECRET)],
    ['header typ JWT instead of at+jwt', () => hs({ alg: 'HS256', typ: 'JWT' }, claims, SECRET)],
    ['typ claim refresh', () => hs(HEADER, { ...claims, typ: 'refresh' }, SECRET)],
    ['MFA token used as an access token', () => mfaToken],
    ['refresh token used as an access token', () => tokens.refreshToken],
    ['truncated', () => tokens.accessToken.slice(0, -10)],
    [
      'bad signature (one character changed)',
      () => {
        const [header, payload, signature] = tokens.accessToken.split('.');
        return `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      },
    ],
    [
      'payload tampered (roles), signature kept',
      () => {
        const [header, , signature] = tokens.accessToken.split('.');
        return `${header}.${b64({ ...claims, roles: ['clinic_admin'] })}.${signature}`;
      },
    ],
    ['extra dots', () => `${tokens.accessToken}.extra`],
    ['five parts (JWE shape)', () => `${tokens.accessToken}.x.y`],
    ['garbage base64', () => '%%%.@@@.!!!'],
    ['header not JSON', () => `${Buffer.from('not json').toString('base64url')}.${b64(claims)}.c2ln`],
    ['valid signature, unknown login session', () => hs(HEADER, { ...claims, sid: randomUUID() }, SECRET)],
    ['valid signature, another clinic', () => hs(HEADER, { ...claims, cid: randomUUID() }, SECRET)],
    ['oversized token', () => `${tokens.accessToken}${'A'.repeat(5_000)}`],
  ];

  it(`has at least 20 variants (${variants.length})`, () => {
    expect(variants.length).toBeGreaterThanOrEqual(20);
  });

  it.each(variants)('refuses %s with 401 problem+json', async (_label, craft) => {
    const response = await me(`Bearer ${craft()}`);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="mend"');
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty Bearer', 'Bearer '],
    ['the Basic scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['the token without a scheme', 'TOKEN'],
  ])('refuses %s with 401', async (_label, authorization) => {
    const response = await api.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers:
        authorization === undefined
          ? {}
          : { authorization: authorization === 'TOKEN' ? tokens.accessToken : authorization },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('still accepts the genuine token afterwards (nothing above revoked it)', async () => {
    expect(
      (await api.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(tokens.accessToken) })).statusCode,
    ).toBe(200);
  });
});
