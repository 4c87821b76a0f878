/**
 * Clinic administration, reports and notifications against the real platform
 * (issue 11, items 4–7).
 *
 * 1. A clinic admin (landing in /admin) invites a counselor; the counselor opens
 *    the link, accepts, signs in and enrols their second factor; the admin then
 *    sees them as an active counselor with a second factor, and the clinic
 *    settings and notification centre pages load.
 * 2. A counselor requests a case report: the sections preview for the chosen
 *    audience, the report progresses (queued → ready, progress to 100) and the
 *    PDF downloads; its text (pdftotext) holds the case report's sections and
 *    the narrative. A partner's copy previews what it leaves out.
 * 3. The counselor opens a client's record from the case; the client opens
 *    their reminder settings (their own record) and opts out of one kind; the
 *    admin's audit viewer, filtered to that client and `client.read`, shows both
 *    by name.
 * 4. The admin's "Failed reminders" page lists the demo's email reminder that
 *    failed every attempt (who, channel, attempts, error code) and queues it
 *    again with Retry.
 * Every page visited passes axe (no serious or critical violation); phone and
 * desktop sizes; screenshots go to test-results/screenshots (admin-*.png).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { staffSecret } from './support/api.js';
import { DESKTOP, launchBrowser, Person, PHONE, screenshot, signInStaff } from './support/browser.js';
import { DEMO, DEMO_PASSWORD, RESULTS_DIR } from './support/env.js';
import { marker } from './support/world.js';

const CASE_TITLE = 'Pike: repair after the disclosure';

interface ReportSeen {
  readonly status: string;
  readonly progress: number;
}

/** On a failure, a screenshot of every open page before rethrowing. */
async function keepEvidence(people: Record<string, Person | undefined>, error: unknown): Promise<never> {
  for (const [name, person] of Object.entries(people)) {
    if (person !== undefined) await screenshot(person.page, `failed-admin-${name}`).catch(() => undefined);
  }
  throw error;
}

async function nav(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
}

