/**
 * Web app part 2, clinical pages (issue 11 items 1–3), against the real platform.
 *
 * 1. Safety: the counselor assigns a PHQ-9 through the workspace; the client
 *    answers it in the portal (one item per screen, progress shown) with item 9 =
 *    "More than half the days" (2, tier 1) → the crisis screen is shown at once
 *    (resources with tap-to-call links, "not monitored around the clock") → the
 *    counselor's alerts inbox shows the alert within seconds → acknowledged, and the
 *    API records who and when. The safety hold: its explanation, the partner's
 *    neutral message, lifting it. Measures charts with their data tables.
 * 2. Notes: sessions scheduled, rescheduled, completed and attended; a SOAP note
 *    written (autosaved draft survives a reload), signed and amended with a reason
 *    (the note as signed stays readable); a private psychotherapy note the
 *    supervisor cannot see; the supervisor co-signs from their queue.
 * Every page visited passes axe (no serious or critical violation).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { ApiSession } from './support/api.js';
import { DESKTOP, launchBrowser, Person, PHONE, screenshot, signInStaff } from './support/browser.js';
import { DEMO } from './support/env.js';
import { demoCouple, marker, type CoupleCase } from './support/world.js';

const CASE_TITLE = 'Pike: repair after the disclosure';

interface AlertSummary {
  readonly id: string;
  readonly caseId: string;
  readonly subjectClientId: string | null;
  readonly tier: number;
  readonly trigger: string;
  readonly status: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedByMembershipId: string | null;
}

interface NoteAnswer {
  readonly id: string;
  readonly status: string;
  readonly body: Record<string, unknown>;
  readonly currentBody: Record<string, unknown>;
  readonly amendments: { readonly reason: string; readonly changedFields: string[] }[];
  readonly cosignRequired: boolean;
  readonly cosignedAt: string | null;
  readonly cosignedByMembershipId: string | null;
}

/** On a failure, a screenshot of every open page before rethrowing. */
async function keepEvidence(people: Record<string, Person | undefined>, error: unknown): Promise<never> {
  for (const [name, person] of Object.entries(people)) {
    if (person !== undefined) await screenshot(person.page, `failed-clinical-${name}`).catch(() => undefined);
  }
  throw error;
}

async function openCaseSection(page: Page, caseId: string, name: string, heading: string | RegExp): Promise<void> {
  if (!page.url().includes(`/counselor/cases/${caseId}`)) {
    await page.goto(`/counselor/cases/${caseId}`);
    await page.getByRole('heading', { level: 1, name: CASE_TITLE }).waitFor();
  }
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Today's date (YYYY-MM-DD) in London, the demo clients' timezone. */
function londonDay(offsetDays = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );
}

