/**
 * The counselor workspace against the real platform (issue 10, part 4).
 *
 * 1. The required journey, end to end: the counselor assigns a paired reveal
 *    exercise through the workspace; each partner completes it in their own
 *    browser context; neither sees the other's answers before both submitted;
 *    both see both after; the counselor reviews a submission and leaves feedback,
 *    which its author then sees (and the disclosure log shows the reveal).
 * 2. The case page: the repair plan edited into a new revision whose diff shows
 *    the change; ledger, boundary events, readiness, timeline; phone layouts.
 * Every page visited passes axe (no serious or critical violation); screenshots
 * of the main pages go to test-results/screenshots.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { ApiSession } from './support/api.js';
import { DESKTOP, launchBrowser, Person, PHONE, screenshot, signInStaff } from './support/browser.js';
import { DEMO } from './support/env.js';

const CASE_TITLE = 'Pike: repair after the disclosure';

interface Occurrence {
  readonly id: string;
  readonly clientId: string;
  readonly caseId: string;
}
interface AssignmentDetail {
  readonly id: string;
  readonly caseId: string;
  readonly paired: boolean;
  readonly visibility: string;
  readonly occurrences: readonly Occurrence[];
}

/** `YYYY-MM-DD` some days from now (UTC; the demo clients live in London). */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function openCase(page: Page): Promise<string> {
  await page.getByRole('link', { name: CASE_TITLE }).click();
  await page.waitForURL(/\/counselor\/cases\/[0-9a-f-]+$/);
  await page.getByRole('heading', { level: 1, name: CASE_TITLE }).waitFor();
  const caseId = /\/counselor\/cases\/([0-9a-f-]+)/.exec(page.url())?.[1];
  assert.ok(caseId, 'the case id is in the address');
  return caseId;
}

async function caseSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true }).click();
}

/** On a failure, a screenshot of every open page (test-results/screenshots/failed-*.png) before rethrowing. */
async function keepEvidence(people: Record<string, Person | undefined>, error: unknown): Promise<never> {
  for (const [name, person] of Object.entries(people)) {
    if (person !== undefined) await screenshot(person.page, `failed-${name}`).catch(() => undefined);
  }
  throw error;
}

/** A partner opens their occurrence in the portal, fills the pause log and sends it. */
async function completePauseLog(person: Person, occurrence: Occurrence, whatHelped: string): Promise<void> {
  const { page } = person;
  await page.goto(`/portal/exercises/${occurrence.caseId}/${occurrence.id}`);
  await page.getByRole('heading', { level: 1, name: /Pause Log/ }).waitFor();
  await page.getByLabel(/^When/).fill(`${dayFromNow(0)}T20:30`);
  await page.getByLabel(/^What helped/).fill(whatHelped);
  // Let the autosave settle first (as a person pausing before sending would).
  await page.getByText(/^Draft saved/).waitFor();
  await person.checkPage();
  await page.getByRole('button', { name: /^Send\b/ }).click();
  await page.getByTestId('my-answers').waitFor();
}

