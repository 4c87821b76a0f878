import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Browser } from 'playwright-core';

import { DESKTOP, launchBrowser, Person, PHONE, signInStaff } from './support/browser.js';
import { BASE_URL, DEMO } from './support/env.js';

describe('the web app is served by the API', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('serves the app at / with a Content-Security-Policy that allows no inline script', async () => {
    const response = await fetch(`${BASE_URL}/portal`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'index.html has an inline script');
    const unknownApi = await fetch(`${BASE_URL}/api/v1/no-such-route`);
    assert.equal(unknownApi.status, 404);
    assert.match(unknownApi.headers.get('content-type') ?? '', /problem\+json/);
  });

  it('signs a client in and lands in the portal; the page passes axe at phone size', async () => {
    const person = await Person.open(browser, PHONE);
    await person.page.goto('/');
    await person.page.waitForURL('**/sign-in');
    await person.checkPage('sign-in-phone');
    await person.signIn(DEMO.client1);
    await person.page.waitForURL('**/portal');
    await person.page.getByRole('heading', { level: 1 }).waitFor();
    await person.checkPage('portal-today-phone');
    const stored = await person.page.evaluate(() => [
      ...Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`),
      ...Object.keys(sessionStorage).map((key) => `${key}=${sessionStorage.getItem(key)}`),
    ]);
    assert.ok(!stored.some((entry) => /token|eyJ/i.test(entry)), `tokens in web storage: ${stored.join(', ')}`);
    await person.close();
  });

  it('signs the counselor in with a second factor (enrolment the first time, a code the next) and lands in /counselor', async () => {
    const first = await Person.open(browser, DESKTOP);
    await signInStaff(first, DEMO.counselor);
    await first.page.getByRole('heading', { level: 1 }).waitFor();
    await first.checkPage();
    await first.close();
    const second = await Person.open(browser, DESKTOP);
    await signInStaff(second, DEMO.counselor);
    await second.checkPage('counselor-landing');
    // A counselor who opens the portal is sent to their own landing page.
    await second.page.goto('/portal');
    await second.page.waitForURL(/\/counselor$/);
    await second.checkPage();
    await second.close();
  });
});