describe('clinical pages: sessions, notes, measures, safety', () => {
  let browser: Browser;
  let couple: CoupleCase;
  before(async () => {
    browser = await launchBrowser();
    couple = await demoCouple(await ApiSession.signIn(DEMO.counselor));
  });
  after(async () => {
    await browser?.close();
  });

  it('a PHQ-9 with item 9 = 2 shows crisis resources at once; the alert reaches the inbox within seconds and is acknowledged', async () => {
    let counselor: Person | undefined;
    let jordan: Person | undefined;
    let casey: Person | undefined;
    try {
      counselor = await Person.open(browser, DESKTOP);
      const { page } = counselor;
      await signInStaff(counselor, DEMO.counselor);
      await page.getByRole('heading', { level: 1, name: 'Caseload' }).waitFor();
      await counselor.checkPage();

      // Measures: the seeded scores are charted (per client and dyadic), each chart beside its data table.
      await openCaseSection(page, couple.caseId, 'Measures', 'Measures');
      await counselor.checkPage();
      await page
        .getByRole('img', { name: /of Jordan Pike over time/ })
        .first()
        .waitFor();
      await page
        .getByRole('img', { name: /of both partners over time/ })
        .first()
        .waitFor();
      const phqTable = page.getByRole('table', { name: 'PHQ-9 of Jordan Pike' });
      await phqTable.waitFor();
      assert.ok((await phqTable.getByRole('row').count()) >= 4, 'a header row and the three seeded PHQ-9 scores');
      await counselor.checkPage('clinical-measures');

      // Assign a PHQ-9 to Jordan through the workspace.
      const assign = page.getByRole('form', { name: 'Assign a measure' });
      await assign.getByLabel(/^Participant/).selectOption({ label: 'Jordan Pike' });
      await assign.getByLabel(/^Measure/).selectOption({ label: 'PHQ-9' });
      await assign.getByLabel(/^First due on/).fill(londonDay(0));
      await assign.getByRole('button', { name: 'Assign the measure' }).click();
      await page.getByText('The measure was assigned.', { exact: false }).waitFor();
      await counselor.checkPage();

      // Jordan (phone) answers it: one item per screen, the progress shown.
      jordan = await Person.open(browser, PHONE);
      await jordan.signIn(DEMO.client1);
      await jordan.page.waitForURL(/\/portal$/);
      // Today says a questionnaire is waiting, and leads to it.
      const waiting = jordan.page.getByTestId('measures-due-notice');
      await waiting.getByText('A questionnaire is waiting for you.').waitFor();
      await jordan.checkPage();
      await waiting.getByRole('link', { name: 'Open your questionnaires' }).click();
      await jordan.page.getByRole('heading', { level: 1, name: 'Questionnaires' }).waitFor();
      const due = jordan.page.getByTestId('measure-due').first();
      await due.getByText('9 questions, one at a time').waitFor();
      await jordan.checkPage('clinical-portal-questionnaires');
      await due.getByRole('link').click();
      await jordan.page.getByRole('heading', { name: 'Before you start' }).waitFor();
      await jordan.page.getByText('Over the last 2 weeks, how often have you been bothered').waitFor();
      await jordan.page.getByRole('button', { name: 'Start' }).click();
      for (let number = 1; number <= 9; number += 1) {
        const question = jordan.page.getByRole('form', { name: `Question ${number} of 9` });
        await question.waitFor();
        await jordan.page.getByText(`Question ${number} of 9 · ${number - 1} answered`).waitFor();
        if (number === 1) {
          // Going on without an answer is refused beside the item, with focus kept on the form.
          await question.getByRole('button', { name: 'Next' }).click();
          await question.getByText('Choose an answer to go on.').waitFor();
          await jordan.checkPage('clinical-portal-phq9-item');
        }
        if (number === 9) {
          await question.getByText(/Thoughts that you would be better off dead/).waitFor();
          await question.getByRole('radio', { name: 'More than half the days' }).check();
          await question.getByRole('button', { name: 'Send my answers' }).click();
        } else {
          await question.getByRole('radio', { name: 'Not at all' }).check();
          await question.getByRole('button', { name: 'Next' }).click();
        }
      }
      const sentAt = Date.now();
      // At once: the crisis screen, with tap-to-call resources for Jordan's country (GB) and the plain statement.
      const crisis = jordan.page.getByTestId('crisis-screen');
      await crisis.waitFor({ timeout: 5_000 });
      await crisis.getByRole('heading', { name: 'Please reach out for support now' }).waitFor();
      await crisis.getByText(/not monitored around the clock/).waitFor();
      const samaritans = crisis.getByRole('link', { name: '116 123' });
      assert.equal(await samaritans.getAttribute('href'), 'tel:116123');
      assert.equal(await crisis.getByRole('link', { name: '999' }).getAttribute('href'), 'tel:999');
      assert.equal(
        await jordan.page.getByRole('button', { name: /Next|Send my answers/ }).count(),
        0,
        'the flow stops',
      );
      await jordan.checkPage('clinical-portal-crisis-phone');

      // The counselor's inbox shows the alert within seconds (the page refreshes by itself).
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Safety alerts' }).click();
      await page.getByRole('heading', { level: 1, name: 'Safety alerts' }).waitFor();
      const alertItem = page
        .getByRole('list', { name: 'Safety alerts' })
        .getByRole('listitem')
        .filter({ hasText: 'Tier 1 · immediate' })
        .filter({ hasText: 'about Jordan Pike' })
        .filter({ hasText: 'A measure answer' })
        .first();
      await alertItem.waitFor({ timeout: 15_000 });
      const seenAfter = Date.now() - sentAt;
      assert.ok(seenAfter < 15_000, `the alert showed after ${seenAfter} ms`);
      await alertItem.getByText(/Not acknowledged yet/).waitFor();
      // No clinical content in the inbox: neither the item's wording nor the answer.
      assert.equal(await page.getByText(/better off dead|More than half the days/).count(), 0);
      await counselor.checkPage('clinical-alerts-inbox');

      const api = await ApiSession.signIn(DEMO.counselor);
      const me = await api.get<{ membershipId: string }>('/api/v1/me');
      const before = await api.get<{ alerts: AlertSummary[] }>(`/api/v1/cases/${couple.caseId}/safety-alerts`);
      const raised = before.alerts.find(
        (alert) =>
          alert.status === 'open' &&
          alert.tier === 1 &&
          alert.trigger === 'measure' &&
          alert.subjectClientId?.toLowerCase() === couple.jordanClientId.toLowerCase(),
      );
      assert.ok(raised, 'the API holds an open tier-1 measure alert about Jordan');

      await alertItem.getByRole('button', { name: 'Acknowledge' }).click();
      await page.getByText('The alert was acknowledged.', { exact: false }).waitFor();
      await page.getByRole('radio', { name: 'All alerts' }).check();
      const acknowledged = page
        .getByRole('list', { name: 'Safety alerts' })
        .getByRole('listitem')
        .filter({ hasText: 'Acknowledged by Sam Okafor' })
        .filter({ hasText: 'about Jordan Pike' });
      await acknowledged.first().waitFor();
      await counselor.checkPage();
      const after = await api.get<AlertSummary>(`/api/v1/cases/${couple.caseId}/safety-alerts/${raised.id}`);
      assert.equal(after.status, 'acknowledged');
      assert.equal(after.acknowledgedByMembershipId?.toLowerCase(), me.membershipId.toLowerCase());
      assert.ok(after.acknowledgedAt !== null);

      // The safety hold: what the other partner will see is spelled out; Casey then sees only the neutral message.
      await openCaseSection(page, couple.caseId, 'Safety', 'Safety');
      const explanation = page.getByTestId('hold-explanation');
      await explanation.getByText(/What the other partner will see/).waitFor();
      await explanation.getByText(/Your clinician has adjusted your plan for now/).waitFor();
      await counselor.checkPage('clinical-safety');
      const holdReason = `Reason ${marker()}: tier-1 answer, assessing.`;
      const holdForm = page.getByRole('form', { name: 'Put on safety hold' });
      await holdForm.getByLabel(/^Reason/).fill(holdReason);
      await holdForm.getByRole('button', { name: 'Put the case on safety hold' }).click();
      await page.getByText('The case is on safety hold.', { exact: false }).waitFor();
      await counselor.checkPage();

      casey = await Person.open(browser, PHONE);
      await casey.signIn(DEMO.client2);
      await casey.page.waitForURL(/\/portal$/);
      await casey.page.getByTestId('hold-notice').getByText('Your clinician has adjusted your plan for now.').waitFor();
      const caseyText = (await casey.page.locator('main').textContent()) ?? '';
      assert.doesNotMatch(caseyText, /assessing|tier-1|Reason /, 'the reason stays with the care team');
      assert.doesNotMatch(
        (await casey.page.getByTestId('hold-notice').textContent()) ?? '',
        /safety|alert|Jordan|screen/i,
        'the notice says nothing about why or whom',
      );
      await casey.checkPage('clinical-portal-hold-notice');

      await page
        .getByRole('form', { name: 'Lift the safety hold' })
        .getByRole('button', { name: 'Lift the safety hold' })
        .click();
      await page.getByText('The safety hold was lifted.', { exact: false }).waitFor();
      await counselor.checkPage();
      await casey.page.reload();
      await casey.page.getByRole('heading', { level: 1 }).waitFor();
      await casey.checkPage();
      assert.equal(await casey.page.getByTestId('hold-notice').count(), 0, 'the notice goes with the hold');

      // Phone size: the inbox, the measures (charts and tables) and the safety page fit without sideways scrolling.
      await page.setViewportSize(PHONE);
      for (const [path, heading, shot] of [
        ['/counselor/alerts', 'Safety alerts', 'clinical-alerts-phone'],
        [`/counselor/cases/${couple.caseId}/measures`, 'Measures', 'clinical-measures-phone'],
        [`/counselor/cases/${couple.caseId}/safety`, 'Safety', 'clinical-safety-phone'],
      ] as const) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await counselor.checkPage(shot);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= PHONE.width, `no sideways scrolling on ${path} at phone size (${width}px)`);
      }
    } catch (error) {
      await keepEvidence({ counselor, jordan, casey }, error);
    }
    await jordan?.close();
    await casey?.close();
    await counselor?.close();
  });

  it('a counselor schedules a session, writes, signs and amends a note; the supervisor co-signs it', async () => {
    let counselor: Person | undefined;
    let supervisor: Person | undefined;
    try {
      // The clinic requires co-signatures of the counselor's notes (admin, through the API).
      const counselorApi = await ApiSession.signIn(DEMO.counselor);
      const counselorMe = await counselorApi.get<{ membershipId: string }>('/api/v1/me');
      const admin = await ApiSession.signIn(DEMO.admin);
      await admin.request('PUT', `/api/v1/members/${counselorMe.membershipId}/note-cosign-requirement`, {
        required: true,
      });

      counselor = await Person.open(browser, DESKTOP);
      const { page } = counselor;
      await signInStaff(counselor, DEMO.counselor);
      await page.getByRole('heading', { level: 1, name: 'Caseload' }).waitFor();
      await counselor.checkPage();

      // Sessions: schedule a joint session the day after tomorrow, move it an hour later, mark it completed, attendance.
      await openCaseSection(page, couple.caseId, 'Sessions', 'Sessions');
      await counselor.checkPage();
      const day = londonDay(2);
      const schedule = page.getByRole('form', { name: 'Schedule a session' });
      await schedule.getByLabel(/^Starts at/).fill(`${day}T06:40`);
      await schedule.getByLabel(/^Where/).selectOption('video');
      await schedule.getByRole('button', { name: 'Schedule the session' }).click();
      await page.getByText('The session was scheduled.').waitFor();
      const session = page.getByTestId('session').filter({ hasText: '06:40–07:30' }).filter({ hasText: 'Video' });
      await session.waitFor();
      await counselor.checkPage('clinical-sessions');
      await session.getByRole('button', { name: 'Reschedule' }).click();
      const move = session.getByRole('form', { name: 'Reschedule the session' });
      await move.getByLabel(/^New start/).fill(`${day}T07:40`);
      await move.getByRole('button', { name: 'Move the session' }).click();
      await page.getByText('The session was moved.', { exact: false }).waitFor();
      const moved = page.getByTestId('session').filter({ hasText: '07:40–08:30' }).filter({ hasText: 'Moved from' });
      await moved.waitFor();
      await moved.getByLabel(/^Mark the session/).selectOption('completed');
      await moved.getByRole('button', { name: 'Record the status' }).click();
      const completed = page.getByTestId('session').filter({ hasText: '07:40–08:30' }).filter({ hasText: 'Completed' });
      await completed.waitFor();
      await completed.getByLabel('Attendance of Jordan Pike').selectOption('attended');
      await completed.getByLabel('Attendance of Casey Pike').selectOption('late');
      await completed.getByRole('button', { name: 'Record attendance' }).click();
      await completed.getByText('Attendance: Jordan Pike attended, Casey Pike late').waitFor();
      await counselor.checkPage();

      // My calendar: the session among the counselor's sessions of every open case.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My calendar' }).click();
      await page.getByRole('heading', { level: 1, name: 'My calendar' }).waitFor();
      await page
        .getByTestId('calendar-session')
        .filter({ hasText: '07:40–08:30' })
        .filter({ hasText: CASE_TITLE })
        .filter({ hasText: 'Completed' })
        .waitFor();
      await counselor.checkPage('clinical-calendar');

      // A SOAP note for that session: the draft saves itself and survives a reload.
      const tag = marker();
      await openCaseSection(page, couple.caseId, 'Progress notes', 'Progress notes');
      await counselor.checkPage();
      const start = page.getByRole('form', { name: 'Start a progress note' });
      await start.getByLabel(/^Template/).selectOption('soap');
      await start.getByLabel(/^Session/).selectOption({ index: 1 });
      await start.getByRole('button', { name: 'Start the note' }).click();
      await page.waitForURL(/\/notes\/[0-9a-f-]+$/);
      await page.getByRole('heading', { level: 1, name: 'SOAP note' }).waitFor();
      const noteId = /\/notes\/([0-9a-f-]+)$/.exec(page.url())?.[1] ?? '';
      const editor = page.getByRole('form', { name: 'Edit the draft' });
      await editor.getByLabel(/^Subjective/).fill(`Both report fewer arguments this week (${tag}).`);
      await editor.getByLabel(/^Objective/).fill('Calm, engaged; PHQ-9 reviewed with Jordan.');
      await page.getByText(/^Draft saved/).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'SOAP note' }).waitFor();
      assert.equal(
        await editor.getByLabel(/^Subjective/).inputValue(),
        `Both report fewer arguments this week (${tag}).`,
        'the autosaved draft comes back',
      );
      await counselor.checkPage('clinical-note-draft');
      // Signing an incomplete note names the missing fields beside them.
      await editor.getByRole('button', { name: 'Sign the note' }).click();
      await editor.getByText('The note was not signed').waitFor();
      await editor.getByText('is required to sign').first().waitFor();
      await counselor.checkPage();
      await editor.getByLabel(/^Assessment/).fill('Stabilising; the pause plan is used.');
      await editor.getByLabel(/^Plan/).fill(`Continue the pause log; review in two weeks (${tag}).`);
      await editor.getByRole('button', { name: 'Sign the note' }).click();
      await page.getByText('The note was signed.', { exact: false }).waitFor();
      await page.getByText('Signed · awaiting co-signature').first().waitFor();

      // Amend with a reason: the note reads the new plan, the amendment is listed, the note as signed stays.
      const amend = page.getByRole('form', { name: 'Amend the note' });
      await amend.getByLabel(/^Field to change/).selectOption({ label: 'Plan' });
      await amend.getByLabel(/^New text of plan/).fill(`Continue the pause log; review in one week (${tag}).`);
      await amend.getByLabel(/^Reason for the amendment/).fill('The review was brought forward after the session.');
      await amend.getByRole('button', { name: 'Record the amendment' }).click();
      await page.getByText('The amendment was recorded.', { exact: false }).waitFor();
      const amendments = page.getByRole('list', { name: 'Amendments' });
      await amendments.getByText('The review was brought forward after the session.').waitFor();
      await amendments.getByText('Changed: Plan').waitFor();
      await page
        .getByRole('definition')
        .filter({ hasText: `review in one week (${tag})` })
        .first()
        .waitFor();
      await page.getByText('The note as signed (before any amendment)').click();
      await page.getByTestId('The note as signed').getByText(`review in two weeks (${tag})`).waitFor();
      await counselor.checkPage('clinical-note-signed');

      // A private psychotherapy note, kept apart.
      await openCaseSection(page, couple.caseId, 'Private notes', 'Private psychotherapy notes');
      await page.getByTestId('private-notes-banner').getByText('Only you can read these.').waitFor();
      const privateText = `Private process note ${tag}: my own countertransference.`;
      const write = page.getByRole('form', { name: 'Write a private note' });
      await write.getByLabel(/^Private note/).fill(privateText);
      await write.getByRole('button', { name: 'Save the private note' }).click();
      await page.getByText(privateText).waitFor();
      await counselor.checkPage('clinical-private-notes');

      // The counselor's queue: the signed note awaits its co-signature.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notes to finish' }).click();
      await page.getByRole('heading', { level: 1, name: 'Notes to finish' }).waitFor();
      await page
        .getByRole('list', { name: 'Your unsigned notes' })
        .getByRole('listitem')
        .filter({ hasText: 'Signed · awaiting co-signature' })
        .first()
        .waitFor();
      await counselor.checkPage();

      // The supervisor co-signs from their queue; the private note stays out of reach.
      supervisor = await Person.open(browser, DESKTOP);
      const sup = supervisor.page;
      await signInStaff(supervisor, DEMO.supervisor);
      await sup.getByRole('heading', { level: 1, name: 'Caseload' }).waitFor();
      await supervisor.checkPage();
      await sup.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notes to finish' }).click();
      await sup.getByRole('heading', { level: 1, name: 'Notes to finish' }).waitFor();
      const awaiting = sup.getByRole('list', { name: 'Awaiting your co-signature' });
      await awaiting.getByRole('listitem').filter({ hasText: 'By Sam Okafor' }).first().waitFor();
      await supervisor.checkPage('clinical-cosign-queue');
      await sup.goto(`/counselor/cases/${couple.caseId}/notes/${noteId}`);
      await sup.getByRole('heading', { level: 1, name: 'SOAP note' }).waitFor();
      await sup.getByText(`review in one week (${tag})`).first().waitFor();
      await supervisor.checkPage();
      await sup.getByRole('button', { name: 'Co-sign the note' }).click();
      await sup.getByText('You co-signed the note.').waitFor();
      await sup.getByText(/^Co-signed by you on/).waitFor();
      await sup.getByText('Signed and co-signed').first().waitFor();
      await supervisor.checkPage('clinical-note-cosigned');
      assert.equal(await sup.getByRole('form', { name: 'Amend the note' }).count(), 0, 'only the author amends');
      await openCaseSection(sup, couple.caseId, 'Private notes', 'Private psychotherapy notes');
      await sup.getByText('You have no private notes in this case', { exact: false }).waitFor();
      assert.equal(await sup.getByText(privateText).count(), 0, "the counselor's private note is theirs alone");
      await supervisor.checkPage();

      // What the API holds.
      const note = await counselorApi.get<NoteAnswer>(`/api/v1/cases/${couple.caseId}/notes/${noteId}`);
      assert.equal(note.status, 'signed');
      assert.equal(note.cosignRequired, true);
      assert.ok(note.cosignedAt !== null, 'co-signed');
      assert.equal(note.amendments.length, 1);
      assert.deepEqual(note.amendments[0]?.changedFields, ['plan']);
      assert.equal(note.body.plan, `Continue the pause log; review in two weeks (${tag}).`, 'the original is kept');
      assert.equal(note.currentBody.plan, `Continue the pause log; review in one week (${tag}).`);
      await admin.request('PUT', `/api/v1/members/${counselorMe.membershipId}/note-cosign-requirement`, {
        required: false,
      });
    } catch (error) {
      await keepEvidence({ counselor, supervisor }, error);
    }
    await supervisor?.close();
    await counselor?.close();
  });
});