describe('clinic administration, reports and notifications', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('an admin invites a counselor, who accepts and enrols a second factor; settings and notifications load', async () => {
    let admin: Person | undefined;
    let invitee: Person | undefined;
    try {
      admin = await Person.open(browser, DESKTOP);
      const { page } = admin;
      await signInStaff(admin, DEMO.admin, /\/admin$/);
      await page.getByRole('heading', { level: 1, name: 'Users and invitations' }).waitFor();
      const members = page.getByRole('region', { name: 'Members' });
      await members.getByRole('link', { name: 'Sam Okafor' }).waitFor();
      await admin.checkPage('admin-users-desktop');

      // Invite a counselor (the default role) and read the single-use link shown once.
      const email = `new.counselor.${marker()}@demo.mend.example`;
      const form = page.getByRole('form', { name: 'Invite a colleague' });
      await form.getByLabel(/^Email/).fill(email);
      assert.equal(await form.getByRole('checkbox', { name: 'Counselor' }).isChecked(), true);
      // Keyboard only: the invite button is reached and pressed without the mouse.
      await form.getByRole('button', { name: 'Invite' }).focus();
      await page.keyboard.press('Enter');
      const shown = page.getByTestId('invitation-link');
      await shown.waitFor();
      const link = new URL(((await shown.locator('code').textContent()) ?? '').trim());
      assert.equal(link.pathname, '/invitations/accept');
      assert.ok(link.searchParams.get('token'), 'the link carries a token');
      await page.getByRole('list', { name: 'Open invitations' }).getByText(email).waitFor();
      await admin.checkPage();

      // The invitee accepts in their own browser (a phone), signs in and enrols an authenticator.
      invitee = await Person.open(browser, PHONE);
      await invitee.page.goto(`${link.pathname}${link.search}`);
      await invitee.page.getByRole('heading', { level: 1, name: 'Accept your invitation' }).waitFor();
      await invitee.checkPage('admin-invitation-phone');
      await invitee.page.getByLabel(/^Your name/).fill('Alex Rivera');
      await invitee.page.getByLabel(/^Choose a password/).fill(DEMO_PASSWORD);
      await invitee.page.getByLabel(/^Type the password again/).fill(DEMO_PASSWORD);
      await invitee.page.getByRole('button', { name: 'Accept invitation' }).click();
      await invitee.page.getByRole('heading', { level: 1, name: 'Invitation accepted' }).waitFor();
      await invitee.checkPage();
      // First sign-in of staff: the authenticator is enrolled (key shown, then recovery codes), then the workspace.
      await signInStaff(invitee, email, /\/counselor$/);
      assert.ok(staffSecret(email), 'the invitee enrolled an authenticator on their first sign-in');
      await invitee.page.getByRole('heading', { level: 1, name: 'Caseload' }).waitFor();
      await invitee.checkPage('admin-invitee-landing-phone');
      await invitee.close();
      invitee = undefined;

      // The admin sees the new counselor: active, a counselor, second factor enrolled; the invitation is gone.
      await page.reload();
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Alex Rivera' }) });
      await row.waitFor();
      await row.getByRole('cell', { name: 'Counselor', exact: true }).waitFor();
      await row.getByRole('cell', { name: 'Enrolled' }).waitFor();
      await row.getByText('Active').waitFor();
      assert.equal(await page.getByRole('list', { name: 'Open invitations' }).getByText(email).count(), 0);
      await admin.checkPage();

      // Supervision: the new counselor gets the demo supervisor.
      await row.getByRole('link', { name: 'Alex Rivera' }).click();
      await page.getByRole('heading', { level: 1, name: 'Alex Rivera' }).waitFor();
      await page.getByLabel('Add a supervisor').selectOption({ label: 'Morgan Reyes' });
      await page.getByRole('button', { name: 'Add the link' }).click();
      await page.getByRole('list', { name: 'Supervisors' }).getByText('Morgan Reyes').waitFor();
      await admin.checkPage('admin-member');

      // Clinic settings: the forms load with the clinic's values; a reminder change is saved.
      await nav(page, 'Clinic settings');
      await page.getByRole('heading', { level: 1, name: 'Clinic settings' }).waitFor();
      await page.getByRole('heading', { name: 'Crisis resources' }).waitFor();
      const reminders = page.getByRole('form', { name: 'Reminders' });
      await reminders.getByLabel('Default reminder time').fill('18:30');
      await reminders.getByRole('button', { name: 'Save the reminder settings' }).click();
      await reminders.getByText('The reminder settings were saved.').waitFor();
      await admin.checkPage('admin-settings');
      // Crisis resources of the default country: a local line added and the list marked as checked.
      const crisis = page.getByRole('form', { name: /^Crisis resources for / });
      await crisis.getByRole('button', { name: 'Add a resource' }).click();
      const added = crisis.getByRole('group').last();
      await added.getByLabel(/^Name/).fill('Harbour clinic on-call line');
      await added.getByLabel(/^What to dial or text/).fill('0800 000 0000');
      await added.getByLabel(/^Link/).fill('tel:08000000000');
      await crisis.getByRole('checkbox', { name: 'The clinic has checked these locally' }).check();
      await crisis.getByRole('button', { name: 'Save the crisis resources' }).click();
      await crisis.getByText('The crisis resources were saved.').waitFor();
      await crisis.getByText('The clinic’s list, checked locally.').waitFor();
      await admin.checkPage();

      // The notification centre.
      await nav(page, /^Notifications/);
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await page.getByRole('button', { name: 'Mark all as read' }).waitFor();
      await admin.checkPage();

      // Phone layout of the users page.
      await page.setViewportSize(PHONE);
      await nav(page, 'Users');
      await page.getByRole('heading', { level: 1, name: 'Users and invitations' }).waitFor();
      await admin.checkPage('admin-users-phone');
      await admin.close();
      admin = undefined;
    } catch (error) {
      await keepEvidence({ admin, invitee }, error);
    }
  });

  it('a counselor requests a case report, watches it progress and downloads the PDF with its sections', async () => {
    let counselor: Person | undefined;
    try {
      counselor = await Person.open(browser, DESKTOP);
      const { page } = counselor;
      await signInStaff(counselor, DEMO.counselor);
      await nav(page, 'Reports');
      await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
      const form = page.getByRole('form', { name: 'Request a report' });

      // A partner's copy: the preview lists what it leaves out.
      await form.getByLabel(/^Kind/).selectOption('client_summary');
      await form.getByLabel(/^Audience/).selectOption('partner');
      await page.getByRole('list', { name: 'Sections left out' }).waitFor();
      await counselor.checkPage('admin-reports-partner-preview');

      // The case report for the care team: every section included.
      await form.getByLabel(/^Kind/).selectOption('case');
      await page.getByRole('list', { name: 'Sections included' }).getByText('Outcome measures').waitFor();
      assert.equal(await page.getByRole('list', { name: 'Sections left out' }).count(), 0);
      await form.getByLabel(/^Case/).selectOption({ label: CASE_TITLE });
      const narrative = `Steady work on the pause plan ${marker()}.`;
      await form.getByLabel(/^Narrative/).fill(narrative);
      await counselor.checkPage('admin-reports-request');

      // Every answer about the report, as the page received it.
      const seen: ReportSeen[] = [];
      page.on('response', (response) => {
        if (!/\/api\/v1\/reports(\/[0-9a-f-]+)?$/.test(new URL(response.url()).pathname)) return;
        if (response.request().method() === 'GET' && !/[0-9a-f-]{36}$/.test(response.url())) return;
        void response
          .json()
          .then((body: ReportSeen) => seen.push({ status: body.status, progress: body.progress }))
          .catch(() => undefined);
      });
      await form.getByRole('button', { name: 'Request the report' }).click();
      await page.waitForURL(/\/counselor\/reports\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { level: 1, name: 'Case report (care team)' }).waitFor();
      await page.getByText(/^Ready since/).waitFor({ timeout: 60_000 });
      await counselor.checkPage('admin-report-ready');
      assert.ok(seen.length >= 2, `the page followed the report (${JSON.stringify(seen)})`);
      assert.equal(seen[0]?.status, 'queued', 'the request answered a queued report');
      assert.equal(seen.at(-1)?.status, 'ready');
      assert.equal(seen.at(-1)?.progress, 100);
      for (let i = 1; i < seen.length; i += 1)
        assert.ok((seen[i]?.progress ?? 0) >= (seen[i - 1]?.progress ?? 0), 'progress never goes back');

      // Download the PDF and read its text.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download PDF' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^mend-case-\d{4}-\d{2}-\d{2}-report\.pdf$/);
      const dir = join(RESULTS_DIR, 'downloads');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const section of [
        'Case progress report',
        'Care team (confidential clinical document)',
        CASE_TITLE,
        'Phase timeline',
        'Homework',
        'Trust ledger',
        'Outcome measures',
        'Favourable patterns and lingering concerns',
        "Counselor's narrative",
      ])
        assert.ok(text.includes(section), `the PDF holds "${section}"`);
      assert.ok(text.replace(/\s+/g, ' ').includes(narrative), 'the PDF holds the narrative');

      // The JSON and CSV files are offered too; the list shows the report as ready.
      await page.getByRole('link', { name: /^Download JSON/ }).waitFor();
      assert.ok((await page.getByRole('link', { name: /^Download CSV/ }).count()) > 0);
      await page.getByRole('link', { name: 'All reports' }).click();
      await page.getByRole('list', { name: 'Reports' }).getByText('Ready').first().waitFor();
      await counselor.checkPage();

      // The notification centre: mark everything read; the navigation's count goes away.
      await nav(page, /^Notifications/);
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await page.getByRole('button', { name: 'Mark all as read' }).click();
      await page.getByRole('checkbox', { name: 'Only unread' }).check();
      await page.getByText('Nothing unread.').waitFor();
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Notifications', exact: true })
        .waitFor();
      await counselor.checkPage('admin-notifications-counselor');
      await counselor.close();
      counselor = undefined;
    } catch (error) {
      await keepEvidence({ counselor }, error);
    }
  });

  it("the admin's audit viewer shows who opened a client's record", async () => {
    let admin: Person | undefined;
    let jordan: Person | undefined;
    let counselor: Person | undefined;
    try {
      // The counselor opens the case, then Jordan's client record from the case banner (audited as client.read).
      counselor = await Person.open(browser, DESKTOP);
      await signInStaff(counselor, DEMO.counselor);
      await counselor.page.getByRole('link', { name: CASE_TITLE }).click();
      await counselor.page.getByRole('heading', { level: 1, name: CASE_TITLE }).waitFor();
      await counselor.page.locator('.cw-case__meta').getByRole('link', { name: 'Jordan Pike' }).click();
      await counselor.page.waitForURL(/\/counselor\/clients\/[0-9a-f-]{36}$/);
      await counselor.page.getByRole('heading', { level: 1, name: 'Jordan Pike' }).waitFor();
      await counselor.page.getByRole('region', { name: 'Reminder preferences' }).waitFor();
      await counselor.checkPage('admin-client-record');
      await counselor.close();
      counselor = undefined;

      // Jordan opens their reminder settings in the portal (their own record), on a phone.
      jordan = await Person.open(browser, PHONE);
      await jordan.signIn(DEMO.client1);
      await jordan.page.waitForURL(/\/portal$/);
      await jordan.page.goto('/portal/reminders');
      await jordan.page.getByRole('heading', { level: 1, name: 'Reminders' }).waitFor();
      await jordan.page.getByRole('heading', { name: 'How and when' }).waitFor();
      await jordan.checkPage('admin-client-reminders-phone');
      // Opting out of one kind of reminder is saved.
      const checkIn = jordan.page.getByRole('group', { name: 'Daily check-in' });
      await checkIn.getByRole('checkbox', { name: 'Remind me' }).uncheck();
      await jordan.page
        .getByRole('form', { name: 'Quiet hours and kinds of reminder' })
        .getByRole('button', { name: 'Save' })
        .click();
      await jordan.page.getByRole('form', { name: 'Quiet hours and kinds of reminder' }).getByText('Saved.').waitFor();
      await jordan.page.goto('/portal/notifications');
      await jordan.page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await jordan.checkPage();
      await jordan.close();
      jordan = undefined;

      // The admin filters the audit trail to Jordan's record and client.read.
      admin = await Person.open(browser, DESKTOP);
      const { page } = admin;
      await signInStaff(admin, DEMO.admin, /\/admin$/);
      await nav(page, 'Audit trail');
      await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
      await page.getByRole('region', { name: 'Audit events' }).waitFor();
      const filters = page.getByRole('search', { name: 'Filter the audit trail' });
      await filters.getByLabel(/^Action/).fill('client.read');
      await filters.getByLabel('About the client').selectOption({ label: 'Jordan Pike' });
      await filters.getByRole('button', { name: 'Show events' }).click();
      await page.waitForURL(/action=client\.read/);
      const events = page.getByRole('region', { name: 'Audit events' });
      const counselorRow = events.getByRole('row').filter({ hasText: 'Sam Okafor' });
      await counselorRow.first().waitFor();
      await counselorRow.first().getByText('opened a client’s record').waitFor();
      await counselorRow.first().getByText('Client Jordan Pike').waitFor();
      await events
        .getByRole('row')
        .filter({ hasText: 'Jordan Pike' })
        .filter({ hasNotText: 'Sam Okafor' })
        .first()
        .waitFor();
      // Only client.read rows about Jordan are listed.
      const rows = await events.getByRole('row').allTextContents();
      for (const row of rows.slice(1)) {
        assert.match(row, /client\.read/);
        assert.match(row, /Client Jordan Pike/);
      }
      await admin.checkPage('admin-audit');
      await admin.close();
      admin = undefined;
    } catch (error) {
      await keepEvidence({ admin, jordan, counselor }, error);
    }
  });

  it('an admin sees the reminder that failed every attempt and queues it again', async () => {
    let admin: Person | undefined;
    try {
      admin = await Person.open(browser, DESKTOP);
      const { page } = admin;
      await signInStaff(admin, DEMO.admin, /\/admin$/);
      await nav(page, 'Failed reminders');
      await page.getByRole('heading', { level: 1, name: 'Failed reminders' }).waitFor();
      // The demo's email check-in to Jordan: the mail server refused it eight times.
      const table = page.getByRole('region', { name: 'Failed reminders' });
      const row = table.getByRole('row').filter({ hasText: 'Jordan Pike' });
      await row.getByRole('cell', { name: 'Daily check-in', exact: true }).waitFor();
      await row.getByRole('cell', { name: 'email', exact: true }).waitFor();
      await row.getByRole('cell', { name: '8', exact: true }).waitFor();
      await row.getByText('ECONNREFUSED').waitFor();
      await admin.checkPage('admin-failed-reminders');
      await row.getByRole('button', { name: 'Retry: Daily check-in for Jordan Pike' }).click();
      await page.getByRole('status').getByText('One reminder was queued again').waitFor();
      await page.getByText('No failed reminders.').waitFor();
      await admin.checkPage();
      await admin.close();
      admin = undefined;
    } catch (error) {
      await keepEvidence({ admin }, error);
    }
  });
});
