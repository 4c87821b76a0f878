import { randomBytes, randomUUID } from 'node:crypto';

import type { FastifyReply, FastifyRequest } from 'fastify';

import { csrfTokenFor, type TokenPair } from '@mend/identity';

import { AuthCookies, isLoopbackHttp } from './auth-cookies.js';

function pair(now: Date): TokenPair {
  return {
    accessToken: 'access.jwt.value',
    accessTokenExpiresAt: new Date(now.getTime() + 600_000),
    refreshToken: 'refresh-token-value',
    refreshTokenExpiresAt: new Date(now.getTime() + 12 * 3_600_000),
    loginSessionId: randomUUID(),
    clinicId: randomUUID(),
    membershipId: randomUUID(),
    userId: randomUUID(),
    roles: ['client'],
    amr: ['pwd'],
  };
}

function recordingReply(): {
  reply: FastifyReply;
  cookies: Map<string, { value: string; options: Record<string, unknown> }>;
} {
  const cookies = new Map<string, { value: string; options: Record<string, unknown> }>();
  const reply = {
    setCookie(name: string, value: string, options: Record<string, unknown>) {
      cookies.set(name, { value, options });
      return reply;
    },
  } as unknown as FastifyReply;
  return { reply, cookies };
}

function request(cookies: Record<string, string>, headers: Record<string, string> = {}): FastifyRequest {
  return { cookies, headers } as unknown as FastifyRequest;
}

describe('AuthCookies', () => {
  const key = randomBytes(32);
  const now = new Date('2026-03-01T09:00:00Z');

  it('over https: __Host- names, Secure, HttpOnly tokens, SameSite=Strict, Path=/, lifetimes of the tokens', () => {
    const cookies = new AuthCookies({ publicUrl: 'https://mend.example.org', isProduction: false }, key);
    const { reply, cookies: set } = recordingReply();
    const tokens = pair(now);
    const csrf = cookies.set(reply, tokens, now);
    expect([...set.keys()]).toEqual(['__Host-mend_access', '__Host-mend_refresh', '__Host-mend_csrf']);
    for (const [name, cookie] of set) {
      expect(cookie.options).toMatchObject({ secure: true, sameSite: 'strict', path: '/' });
      expect(cookie.options.httpOnly).toBe(name !== '__Host-mend_csrf');
      expect(cookie.options.domain).toBeUndefined();
    }
    expect(set.get('__Host-mend_access')?.options.maxAge).toBe(600);
    expect(set.get('__Host-mend_refresh')?.options.maxAge).toBe(12 * 3600);
    expect(csrf).toBe(csrfTokenFor(key, tokens.loginSessionId));
  });

  it('in production always Secure with the prefix, even if PUBLIC_URL says http', () => {
    expect(new AuthCookies({ publicUrl: 'http://mend.internal', isProduction: true }, key).names.access).toBe(
      '__Host-mend_access',
    );
  });

  it('over plain http on loopback (the demo, the browser tests): __Host- names and Secure, as over https', () => {
    for (const publicUrl of [
      'http://localhost:3000',
      'http://app.localhost',
      'http://127.0.0.1:4100',
      'http://[::1]:3000',
    ]) {
      const cookies = new AuthCookies({ publicUrl, isProduction: false }, key);
      const { reply, cookies: set } = recordingReply();
      cookies.set(reply, pair(now), now);
      expect({ publicUrl, names: [...set.keys()] }).toEqual({
        publicUrl,
        names: ['__Host-mend_access', '__Host-mend_refresh', '__Host-mend_csrf'],
      });
      expect([...set.values()].every((cookie) => cookie.options.secure === true)).toBe(true);
    }
    expect(isLoopbackHttp('http://localhost.example.org')).toBe(false);
    expect(isLoopbackHttp('http://128.0.0.1')).toBe(false);
    expect(isLoopbackHttp('https://localhost')).toBe(false);
  });

  it('over plain http on another host outside production: no prefix, no Secure (browsers would drop the cookies)', () => {
    const cookies = new AuthCookies({ publicUrl: 'http://mend.lan:3000', isProduction: false }, key);
    const { reply, cookies: set } = recordingReply();
    cookies.set(reply, pair(now), now);
    expect([...set.keys()]).toEqual(['mend_access', 'mend_refresh', 'mend_csrf']);
    expect([...set.values()].every((cookie) => cookie.options.secure === false)).toBe(true);
  });

  it('accepts the CSRF header only when it equals the cookie and the token of that login session', () => {
    const cookies = new AuthCookies({ publicUrl: 'https://mend.example.org', isProduction: false }, key);
    const sessionId = randomUUID();
    const token = csrfTokenFor(key, sessionId);
    const name = cookies.names.csrf;
    expect(cookies.hasValidCsrf(request({ [name]: token }, { 'x-csrf-token': token }), sessionId)).toBe(true);
    expect(cookies.hasValidCsrf(request({ [name]: token }), sessionId)).toBe(false);
    expect(cookies.hasValidCsrf(request({}, { 'x-csrf-token': token }), sessionId)).toBe(false);
    expect(cookies.hasValidCsrf(request({ [name]: token }, { 'x-csrf-token': `${token}x` }), sessionId)).toBe(false);
    // A valid token of another login session (cookie and header both set by an attacker's own session).
    const foreign = csrfTokenFor(key, randomUUID());
    expect(cookies.hasValidCsrf(request({ [name]: foreign }, { 'x-csrf-token': foreign }), sessionId)).toBe(false);
  });
});