describe('the counselor workspace', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('assigns a paired reveal exercise; both partners complete it; the counselor reviews it and leaves feedback', async () => {
    let counselor: Person | undefined;
    let jordan: Person | undefined;
    let casey: Person | undefined;
    try {
      counselor = await Person.open(browser, DESKTOP);
      const { page } = counselor;
      // The caseload's homework counts come with the caseload itself: no overview request per card.
      const overviewRequests: string[] = [];
      const onRequest = (request: { url(): string }) => {
        if (request.url().includes('/homework/overview')) overviewRequests.push(request.url());
      };
      page.on('request', onRequest);
      await signInStaff(counselor, DEMO.counselor);

      // The caseload: the demo case with its phase and homework counts.
      await page.getByRole('heading', { level: 1, name: 'Caseload' }).waitFor();
      const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: CASE_TITLE }) });
      await card.getByText('P1 · Stabilise & atone').waitFor();
      const counts = card.getByRole('list', { name: 'Homework' });
      await counts.waitFor();
      assert.match(await counts.innerText(), /^\d+ due\s+\d+ overdue\s+\d+ to review$/);
      // The next item due, whose it is (a couple case) and its day.
      await card.getByText(/^Next due: .+ \((Jordan|Casey) Pike\), \w+day \d{1,2} \w+$/).waitFor();
      assert.deepEqual(overviewRequests, []);
      page.off('request', onRequest);
      await counselor.checkPage('counselor-caseload-desktop');

      // The case page.
      const caseId = await openCase(page);
      await page.getByRole('heading', { name: 'Secrets policy' }).waitFor();
      await counselor.checkPage('counselor-case-overview-desktop');

      // Homework → assign from the library, filtered by phase and seed concept.
      await caseSection(page, 'Homework');
      await page.getByRole('heading', { level: 1, name: 'Homework' }).waitFor();
      await page.getByRole('heading', { name: 'Assignments' }).waitFor();
      await counselor.checkPage('counselor-homework');
      await page.getByRole('link', { name: 'Assign an exercise' }).click();
      await page.getByRole('heading', { level: 1, name: 'Assign an exercise' }).waitFor();
      const library = page.getByRole('search', { name: 'Filter the exercise library' });
      await library.getByLabel('Phase').selectOption('P1');
      await library.getByLabel('Seed concept').selectOption('S07');
      const exercises = page.getByRole('list', { name: 'Exercises' });
      await exercises.getByRole('heading', { name: /Pause Log/ }).waitFor();
      assert.equal(await exercises.getByRole('heading', { name: /Impact Letter/ }).count(), 0, 'filtered out (S01)');
      await page.getByRole('button', { name: 'Choose Pause Log' }).click();
      const form = page.getByRole('form', { name: 'Assign Pause Log' });
      await form.waitFor();
      assert.ok(await form.getByRole('radio', { name: 'Both partners (paired)' }).isChecked(), 'paired by default');
      assert.ok(await form.getByRole('radio', { name: /^Reveal/ }).isChecked(), "the exercise's default: reveal");
      // Reveal needs both partners: choosing one participant disables it.
      await form.getByRole('radio', { name: 'One participant' }).check();
      assert.ok(await form.getByRole('radio', { name: /^Reveal/ }).isDisabled());
      await form.getByRole('radio', { name: 'Both partners (paired)' }).check();
      await form.getByLabel(/^Due on/).fill(dayFromNow(5));
      await counselor.checkPage('counselor-assign-exercise');
      await form.getByRole('button', { name: 'Assign Pause Log' }).click();
      await page.waitForURL(/\/homework\/assignments\/[0-9a-f-]+$/);
      await page.getByText('The exercise was assigned.').waitFor();
      await page.getByRole('heading', { name: 'Occurrences' }).waitFor();
      await counselor.checkPage('counselor-assignment');
      const assignmentId = /\/assignments\/([0-9a-f-]+)$/.exec(page.url())?.[1] ?? '';

      // What was created (read through the API as a script would): one paired reveal assignment.
      const api = await ApiSession.signIn(DEMO.counselor);
      const detail = await api.get<AssignmentDetail>(`/api/v1/cases/${caseId}/assignments/${assignmentId}`);
      assert.equal(detail.paired, true);
      assert.equal(detail.visibility, 'reveal');
      assert.equal(detail.occurrences.length, 2);

      // Each partner in their own browser context (phone size).
      jordan = await Person.open(browser, PHONE);
      casey = await Person.open(browser, PHONE);
      await jordan.signIn(DEMO.client1);
      await jordan.page.waitForURL('**/portal');
      await casey.signIn(DEMO.client2);
      await casey.page.waitForURL('**/portal');
      const clientIdOf = async (person: Person) => {
        const cases = await person.page.evaluate(async (id) => {
          const response = await fetch(`/api/v1/cases/${id}`);
          return (await response.json()) as { yourClientId?: string };
        }, caseId);
        assert.ok(cases.yourClientId);
        return cases.yourClientId.toLowerCase();
      };
      const occurrenceOf = (clientId: string) => {
        const found = detail.occurrences.find((occurrence) => occurrence.clientId.toLowerCase() === clientId);
        assert.ok(found, 'each partner has an occurrence');
        return found;
      };
      const jordanOccurrence = occurrenceOf(await clientIdOf(jordan));
      const caseyOccurrence = occurrenceOf(await clientIdOf(casey));
      await jordan.checkPage('portal-today-jordan');
      await casey.checkPage();

      // Jordan first: afterwards Jordan sees only a waiting note, not Casey's answers (none yet).
      await completePauseLog(jordan, jordanOccurrence, 'Jordan: a walk around the block before we talked again.');
      await jordan.page.getByTestId('partner-waiting').waitFor();
      await jordan.checkPage('portal-reveal-waiting');

      // Casey has not submitted: Jordan's answer is not visible to Casey (the API refuses the answers too).
      await casey.page.goto(`/portal/exercises/${caseId}/${caseyOccurrence.id}`);
      await casey.page.getByRole('heading', { level: 1, name: /Pause Log/ }).waitFor();
      assert.equal(await casey.page.getByText(/a walk around the block/).count(), 0);
      // Casey asking the API directly (as a script would) gets nothing either: 404, or no answers.
      const caseyApi = await ApiSession.signIn(DEMO.client2);
      const peek = await caseyApi
        .get<{ answers: unknown }>(`/api/v1/cases/${caseId}/occurrences/${jordanOccurrence.id}`)
        .then((body) => JSON.stringify(body.answers ?? null))
        .catch((error: unknown) => String(error));
      assert.doesNotMatch(peek, /a walk around the block/, "Casey cannot read Jordan's answer before submitting");

      // The counselor already reads Jordan's answer (reveal is like `clinician` for the care team).
      await page.reload();
      await page.getByRole('link', { name: /^Review Jordan Pike/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Review: Pause Log' }).waitFor();
      await page.getByText('Jordan: a walk around the block before we talked again.').waitFor();
      await page.getByText('Not revealed: waiting for the partner').waitFor();
      await counselor.checkPage('counselor-review-before-reveal');

      // Casey submits: both now see both.
      await completePauseLog(casey, caseyOccurrence, 'Casey: breathing slowly and coming back after twenty minutes.');
      const caseyPartner = casey.page.getByTestId('partner-answers');
      await caseyPartner.getByText('Jordan: a walk around the block before we talked again.').waitFor();
      await casey.checkPage('portal-reveal-both');
      await jordan.page.reload();
      await jordan.page
        .getByTestId('partner-answers')
        .getByText('Casey: breathing slowly and coming back after twenty minutes.')
        .waitFor();
      await jordan.checkPage();

      // The counselor reviews Casey's half (linked from Jordan's) and leaves feedback.
      await page.reload();
      await page.getByText(/^Revealed to both/).waitFor();
      await page.getByRole('link', { name: /Casey Pike's half/ }).click();
      await page.getByText('Casey: breathing slowly and coming back after twenty minutes.').waitFor();
      const feedback = page.getByRole('form', { name: 'Leave feedback' });
      await feedback
        .getByLabel(/^Feedback note/)
        .fill('Coming back after twenty minutes is exactly the plan. Well done.');
      await feedback.getByRole('button', { name: 'Send feedback' }).click();
      await page.getByText('Your feedback was saved.', { exact: false }).waitFor();
      await page.getByText('Coming back after twenty minutes is exactly the plan. Well done.').first().waitFor();
      await counselor.checkPage('counselor-review-feedback');

      // Casey sees the feedback; Jordan (the partner) does not.
      await casey.page.reload();
      await casey.page.getByText('Coming back after twenty minutes is exactly the plan. Well done.').waitFor();
      await casey.checkPage();
      await jordan.page.reload();
      await jordan.page.getByTestId('partner-answers').waitFor();
      assert.equal(await jordan.page.getByText(/exactly the plan/).count(), 0, 'feedback never reaches the partner');
      await jordan.checkPage();

      // The reveal is in the disclosure log.
      await caseSection(page, 'Disclosure log');
      await page.getByRole('heading', { level: 1, name: 'Disclosure log' }).waitFor();
      const revealed = page.getByRole('row').filter({ hasText: 'revealed once both submitted' });
      await revealed.nth(1).waitFor(); // both halves of the reveal are logged
      await counselor.checkPage('counselor-disclosure-log');
    } catch (error) {
      await keepEvidence({ counselor, jordan, casey }, error);
    }
    await jordan?.close();
    await casey?.close();
    await counselor?.close();
  });

  it('edits the repair plan into a new revision, shows the diff, and every case page works at phone size', async () => {
    const counselor = await Person.open(browser, DESKTOP);
    const { page } = counselor;
    await signInStaff(counselor, DEMO.counselor);
    await page.getByRole('heading', { level: 1, name: 'Caseload' }).waitFor();
    await counselor.checkPage();
    await openCase(page);
    await counselor.checkPage();

    // The plan, then editing it: add a goal and save with a change note.
    await caseSection(page, 'Repair plan');
    await page.getByRole('heading', { level: 1, name: 'Repair plan' }).waitFor();
    await page.getByText('Rebuild predictability in daily life').waitFor();
    await counselor.checkPage('counselor-plan');
    await page.getByRole('link', { name: 'Edit the plan' }).click();
    const editor = page.getByRole('form', { name: 'Edit the repair plan' });
    await editor.waitFor();
    await counselor.checkPage('counselor-plan-edit');
    await editor.getByRole('button', { name: 'Add a goal' }).click();
    const goals = editor.getByRole('group', { name: /^Goal \d+$/ });
    const newGoal = goals.last();
    await newGoal.getByLabel(/^Goal/).first().fill('Plan one calm evening out each week');
    await editor.getByLabel(/^Change note/).fill('Added a goal agreed in session');
    // Keyboard only: the save button is reached and pressed without the mouse.
    await editor.getByRole('button', { name: 'Save as a new revision' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/plan$/);
    await page.getByText(/^Saved as revision \d+\.$/).waitFor();
    await page.getByText('Plan one calm evening out each week').waitFor();
    await counselor.checkPage();

    // The history: the newest revision's diff shows the added goal.
    await page.getByRole('link', { name: 'Revision history' }).click();
    await page.getByRole('heading', { level: 1, name: 'Repair plan history' }).waitFor();
    const diff = page.locator('.cw-diff');
    await diff.getByText('Plan one calm evening out each week').waitFor();
    await diff.getByText('Added', { exact: true }).first().waitFor();
    await page.getByText('Added a goal agreed in session').waitFor();
    await counselor.checkPage('counselor-plan-history');

    for (const [section, heading, shot] of [
      ['Trust ledger', 'Trust ledger', 'counselor-ledger'],
      ['Boundary events', 'Boundary events', 'counselor-boundary-events'],
      ['Readiness', 'Readiness assessments', 'counselor-readiness'],
      ['Timeline', 'Timeline', 'counselor-timeline'],
    ] as const) {
      await caseSection(page, section);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await counselor.checkPage(shot);
    }
    await counselor.close();

    // Phone size: the caseload and the case overview.
    const phone = await Person.open(browser, PHONE);
    await signInStaff(phone, DEMO.counselor);
    await phone.page.getByRole('heading', { level: 1, name: 'Caseload' }).waitFor();
    await phone.checkPage('counselor-caseload-phone');
    await openCase(phone.page);
    await phone.checkPage('counselor-case-overview-phone');
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `no sideways scrolling at phone size (page is ${width}px wide)`);
    await phone.close();
  });
});
