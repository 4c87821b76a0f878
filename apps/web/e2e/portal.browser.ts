import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { DESKTOP, launchBrowser, Person, PHONE } from './support/browser.js';
import { DEMO } from './support/env.js';
import {
  assignPairedReveal,
  counselor,
  demoCouple,
  marker,
  type CoupleCase,
  type PairedAssignment,
} from './support/world.js';

/**
 * The client portal, end to end against the real platform: two partners in two
 * browsers (two login sessions) complete a paired `reveal` exercise whose schema
 * has every field type; the I-statement coach; drafts surviving an expired
 * session; the trust ledger (record, dispute); agreements, privacy agreement,
 * shared items; quick exit and discreet mode. axe on every page (Person.close).
 */
describe('client portal', () => {
  let browser: Browser;
  let couple: CoupleCase;
  let paired: PairedAssignment;
  const jordanAnswer = `I felt scared when you didn't answer at 11pm. (${marker()})`;
  const caseyAnswer = `I felt relieved when we talked on Sunday. (${marker()})`;

  before(async () => {
    browser = await launchBrowser();
    const api = await counselor();
    couple = await demoCouple(api);
    paired = await assignPairedReveal(api, couple);
  });
  after(async () => {
    await browser?.close();
  });

  const exerciseUrl = (occurrenceId: string) => `/portal/exercises/${couple.caseId}/${occurrenceId}`;

  it('Jordan sees the new exercise on "today", gets field messages, coach hints, autosave, and sends it; Casey’s answer stays hidden', async () => {
    const jordan = await Person.open(browser, DESKTOP);
    await jordan.signIn(DEMO.client1);
    await jordan.page.waitForURL(/\/portal$/);
    const card = jordan.page.getByTestId('occurrence').filter({ hasText: paired.title });
    await card.waitFor();
    assert.match((await card.textContent()) ?? '', /Due/);
    await jordan.checkPage('portal-today');

    await card.getByRole('link', { name: paired.title }).click();
    await jordan.page.waitForURL(`**${exerciseUrl(paired.jordanOccurrenceId)}`);
    const page = jordan.page;
    await page.getByRole('heading', { level: 1, name: paired.title }).waitFor();
    await jordan.checkPage('portal-exercise-form');

    // Validation next to each field, before anything is sent; focus moves to the first problem.
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByRole('alert').filter({ hasText: 'Please check the answers marked below' }).waitFor();
    const moment = page.getByLabel(/^A moment that was hard/);
    assert.equal(await moment.getAttribute('aria-invalid'), 'true');
    assert.ok(await moment.evaluate((element) => element === document.activeElement), 'focus on the first problem');
    await fieldError(page, 'How close did you feel this week?', 'Please answer this.');
    await page.getByLabel(/^Minutes we talked/).fill('700');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await fieldError(page, 'Minutes we talked', 'Please enter 600 or less.');
    await jordan.checkPage('portal-exercise-errors');

    // The coach: a hint for "you never listen", none for an I-statement; private to the writer.
    await moment.fill('You never listen to me.');
    const hints = page.getByTestId('coach-hints');
    await hints.waitFor({ timeout: 15_000 });
    assert.match((await hints.textContent()) ?? '', /only you can see this/i);
    await jordan.checkPage('portal-coach-hint');
    await moment.fill(jordanAnswer);
    await hints.waitFor({ state: 'detached', timeout: 15_000 });
    await page.waitForTimeout(1_500); // past the coach's debounce: still no hint for the I-statement
    assert.equal(await hints.count(), 0);

    // Every field type.
    await page
      .getByRole('group', { name: /^How close did you feel/ })
      .getByRole('radio', { name: '7', exact: true })
      .check();
    await page
      .getByRole('group', { name: /^We listened/ })
      .getByRole('radio', { name: '4', exact: true })
      .check();
    await page.getByRole('checkbox', { name: 'taking a pause' }).check();
    await page.getByLabel(/^something else/).fill('cooking');
    await page.getByRole('radio', { name: 'calm' }).check();
    await page
      .getByRole('group', { name: /We talked about it/ })
      .getByRole('radio', { name: 'Yes' })
      .check();
    await page.getByLabel(/^The day it happened/).fill(new Date().toISOString().slice(0, 10));
    await page.getByLabel(/^When exactly/).fill('2026-11-20T21:30');
    await page.getByLabel(/^Time of our check-in/).fill('20:15');
    await page.getByLabel(/^Minutes we talked/).fill('45');
    await page.getByRole('button', { name: 'Add a moment' }).click();
    await page.getByLabel(/^What happened/).fill('We laughed at dinner');

    // Autosave, then a reload brings the draft back.
    await page
      .getByRole('status')
      .filter({ hasText: /Draft saved/ })
      .waitFor({ timeout: 15_000 });
    await page.reload();
    await page.getByLabel(/^A moment that was hard/).waitFor();
    assert.equal(await page.getByLabel(/^A moment that was hard/).inputValue(), jordanAnswer);
    assert.equal(await page.getByLabel(/^What happened/).inputValue(), 'We laughed at dinner');
    assert.ok(await page.getByRole('checkbox', { name: 'taking a pause' }).isChecked());
    await jordan.checkPage();

    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByTestId('my-answers').waitFor();
    assert.match((await page.getByTestId('my-answers').textContent()) ?? '', /We laughed at dinner/);
    await page.getByTestId('partner-waiting').waitFor();
    await jordan.checkPage('portal-exercise-sent-waiting');
    await jordan.close();
  });

  it('Casey does not see Jordan’s answer before sending theirs; after both sent, both see both', async () => {
    const casey = await Person.open(browser, PHONE);
    await casey.signIn(DEMO.client2);
    await casey.page.waitForURL(/\/portal$/);
    await casey.checkPage('portal-today-phone');
    // Nothing of Jordan's is shared yet.
    await casey.page.getByRole('link', { name: 'Shared with me' }).click();
    await casey.page.getByRole('heading', { level: 1, name: 'Shared with me' }).waitFor();
    await casey.checkPage('portal-shared-before');
    assert.doesNotMatch(await casey.page.content(), new RegExp(escape(jordanAnswer)));

    await casey.page.goto(exerciseUrl(paired.caseyOccurrenceId));
    const page = casey.page;
    await page.getByLabel(/^A moment that was hard/).waitFor();
    assert.doesNotMatch(await page.content(), new RegExp(escape(jordanAnswer)));
    await casey.checkPage('portal-exercise-form-phone');
    await page.getByLabel(/^A moment that was hard/).fill(caseyAnswer);
    await page
      .getByRole('group', { name: /^How close did you feel/ })
      .getByRole('radio', { name: '8', exact: true })
      .check();
    await page
      .getByRole('group', { name: /We talked about it/ })
      .getByRole('radio', { name: 'Yes' })
      .check();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    const partner = page.getByTestId('partner-answers');
    await partner.getByText(jordanAnswer).waitFor({ timeout: 20_000 });
    assert.match((await page.getByTestId('my-answers').textContent()) ?? '', new RegExp(escape(caseyAnswer)));
    await casey.checkPage('portal-exercise-revealed-phone');
    await casey.close();

    const jordan = await Person.open(browser, DESKTOP);
    await jordan.signIn(DEMO.client1);
    await jordan.page.waitForURL(/\/portal$/);
    await jordan.checkPage();
    await jordan.page.goto(exerciseUrl(paired.jordanOccurrenceId));
    await jordan.page.getByTestId('partner-answers').getByText(caseyAnswer).waitFor({ timeout: 20_000 });
    await jordan.checkPage('portal-exercise-revealed');
    await jordan.page.getByRole('link', { name: 'Shared with me' }).click();
    await jordan.page.getByTestId('shared-items').getByRole('link', { name: paired.title }).waitFor();
    await jordan.checkPage('portal-shared-after');
    await jordan.page.getByTestId('shared-items').getByRole('link', { name: paired.title }).click();
    await jordan.page.getByText(caseyAnswer).waitFor();
    await jordan.checkPage('portal-shared-item');
    await jordan.close();
  });

  it('keeps typed text when the session expires: a sign-in dialog, then the draft saves', async () => {
    const api = await counselor();
    const another = await assignPairedReveal(api, couple);
    const jordan = await Person.open(browser, DESKTOP);
    await jordan.signIn(DEMO.client1);
    await jordan.page.waitForURL(/\/portal$/);
    await jordan.checkPage();
    await jordan.page.goto(exerciseUrl(another.jordanOccurrenceId));
    const field = jordan.page.getByLabel(/^A moment that was hard/);
    await field.waitFor();
    await jordan.checkPage();
    // The login session ends (cookies gone: as after an idle expiry); the person keeps typing.
    await jordan.context.clearCookies();
    const text = `Words typed while signed out (${marker()})`;
    await field.fill(text);
    const dialog = jordan.page.getByRole('dialog', { name: 'Please sign in again' });
    await dialog.waitFor({ timeout: 15_000 });
    await checkAxeWithDialog(jordan);
    await dialog.getByLabel(/^Password/).fill(process.env.MEND_BROWSER_DEMO_PASSWORD ?? '');
    await dialog.getByRole('button', { name: 'Sign in and continue' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await field.inputValue(), text);
    await jordan.page
      .getByRole('status')
      .filter({ hasText: /Draft saved/ })
      .waitFor({ timeout: 15_000 });
    await jordan.page.reload();
    await jordan.page.getByLabel(/^A moment that was hard/).waitFor();
    assert.equal(await jordan.page.getByLabel(/^A moment that was hard/).inputValue(), text);
    await jordan.checkPage();
    await jordan.close();
  });

  it('records a ledger check-in that the partner disputes', async () => {
    const note = `Phone away at dinner (${marker()})`;
    const casey = await Person.open(browser, DESKTOP);
    await casey.signIn(DEMO.client2);
    await casey.page.waitForURL(/\/portal$/);
    await casey.checkPage();
    await casey.page.getByRole('link', { name: 'Trust ledger' }).click();
    const form = casey.page.getByRole('region', { name: 'Record a check-in' });
    await form.waitFor();
    await casey.checkPage('portal-ledger');
    const commitment = form.getByLabel(/^Commitment/);
    if ((await commitment.inputValue()) === '') await commitment.selectOption({ index: 1 });
    await form.getByRole('radio', { name: 'Kept', exact: true }).check();
    await form.getByLabel(/^Note/).fill(note);
    await form.getByRole('button', { name: 'Add to the ledger' }).click();
    const entry = casey.page.getByTestId('ledger-entry').filter({ hasText: note });
    await entry.waitFor();
    assert.match((await entry.textContent()) ?? '', /Kept.*you/s);
    await casey.close();

    const jordan = await Person.open(browser, PHONE);
    await jordan.signIn(DEMO.client1);
    await jordan.page.waitForURL(/\/portal$/);
    await jordan.checkPage();
    await jordan.page.goto('/portal/ledger');
    const theirs = jordan.page.getByTestId('ledger-entry').filter({ hasText: note });
    await theirs.waitFor();
    assert.match((await theirs.textContent()) ?? '', /Casey Pike/);
    await jordan.checkPage('portal-ledger-phone');
    await theirs.getByRole('button', { name: 'Dispute…' }).click();
    await theirs.getByLabel(/^What do you remember differently/).fill('It was on the table for a while.');
    await jordan.checkPage();
    await theirs.getByRole('button', { name: 'Dispute this entry' }).click();
    await theirs.getByTestId('ledger-response').filter({ hasText: 'You disputed this' }).waitFor();
    await jordan.close();

    const caseyAgain = await Person.open(browser, DESKTOP);
    await caseyAgain.signIn(DEMO.client2);
    await caseyAgain.page.waitForURL(/\/portal$/);
    await caseyAgain.checkPage();
    await caseyAgain.page.goto('/portal/ledger');
    await caseyAgain.page
      .getByTestId('ledger-entry')
      .filter({ hasText: note })
      .getByText(/Jordan Pike disputed this/)
      .waitFor();
    await caseyAgain.checkPage();
    await caseyAgain.close();
  });

  it('shows the agreements and lets a partner sign the privacy agreement', async () => {
    const jordan = await Person.open(browser, DESKTOP);
    await jordan.signIn(DEMO.client1);
    await jordan.page.waitForURL(/\/portal$/);
    await jordan.checkPage();
    await jordan.page.getByRole('link', { name: 'Agreements' }).click();
    await jordan.page.getByRole('heading', { level: 2, name: 'Commitments' }).waitFor();
    await jordan.checkPage('portal-agreements');
    await jordan.page.getByRole('link', { name: 'Privacy agreement' }).click();
    const sign = jordan.page.getByRole('region', { name: 'Sign the agreement' });
    await sign.waitFor();
    await jordan.checkPage('portal-privacy');
    await sign.getByRole('button', { name: 'Sign' }).click();
    await sign.getByText('Please confirm that you have read the agreement.').waitFor();
    await sign.getByRole('checkbox').check();
    await sign.getByLabel(/^Type your full name/).fill('Jordan Pike');
    await sign.getByRole('button', { name: 'Sign' }).click();
    await jordan.page.getByText(/^You: signed/).waitFor();
    await jordan.checkPage();
    await jordan.close();
  });

  it('discreet mode shows a neutral title and icon; quick exit leaves at once (button and Escape twice)', async () => {
    const jordan = await Person.open(browser, PHONE);
    // The neutral site is not reachable from the test machine: answer it locally.
    await jordan.context.route('https://www.bbc.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title><p>Weather</p>' }),
    );
    await jordan.signIn(DEMO.client1);
    await jordan.page.waitForURL(/\/portal$/);
    await jordan.checkPage();
    assert.match(await jordan.page.title(), /Mend/);
    await jordan.page.getByRole('checkbox', { name: 'Discreet mode' }).check();
    await jordan.page.waitForFunction(() => document.title === 'Notes');
    assert.equal(
      await jordan.page.evaluate(() =>
        document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.getAttribute('href'),
      ),
      '/favicon-neutral.svg',
    );
    await jordan.page.goto('/portal/ledger');
    await jordan.page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await jordan.page.title(), 'Notes');
    assert.doesNotMatch(await jordan.page.title(), /Mend|ledger|trust|counsel/i);
    await jordan.checkPage('portal-discreet-phone');
    await jordan.page.getByRole('checkbox', { name: 'Discreet mode' }).uncheck();

    await jordan.page.getByRole('button', { name: 'Quick exit' }).click();
    await jordan.page.waitForURL('https://www.bbc.com/weather');
    await jordan.page.goBack().catch(() => undefined);
    assert.doesNotMatch(jordan.page.url(), /\/portal\/ledger/, 'Back returns to the page that was left');

    await jordan.page.goto('/portal');
    await jordan.page.getByRole('heading', { level: 1 }).waitFor();
    await jordan.checkPage();
    await jordan.page.keyboard.press('Escape');
    await jordan.page.keyboard.press('Escape');
    await jordan.page.waitForURL('https://www.bbc.com/weather');
    await jordan.close();
  });
});

async function fieldError(page: Page, label: string, message: string): Promise<void> {
  const group = page.locator('.field').filter({ hasText: label }).first();
  await group.locator('.field__error', { hasText: message }).waitFor();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** axe with the session dialog open (the dialog is the page's state at that moment). */
async function checkAxeWithDialog(person: Person): Promise<void> {
  await person.checkPage('portal-session-expired');
}
