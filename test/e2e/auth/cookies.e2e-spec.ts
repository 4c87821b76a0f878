import type { LightMyRequestResponse } from 'fastify';

import {
  addMember,
  createClinicWithAdmin,
  postJson,
  startIdentityApp,
  type IdentityApp,
  type Member,
} from './support/identity-app.js';

interface ParsedCookie {
  name: string;
  value: string;
  attributes: string[];
}

function setCookies(response: LightMyRequestResponse): ParsedCookie[] {
  const header = response.headers['set-cookie'];
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.map((line) => {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const index = pair.indexOf('=');
    return {
      name: pair.slice(0, index),
      value: pair.slice(index + 1),
      attributes: attributes.map((a) => a.toLowerCase()),
    };
  });
}

function cookieHeader(cookies: ParsedCookie[]): string {
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

describe('browser clients: cookies and CSRF (PUBLIC_URL https)', () => {
  let api: IdentityApp;
  let member: Member;

  beforeAll(async () => {
    api = await startIdentityApp({ env: { PUBLIC_URL: 'https://mend.example.org' } });
    const admin = await createClinicWithAdmin(api.identity);
    member = await addMember(api.identity, admin.clinicId, ['client']);
  });
  afterAll(() => api.close());

  async function cookieLogin(): Promise<{ cookies: ParsedCookie[]; csrf: string; body: Record<string, unknown> }> {
    const response = await postJson(api, '/api/v1/auth/login', {
      email: member.email,
      password: member.password,
      tokenDelivery: 'cookie',
    });
    expect(response.statusCode).toBe(200);
    const cookies = setCookies(response);
    const csrf = cookies.find((cookie) => cookie.name === '__Host-mend_csrf')?.value as string;
    return { cookies, csrf, body: response.json() };
  }

  it('sets __Host- cookies: HttpOnly tokens, Secure, SameSite=Strict, Path=/, no Domain; no token in the body', async () => {
    const { cookies, body } = await cookieLogin();
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual([
      '__Host-mend_access',
      '__Host-mend_csrf',
      '__Host-mend_refresh',
    ]);
    for (const cookie of cookies) {
      expect(cookie.attributes).toEqual(expect.arrayContaining(['secure', 'samesite=strict', 'path=/']));
      expect(cookie.attributes.some((attribute) => attribute.startsWith('domain='))).toBe(false);
      expect(cookie.attributes.includes('httponly')).toBe(cookie.name !== '__Host-mend_csrf');
    }
    expect(body.accessToken).toBeUndefined();
    expect(body.refreshToken).toBeUndefined();
    expect(typeof body.csrfToken).toBe('string');
  });

  it('authenticates GET by cookie; refuses an unsafe method without the CSRF header, accepts it with', async () => {
    const { cookies, csrf } = await cookieLogin();
    const me = await api.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(cookies) } });
    expect(me.statusCode).toBe(200);

    const sessions = await api.inject({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      headers: { cookie: cookieHeader(cookies) },
    });
    const current = sessions.json<{ id: string; isCurrent: boolean }[]>().find((session) => session.isCurrent);
    const url = `/api/v1/auth/sessions/${current?.id}`;

    const withoutHeader = await api.inject({ method: 'DELETE', url, headers: { cookie: cookieHeader(cookies) } });
    expect(withoutHeader.statusCode).toBe(403);
    expect(withoutHeader.json()).toMatchObject({ code: 'csrf_rejected' });
    const wrongHeader = await api.inject({
      method: 'DELETE',
      url,
      headers: { cookie: cookieHeader(cookies), 'x-csrf-token': `${csrf}x` },
    });
    expect(wrongHeader.statusCode).toBe(403);
    // Nothing changed: the session is still alive.
    expect(
      (await api.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(cookies) } })).statusCode,
    ).toBe(200);

    const withHeader = await api.inject({
      method: 'DELETE',
      url,
      headers: { cookie: cookieHeader(cookies), 'x-csrf-token': csrf },
    });
    expect(withHeader.statusCode).toBe(204);
  });

  it('refreshes from the cookie only with the CSRF header, and rotates the cookies', async () => {
    const { cookies, csrf } = await cookieLogin();
    const refused = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: '{}',
      headers: { cookie: cookieHeader(cookies), 'content-type': 'application/json' },
    });
    expect(refused.statusCode).toBe(403);
    const refreshed = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: '{}',
      headers: { cookie: cookieHeader(cookies), 'content-type': 'application/json', 'x-csrf-token': csrf },
    });
    expect(refreshed.statusCode).toBe(200);
    const rotated = setCookies(refreshed);
    const oldRefresh = cookies.find((cookie) => cookie.name === '__Host-mend_refresh')?.value;
    const newRefresh = rotated.find((cookie) => cookie.name === '__Host-mend_refresh')?.value;
    expect(newRefresh).toBeDefined();
    expect(newRefresh).not.toBe(oldRefresh);
    expect(refreshed.json<Record<string, unknown>>().refreshToken).toBeUndefined();
  });

  it('logout by cookie clears the cookies and ends the session', async () => {
    const { cookies, csrf } = await cookieLogin();
    const logout = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: '{}',
      headers: { cookie: cookieHeader(cookies), 'content-type': 'application/json', 'x-csrf-token': csrf },
    });
    expect(logout.statusCode).toBe(204);
    const cleared = setCookies(logout);
    expect(cleared.map((cookie) => cookie.name).sort()).toEqual([
      '__Host-mend_access',
      '__Host-mend_csrf',
      '__Host-mend_refresh',
    ]);
    expect(cleared.every((cookie) => cookie.value === '' && cookie.attributes.includes('max-age=0'))).toBe(true);
    expect(
      (await api.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(cookies) } })).statusCode,
    ).toBe(401);
  });
});

describe('browser clients over plain http on loopback (the demo at http://localhost:3000)', () => {
  let api: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp({ env: { PUBLIC_URL: 'http://localhost:3000' } });
  });
  afterAll(() => api.close());

  it('keeps the __Host- prefix and the Secure flag (Chromium and Firefox accept them on loopback)', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const member = await addMember(api.identity, admin.clinicId, ['client']);
    const response = await postJson(api, '/api/v1/auth/login', {
      email: member.email,
      password: member.password,
      tokenDelivery: 'cookie',
    });
    const cookies = setCookies(response);
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual([
      '__Host-mend_access',
      '__Host-mend_csrf',
      '__Host-mend_refresh',
    ]);
    for (const cookie of cookies) {
      expect(cookie.attributes).toEqual(expect.arrayContaining(['secure', 'samesite=strict', 'path=/']));
      expect(cookie.attributes.includes('httponly')).toBe(cookie.name !== '__Host-mend_csrf');
    }
  });
});

describe('browser clients over plain http on another host (development on a LAN address)', () => {
  let api: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp({ env: { PUBLIC_URL: 'http://mend.lan:3000' } });
  });
  afterAll(() => api.close());

  it('drops the __Host- prefix and the Secure flag (browsers would refuse them over http)', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const member = await addMember(api.identity, admin.clinicId, ['client']);
    const response = await postJson(api, '/api/v1/auth/login', {
      email: member.email,
      password: member.password,
      tokenDelivery: 'cookie',
    });
    const cookies = setCookies(response);
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual(['mend_access', 'mend_csrf', 'mend_refresh']);
    expect(cookies.some((cookie) => cookie.attributes.includes('secure'))).toBe(false);
    expect(cookies.every((cookie) => cookie.attributes.includes('samesite=strict'))).toBe(true);
  });
});
