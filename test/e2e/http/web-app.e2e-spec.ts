import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createLogger } from '@mend/core';
import { testConfig } from '@mend/testing';

import { createApiApplication } from '../../../apps/api/src/bootstrap.js';
import { WEB_APP_CSP } from '../../../apps/api/src/http/web-app.js';

/**
 * The API serves the built web app at `/` (apps/api/src/http/web-app.ts): files
 * under /assets/, index.html for client-side routes, a Content-Security-Policy
 * without inline scripts; API, documentation and health paths keep their own
 * answers (an unknown /api path is still a problem+json 404).
 */
describe('the web app served by the API', () => {
  let root: string;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mend-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>',
    );
    writeFileSync(join(root, 'assets', 'app-abc123.js'), 'console.log("app");');
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = await createApiApplication(testConfig(), createLogger('silent', 'test'), { web: { root } });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (url: string) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url });

  it('answers / and any client-side route with index.html under the strict CSP', async () => {
    for (const url of ['/', '/portal', '/portal/exercises/a/b?x=1', '/counselor/cases/1', '/sign-in']) {
      const response = await get(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy']).toBe(WEB_APP_CSP);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<div id="root">');
    }
    expect(WEB_APP_CSP).toContain("script-src 'self'");
    expect(WEB_APP_CSP).not.toContain('unsafe-inline');
    expect(WEB_APP_CSP).not.toContain('unsafe-eval');
    expect(WEB_APP_CSP).toContain("frame-ancestors 'none'");
  });

  it('serves hashed assets for a year and top-level files such as the favicon', async () => {
    const script = await get('/assets/app-abc123.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toBe('console.log("app");');
    const icon = await get('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect((await get('/assets/missing.js')).statusCode).toBe(404);
  });

  it('leaves the API, its documentation and health alone', async () => {
    const unknown = await get('/api/v1/no-such-route');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.json<{ code: string }>().code).toBe('route_not_found');
    const unauthenticated = await get('/api/v1/me');
    expect(unauthenticated.statusCode).toBe(401);
    const docs = await get('/api/docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toBeUndefined();
    expect((await get('/api/docs-json')).statusCode).toBe(200);
    expect((await get('/api')).statusCode).toBe(404);
    expect((await get('/ops/anything')).statusCode).toBe(404);
  });

  it('sends HSTS, nosniff and a referrer policy on pages, assets and API answers; no-store on the API', async () => {
    for (const url of ['/', '/portal/ledger', '/assets/app-abc123.js', '/favicon.svg', '/api/v1/me', '/api/v1/nope']) {
      const response = await get(url);
      expect({ url, hsts: response.headers['strict-transport-security'] }).toEqual({
        url,
        hsts: 'max-age=31536000; includeSubDomains',
      });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      if (url.startsWith('/api/')) expect(response.headers['cache-control']).toContain('no-store');
    }
    const csp = String((await get('/counselor')).headers['content-security-policy']);
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
  });
});
