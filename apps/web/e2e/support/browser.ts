import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { saveStaffSecret, staffSecret } from './api.js';
import { BASE_URL, DEMO_PASSWORD, RESULTS_DIR } from './env.js';
import { freshTotpCode } from './totp.js';

/** Debian's Chromium (apt-get install chromium); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const PHONE = { width: 375, height: 812 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * One person's browser: its own cookies (a separate login session). Every page
 * path it visits must be checked with `checkPage` (axe) before the context
 * closes: `close()` fails the test otherwise, so no visited page escapes axe.
 * Console errors other than expected 401s fail it too.
 */
export class Person {
  private readonly visited = new Set<string>();
  private readonly checked = new Set<string>();
  readonly consoleErrors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    let last: { path: string; at: number } | undefined;
    page.on('framenavigated', (frame) => {
      // Only the app's own pages (quick exit leaves for another site).
      if (frame !== page.mainFrame() || !frame.url().startsWith(BASE_URL)) return;
      const path = pathOf(frame.url());
      // A page left within a moment without being checked was a redirect hop (e.g. / → /sign-in).
      if (last !== undefined && Date.now() - last.at < 1_000 && !this.checked.has(last.path)) {
        this.visited.delete(last.path);
      }
      this.visited.add(path);
      last = { path, at: Date.now() };
    });
    page.on('pageerror', (error) => this.consoleErrors.push(String(error)));
    page.on('console', (message) => {
      // A 401 while signed out (the app probes /me and tries one refresh) is expected.
      if (message.type() === 'error' && !/status of 401/.test(message.text())) this.consoleErrors.push(message.text());
    });
  }

  static async open(browser: Browser, viewport: { width: number; height: number } = DESKTOP): Promise<Person> {
    const context = await browser.newContext({ viewport, baseURL: BASE_URL, locale: 'en-GB' });
    const page = await context.newPage();
    return new Person(context, page);
  }

  /** Signs in through the sign-in page and waits for the landing page. */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.goto('/sign-in');
    await this.page.getByLabel(/^Email/).waitFor();
    await this.checkPage();
    await this.page.getByLabel(/^Email/).fill(email);
    await this.page.getByLabel(/^Password/).fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** axe-core on the current page (no serious or critical violation) and, when named, a screenshot. */
  async checkPage(screenshotName?: string): Promise<void> {
    await checkAccessibility(this.page);
    this.checked.add(pathOf(this.page.url()));
    if (screenshotName !== undefined) await screenshot(this.page, screenshotName);
  }

  async close(): Promise<void> {
    const unchecked = [...this.visited].filter((path) => !this.checked.has(path) && path !== '/');
    await this.context.close();
    if (unchecked.length > 0) throw new Error(`pages visited without an axe check: ${unchecked.join(', ')}`);
    if (this.consoleErrors.length > 0) throw new Error(`browser errors: ${this.consoleErrors.join(' | ')}`);
  }
}

/**
 * Signs a staff member in through the browser, second factor included: on their
 * first sign-in of the run the page enrols an authenticator (the key shown is kept
 * for later sign-ins, and the recovery codes are acknowledged); afterwards a fresh
 * TOTP code is typed. Each step's page is checked with axe. `landing`: where they
 * arrive (a clinic admin without a caseload lands in /admin).
 */
export async function signInStaff(person: Person, email: string, landing: RegExp = /\/counselor/): Promise<void> {
  const { page } = person;
  await person.signIn(email);
  const codeField = page.getByLabel(/^Code from your authenticator app/);
  await codeField.waitFor();
  const shownKey = page.getByTestId('mfa-secret');
  const enrolling = await shownKey.isVisible();
  let secret = staffSecret(email);
  if (enrolling) {
    secret = ((await shownKey.textContent()) ?? '').trim();
    saveStaffSecret(email, secret);
  }
  if (secret === undefined || secret === '') throw new Error(`no authenticator secret known for ${email}`);
  await person.checkPage();
  await codeField.fill(await freshTotpCode(secret));
  await page.getByRole('button', { name: enrolling ? 'Turn on and continue' : 'Continue' }).click();
  if (enrolling) {
    const done = page.getByRole('button', { name: /I have saved them/ });
    await done.waitFor();
    await person.checkPage();
    await done.click();
  }
  await page.waitForURL(landing);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/**
 * Runs axe-core in the page. The script is evaluated through the DevTools
 * protocol (page.evaluate), which the page's Content-Security-Policy does not
 * govern: the strict CSP stays on in the checked page (no inline <script> is added).
 */
export async function checkAccessibility(page: Page): Promise<void> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelector('[role="status"].status--loading') === null, undefined, {
    timeout: 10_000,
  });
  // A string is evaluated as a script by the protocol (not by eval in the page, which the CSP forbids).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const holder = window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } };
    const results = await holder.axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
      }));
  });
  if (violations.length > 0) {
    throw new Error(
      `axe found serious or critical violations on ${page.url()}:\n${JSON.stringify(violations, null, 2)}`,
    );
  }
}

interface AxeResults {
  readonly violations: {
    readonly id: string;
    readonly impact?: string | null;
    readonly help: string;
    readonly nodes: { readonly target: string[] }[];
  }[];
}

/** Saves a full-page PNG under test-results/screenshots (a CI artefact, git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(RESULTS_DIR, 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
