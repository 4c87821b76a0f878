/**
 * Browser hardening (issue 13, part 4; reliability.md §7.2 FUZZ-3, HDR-1, HDR-2).
 *
 * 1. Stores the XSS corpus (support/xss-payloads.ts: 276 payloads) through the
 *    API in every free-text field the web app shows: case titles and client
 *    names (24 extra cases), the repair plan (breach assessment, goals and
 *    objectives, commitments, boundaries, needs, contingency plans, change note),
 *    ledger check-in and dispute notes, boundary-event restorative responses,
 *    readiness notes (counselor's and client's), a phase-change reason, the
 *    secrets policy and a typed signature, a clinic exercise (title,
 *    instructions, prompts, labels) answered by both partners in every free-text
 *    field type (text, checklist "other", rows), and the counselor's feedback.
 * 2. Opens every page that shows that text (counselor workspace and portal) once
 *    and, on each, counts the payload tags in the page (text and form values: the
 *    table is printed), then checks that no payload ran: the canary global
 *    `window.__mendXss` is undefined in every frame, no element with an event
 *    handler attribute, no frame, object, embed or script element came out of the
 *    stored text, and no Content-Security-Policy violation was reported
 *    (`securitypolicyviolation` events and console reports).
 * 3. Headers of every HTML response seen (CSP with object-src/base-uri/
 *    frame-ancestors, HSTS, nosniff, Referrer-Policy), `Cache-Control: no-store`
 *    on clinical API routes, and the auth cookies (`__Host-`, HttpOnly, Secure,
 *    SameSite) with no token in web storage.
 *
 * The pages are full of hostile markup shown as text, so they are not run
 * through axe here (the other browser files check the same pages with axe).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { ApiSession } from './support/api.js';
import { DESKTOP, launchBrowser, Person, screenshot, signInStaff } from './support/browser.js';
import { BASE_URL, DEMO } from './support/env.js';
import { demoCouple, type CoupleCase } from './support/world.js';
import { CANARY, pack, tagsIn, XSS_PAYLOADS } from './support/xss-payloads.js';

const P = XSS_PAYLOADS;
/** All payloads, packed into strings of at most n characters. */
const chunks = (n: number) => pack(P, n);
/** list[index], or a clear failure when it is missing. */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`expected an item at ${index} of ${list.length}`);
  return item;
}
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Seeded {
  readonly couple: CoupleCase;
  readonly xssCaseIds: string[];
  readonly exerciseTitle: string;
  readonly pairedJordanOccurrence: string;
  readonly openOccurrence: string;
  readonly assignmentId: string;
  readonly originalNames: { clientId: string; displayName: string }[];
  /** A progress note whose free text holds the whole corpus (web app part 2). */
  readonly noteId: string;
  /** A client whose name holds payloads (the client record page). */
  readonly xssClientId: string;
}

interface PlanView {
  readonly revision: number;
  readonly phase: string | null;
  readonly content: {
    breachAssessment: Record<string, unknown>[];
    goals: Record<string, unknown>[];
    commitments: Record<string, unknown>[];
    boundaries: Record<string, unknown>[];
    needs: Record<string, unknown>[];
    contingencyPlans: Record<string, unknown>[];
    reviewDate: string;
  };
}

/** Everything the pages will show, stored through the API as the counselor and both partners. */
async function seed(
  counselor: ApiSession,
  jordan: ApiSession,
  casey: ApiSession,
  restore: { clientId: string; displayName: string }[],
): Promise<Seeded> {
  const couple = await demoCouple(counselor);

  // Caseload: 24 family cases whose titles and participants' names hold the whole corpus (the page shows 25).
  const names = chunks(200);
  const xssCaseIds: string[] = [];
  const perCase = Math.ceil(names.length / 24);
  for (let index = 0; index < 24; index += 1) {
    const mine = names.slice(index * perCase, (index + 1) * perCase);
    if (mine.length === 0) break;
    const [title = 'Synthetic case', ...people] = mine;
    const clientIds: string[] = [];
    for (const displayName of people.length > 0 ? people : ['Synthetic Client']) {
      const client = await counselor.post<{ id: string }>('/api/v1/clients', {
        displayName,
        timezone: 'Europe/London',
      });
      clientIds.push(client.id);
    }
    const created = await counselor.post<{ id: string }>('/api/v1/cases', {
      type: 'family',
      title,
      participants: clientIds.map((clientId) => ({ clientId, role: 'mutual' })),
    });
    xssCaseIds.push(created.id);
  }

  // The partners' own names (restored at the end).
  const caseView = await counselor.get<{ participants: { clientId: string; displayName: string }[] }>(
    `/api/v1/cases/${couple.caseId}`,
  );
  const originalNames = caseView.participants.map(({ clientId, displayName }) => ({ clientId, displayName }));
  restore.push(...originalNames);
  await counselor.request('PATCH', `/api/v1/clients/${couple.jordanClientId}`, { displayName: names[0] });
  await counselor.request('PATCH', `/api/v1/clients/${couple.caseyClientId}`, { displayName: names[1] });

  // The repair plan: a new revision adding items made of payloads to every section.
  const plan = await counselor.get<PlanView>(`/api/v1/cases/${couple.caseId}/plan`);
  const both = [couple.jordanClientId, couple.caseyClientId];
  // The plan as the PUT body takes it (the GET adds read-only fields).
  const pick = (item: Record<string, unknown>, keys: readonly string[]) =>
    Object.fromEntries(
      keys.filter((key) => item[key] !== undefined && item[key] !== null).map((key) => [key, item[key]]),
    );
  const c = {
    breachAssessment: plan.content.breachAssessment.map((i) => pick(i, ['id', 'aspect', 'text', 'visibility'])),
    goals: plan.content.goals.map((goal) => ({
      ...pick(goal, ['id', 'title', 'status']),
      objectives: (goal.objectives as Record<string, unknown>[]).map((i) =>
        pick(i, ['id', 'description', 'measure', 'target', 'targetDate', 'status']),
      ),
    })),
    commitments: plan.content.commitments.map((i) =>
      pick(i, [
        'id',
        'participantClientIds',
        'what',
        'cadence',
        'cadenceDetail',
        'verification',
        'startDate',
        'endDate',
      ]),
    ),
    boundaries: plan.content.boundaries.map((i) =>
      pick(i, ['id', 'participantClientIds', 'description', 'consequence', 'restorativeResponse']),
    ),
    needs: plan.content.needs.map((i) => pick(i, ['id', 'clientId', 'text', 'visibility'])),
    contingencyPlans: plan.content.contingencyPlans.map((i) => pick(i, ['id', 'trigger', 'response'])),
    reviewDate: plan.content.reviewDate,
  };
  const commitmentTexts = chunks(1000);
  const boundaryTexts = chunks(1000);
  const updated = await counselor.request<PlanView>('PUT', `/api/v1/cases/${couple.caseId}/plan`, {
    expectedRevision: plan.revision,
    changeNote: chunks(2000)[0],
    content: {
      ...c,
      breachAssessment: [
        ...c.breachAssessment,
        ...chunks(4000).map((text) => ({ aspect: 'what_happened', text, visibility: 'shared' })),
      ],
      goals: [
        ...c.goals,
        ...chunks(500)
          .slice(0, 4)
          .map((title, index) => ({
            title,
            status: 'in_progress',
            objectives: [
              {
                description: chunks(1000)[index] ?? 'Talk weekly',
                measure: chunks(500)[index + 4] ?? 'weekly talk',
                target: names[index + 2] ?? 'weekly',
                status: 'open',
              },
            ],
          })),
      ],
      commitments: [
        ...c.commitments,
        ...commitmentTexts.slice(0, 2).map((what, index) => ({
          participantClientIds: [couple.jordanClientId],
          what,
          cadence: 'daily',
          verification: chunks(500)[index + 8] ?? 'check-in',
        })),
      ],
      boundaries: [
        ...c.boundaries,
        ...boundaryTexts.slice(0, 2).map((description, index) => ({
          participantClientIds: both,
          description,
          consequence: boundaryTexts[index + 2] ?? 'a pause',
          restorativeResponse: boundaryTexts[index + 4] ?? 'a repair talk',
        })),
      ],
      needs: [
        ...c.needs,
        ...chunks(2000).map((text, index) => ({
          clientId: index % 2 === 0 ? couple.jordanClientId : couple.caseyClientId,
          text,
          visibility: 'shared',
        })),
      ],
      contingencyPlans: [
        ...c.contingencyPlans,
        ...chunks(2000).map((response, index) => ({ trigger: commitmentTexts[index] ?? 'a slip', response })),
      ],
    },
  });
  const newCommitments = updated.content.commitments.filter((item) => commitmentTexts.includes(String(item.what)));
  const newBoundaries = updated.content.boundaries.filter((item) => boundaryTexts.includes(String(item.description)));
  assert.ok(newCommitments.length > 0 && newBoundaries.length > 0, 'the new plan items have ids');

  // Trust ledger: Jordan's check-ins with notes, each disputed by Casey with a note.
  const notes = chunks(2000);
  for (const [index, note] of notes.entries()) {
    const checkIn = await jordan.post<{ id: string }>(`/api/v1/cases/${couple.caseId}/ledger/check-ins`, {
      commitmentId: at(newCommitments, 0).id,
      status: index % 3 === 0 ? 'kept' : index % 3 === 1 ? 'partly_kept' : 'missed',
      occurredOn: day(-index),
      note,
    });
    await casey.post(`/api/v1/cases/${couple.caseId}/ledger/check-ins/${checkIn.id}/responses`, {
      response: 'disputed',
      note: notes[notes.length - 1 - index],
    });
  }

  // Boundary events with restorative responses.
  for (const [index, restorativeResponse] of chunks(2000).entries()) {
    await counselor.post(`/api/v1/cases/${couple.caseId}/boundary-events`, {
      boundaryId: at(newBoundaries, index % newBoundaries.length).id,
      occurredAt: new Date(Date.now() - (index + 1) * 3_600_000).toISOString(),
      severity: 'low',
      restorativeResponse,
    });
  }

  // Readiness: the counselor's notes, and Jordan's own rating note on the first.
  const assessments: string[] = [];
  for (const counselorNote of chunks(4000)) {
    const assessment = await counselor.post<{ id: string }>(`/api/v1/cases/${couple.caseId}/readiness-assessments`, {
      assessedOn: day(0),
      counselorRating: 6,
      counselorNote,
    });
    assessments.push(assessment.id);
  }
  await jordan.request('PUT', `/api/v1/cases/${couple.caseId}/readiness-assessments/${assessments[0]}/my-rating`, {
    rating: 5,
    note: chunks(2000)[0],
  });

  // A phase change with a reason.
  await counselor.post(`/api/v1/cases/${couple.caseId}/plan/phase`, {
    toPhase: updated.phase === 'P2' ? 'P3' : 'P2',
    reason: chunks(2000)[1],
  });

  // The secrets policy, custom, holding the whole corpus; Jordan signs it with a typed name.
  await counselor.request('PUT', `/api/v1/cases/${couple.caseId}/secrets-policy`, {
    kind: 'custom',
    body: P.join('\n'),
  });
  const policy = await jordan.get<{ current: { version: number } | null }>(
    `/api/v1/cases/${couple.caseId}/secrets-policy`,
  );
  await jordan.post(`/api/v1/cases/${couple.caseId}/secrets-policy/signatures`, {
    version: policy.current?.version,
    signedName: names[2],
  });
  await casey.post(`/api/v1/cases/${couple.caseId}/secrets-policy/signatures`, {
    version: policy.current?.version,
    signedName: names[11],
  });

  // A clinic exercise written in payloads, with every free-text field type.
  const exerciseTitle = at(names, 3);
  const exercise = await counselor.post<{ ref: string }>('/api/v1/exercises', {
    title: exerciseTitle,
    instructions: chunks(4000)[0],
    prompts: chunks(2000).map((text) => ({ text })),
    audience: 'each',
    phases: ['P1', 'P2'],
    defaultVisibility: 'reveal',
    switchableVisibility: ['clinician'],
    coachMode: 'off',
    estimatedMinutes: 10,
    frequency: 'weekly',
    seedConcepts: ['S10'],
    responseSchema: {
      fields: [
        { key: 'story', type: 'text', label: chunks(2000)[2], required: true, maxLength: 20_000, multiline: true },
        { key: 'line', type: 'text', label: names[4], maxLength: 20_000, multiline: false },
        {
          key: 'helped',
          type: 'checklist',
          label: names[5],
          options: [
            { value: 'walk', label: names[6] },
            { value: 'pause', label: names[7] },
          ],
          allowOther: true,
          otherLabel: names[8],
          otherMaxLength: 20_000,
        },
        {
          key: 'moments',
          type: 'rows',
          label: names[9],
          rowLabel: 'moment',
          maxRows: 20,
          columns: [{ key: 'what', type: 'text', label: names[10], required: true, maxLength: 2000 }],
        },
      ],
    },
  });
  const answers = {
    story: P.join(' '),
    line: P.join(' '),
    helped: { selected: ['walk'], other: P.join(' ') },
    moments: chunks(2000).map((what) => ({ what })),
  };
  const paired = await counselor.post<{ id: string; occurrences: { id: string; clientId: string }[] }>(
    `/api/v1/cases/${couple.caseId}/assignments`,
    {
      exerciseRef: exercise.ref,
      recipients: [{ clientId: couple.jordanClientId }, { clientId: couple.caseyClientId }],
      visibility: 'reveal',
      schedule: { kind: 'once', dueOn: day(2) },
    },
  );
  for (const occurrence of paired.occurrences) {
    const who = occurrence.clientId === couple.jordanClientId ? jordan : casey;
    await who.post(`/api/v1/cases/${couple.caseId}/occurrences/${occurrence.id}/submit`, { answers });
  }
  const jordanOccurrence = paired.occurrences.find((item) => item.clientId === couple.jordanClientId);
  assert.ok(jordanOccurrence);
  await counselor.post(`/api/v1/cases/${couple.caseId}/occurrences/${jordanOccurrence.id}/feedback`, {
    note: chunks(4000)[1] ?? chunks(4000)[0],
  });
  // One left open for Jordan: the portal's "today" lists it by its title.
  const open = await counselor.post<{ occurrences: { id: string }[] }>(`/api/v1/cases/${couple.caseId}/assignments`, {
    exerciseRef: exercise.ref,
    recipients: [{ clientId: couple.jordanClientId }],
    visibility: 'clinician',
    schedule: { kind: 'once', dueOn: day(3) },
  });

  // Titles are short (200 characters): one small exercise per packed title, each assigned to Jordan and left open,
  // so the library, the homework list and "today" show the whole corpus in titles too.
  for (const title of names) {
    const small = await counselor.post<{ ref: string }>('/api/v1/exercises', {
      title,
      instructions: 'A short synthetic exercise.',
      prompts: [{ text: 'Write one sentence.' }],
      audience: 'each',
      phases: ['P1', 'P2', 'P3'],
      defaultVisibility: 'clinician',
      switchableVisibility: ['private'],
      coachMode: 'off',
      estimatedMinutes: 5,
      frequency: 'once',
      seedConcepts: ['S10'],
      responseSchema: { fields: [{ key: 'line', type: 'text', label: 'One sentence', maxLength: 200 }] },
    });
    await counselor.post(`/api/v1/cases/${couple.caseId}/assignments`, {
      exerciseRef: small.ref,
      recipients: [{ clientId: couple.jordanClientId }],
      visibility: 'clinician',
      schedule: { kind: 'once', dueOn: day(4) },
    });
  }

  // Web app part 2: progress notes (free text, 20,000 characters each) and a private note hold the corpus.
  const noteIds: string[] = [];
  for (const text of chunks(20_000)) {
    const note = await counselor.post<{ id: string }>(`/api/v1/cases/${couple.caseId}/notes`, {
      template: 'free',
      body: { text },
    });
    noteIds.push(note.id);
  }
  await counselor.post(`/api/v1/cases/${couple.caseId}/psychotherapy-notes`, { body: P.join('\n') });
  // A PHQ-9 recorded from paper with item 9 = 2 raises a tier-1 alert about Jordan (whose name holds payloads).
  await counselor.post(`/api/v1/cases/${couple.caseId}/measure-administrations`, {
    clientId: couple.jordanClientId,
    measureId: 'phq-9',
    version: '1',
    answers: Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`phq9_${index + 1}`, index === 8 ? 2 : 0])),
  });
  const xssClients = await counselor.get<{ items: { id: string; displayName: string }[] }>(
    '/api/v1/clients?limit=100&sort=createdAt&order=desc',
  );
  const xssClient = xssClients.items.find((client) => tagsIn(client.displayName).size > 0);
  if (xssClient === undefined) throw new Error('no client with a payload in its name');

  return {
    noteId: at(noteIds, 0),
    xssClientId: xssClient.id,
    couple,
    xssCaseIds,
    exerciseTitle,
    pairedJordanOccurrence: jordanOccurrence.id,
    openOccurrence: at(open.occurrences, 0).id,
    assignmentId: paired.id,
    originalNames,
  };
}

/** What a page did wrong: canary set, CSP reports, elements made from stored text. */
interface Watch {
  readonly cspReports: string[];
  readonly documents: { url: string; headers: Record<string, string> }[];
}

function watch(page: Page): Watch {
  const result: Watch = { cspReports: [], documents: [] };
  page.on('console', (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) result.cspReports.push(message.text());
  });
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document' && response.url().startsWith(BASE_URL)) {
      void response.allHeaders().then((headers) => result.documents.push({ url: response.url(), headers }));
    }
  });
  return result;
}

/** Records `securitypolicyviolation` events in every document of the context (set before any page script). */
async function listenForCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const holder = window as unknown as { __mendCspViolations?: string[] };
    holder.__mendCspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      holder.__mendCspViolations?.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
    });
  });
}

interface PageResult {
  readonly component: string;
  readonly path: string;
  readonly payloads: number;
}

/**
 * Opens `path`, waits for the page to settle, counts the payload tags it shows
 * (text and form values) and asserts that none ran. Returns the count.
 */
async function visit(page: Page, log: Watch, component: string, path: string, ready?: string): Promise<PageResult> {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelector('[role="status"].status--loading') === null, undefined, {
    timeout: 15_000,
  });
  if (ready !== undefined) await page.getByText(ready).first().waitFor();
  // Give onerror/onload/autofocus handlers and frames the time to fire, were any created.
  await page.waitForTimeout(250);
  const found = await page.evaluate((canary) => {
    const root = document.getElementById('root') ?? document.body;
    const values = [...root.querySelectorAll('input, textarea, select')].map(
      (element) => (element as HTMLInputElement).value,
    );
    const handlerElements = [...document.querySelectorAll('*')].filter((element) =>
      [...element.attributes].some((attribute) => attribute.name.toLowerCase().startsWith('on')),
    ).length;
    const foreign = root.querySelectorAll('script, iframe, frame, object, embed, base, meta, link, svg script').length;
    const javascriptLinks = [...root.querySelectorAll('[href], [src], [action], [formaction]')].filter((element) =>
      ['href', 'src', 'action', 'formaction'].some((name) =>
        /^\s*(javascript|data|vbscript):/i.test(element.getAttribute(name) ?? ''),
      ),
    ).length;
    const holder = window as unknown as Record<string, unknown> & { __mendCspViolations?: string[] };
    return {
      text: `${root.textContent ?? ''}\n${values.join('\n')}`,
      canary: holder[canary],
      handlerElements,
      foreign,
      javascriptLinks,
      violations: holder.__mendCspViolations ?? ['the CSP listener is missing'],
    };
  }, CANARY);
  const frameCanaries = await Promise.all(
    page
      .frames()
      .map((frame) =>
        frame
          .evaluate((canary) => (window as unknown as Record<string, unknown>)[canary], CANARY)
          .catch(() => undefined),
      ),
  );
  const where = `${component} (${path})`;
  assert.equal(found.canary, undefined, `a payload ran on ${where}: ${CANARY} = ${String(found.canary)}`);
  assert.deepEqual(
    frameCanaries.filter((value) => value !== undefined),
    [],
    `a payload ran in a frame of ${where}`,
  );
  assert.equal(found.handlerElements, 0, `elements with event-handler attributes on ${where}`);
  assert.equal(found.foreign, 0, `script/frame/object/embed/base/meta/link elements inside the app on ${where}`);
  assert.equal(found.javascriptLinks, 0, `javascript:/data: URLs in attributes on ${where}`);
  assert.deepEqual(found.violations, [], `CSP violations on ${where}`);
  assert.deepEqual(log.cspReports, [], `CSP reports in the console on ${where}`);
  const payloads = tagsIn(found.text).size;
  assert.ok(payloads > 0, `${where} shows none of the stored payloads (the page did not render them)`);
  return { component, path, payloads };
}

function printTable(results: readonly PageResult[]): void {
  const width = Math.max(...results.map((result) => result.component.length));
  process.stdout.write(`\nXSS payloads rendered per component (corpus: ${P.length} payloads)\n`);
  for (const result of results) {
    process.stdout.write(
      `  ${result.component.padEnd(width)}  ${String(result.payloads).padStart(4)}  ${result.path}\n`,
    );
  }
  process.stdout.write(`  ${'total (page renders)'.padEnd(width)}  ${results.reduce((a, r) => a + r.payloads, 0)}\n\n`);
}

describe('browser hardening: stored XSS, security headers, cookies', () => {
  let browser: Browser;
  let counselorApi: ApiSession;
  let jordanApi: ApiSession;
  let caseyApi: ApiSession;
  let seeded: Seeded;
  const results: PageResult[] = [];
  const originalNames: { clientId: string; displayName: string }[] = [];
  const documents: { url: string; headers: Record<string, string> }[] = [];

  before(async () => {
    browser = await launchBrowser();
    counselorApi = await ApiSession.signIn(DEMO.counselor);
    jordanApi = await ApiSession.signIn(DEMO.client1);
    caseyApi = await ApiSession.signIn(DEMO.client2);
  });
  after(async () => {
    if (results.length > 0) printTable(results);
    {
      for (const { clientId, displayName } of originalNames) {
        await counselorApi.request('PATCH', `/api/v1/clients/${clientId}`, { displayName }).catch(() => undefined);
      }
    }
    await browser?.close();
  });

  it(`stores ${P.length} payloads through the API in every free-text field the web app shows`, async () => {
    assert.ok(P.length >= 200, 'at least 200 payloads');
    assert.equal(new Set(P).size, P.length, 'distinct payloads');
    seeded = await seed(counselorApi, jordanApi, caseyApi, originalNames);
    // The API stores text as sent: the corpus comes back unchanged.
    const policy = await jordanApi.get<{ current: { body: string | null } | null }>(
      `/api/v1/cases/${seeded.couple.caseId}/secrets-policy`,
    );
    assert.equal(policy.current?.body, P.join('\n'));
  });

  it('the counselor workspace shows every payload as text: no script runs, no CSP violation', async () => {
    assert.ok(seeded, 'seeded');
    const person = await Person.open(browser, DESKTOP);
    await listenForCspViolations(person.context);
    const log = watch(person.page);
    const { page } = person;
    try {
      await signInStaff(person, DEMO.counselor);
      const caseId = seeded.couple.caseId;
      const base = `/counselor/cases/${caseId}`;
      const pages: [string, string][] = [
        ['CaseloadPage (case titles, participants)', '/counselor'],
        ['CaseLayout (title, participants) of an XSS case', `/counselor/cases/${seeded.xssCaseIds[0]}`],
        ['CaseOverviewPage (names, phase reason, homework)', base],
        ['PlanPage (every plan section)', `${base}/plan`],
        ['PlanEditPage (plan items in form fields)', `${base}/plan/edit`],
        ['PlanHistoryPage (change note, diff)', `${base}/plan/history`],
        ['HomeworkPage (exercise titles)', `${base}/homework`],
        ['AssignPage (clinic exercise in the library)', `${base}/homework/assign`],
        ['AssignmentPage (exercise title, occurrences)', `${base}/homework/assignments/${seeded.assignmentId}`],
        [
          'ReviewPage (answers of every field type, feedback)',
          `${base}/homework/occurrences/${seeded.pairedJordanOccurrence}`,
        ],
        ['LedgerPage (check-in and dispute notes)', `${base}/ledger`],
        ['BoundaryEventsPage (boundaries, restorative responses)', `${base}/boundaries`],
        ['ReadinessPage (counselor and client notes)', `${base}/readiness`],
        ['TimelinePage (labels)', `${base}/timeline`],
        ['DisclosuresPage (names)', `${base}/disclosures`],
        ['NotesPage (note list)', `${base}/notes`],
        ["NoteEditorPage (a note's free text)", `${base}/notes/${seeded.noteId}`],
        ['PrivateNotesPage (a psychotherapy note)', `${base}/private-notes`],
        ['SessionsPage (participants)', `${base}/sessions`],
        ['CaseMeasuresPage (participants in charts and tables)', `${base}/measures`],
        ['SafetyPage (participants, alerts)', `${base}/safety`],
        ['AlertsPage (who an alert is about, case titles)', '/counselor/alerts?status=all'],
        ["ClientRecordPage (a client's name)", `/counselor/clients/${seeded.xssClientId}`],
      ];
      for (const [component, path] of pages) results.push(await visit(page, log, `counselor: ${component}`, path));
      // The library: choosing the clinic exercise shows its instructions and labels.
      documents.push(...log.documents);
    } catch (error) {
      await screenshot(page, 'failed-xss-counselor').catch(() => undefined);
      throw error;
    } finally {
      await person.context.close();
    }
  });

  it('the client portal shows every payload as text: no script runs, no CSP violation', async () => {
    assert.ok(seeded, 'seeded');
    for (const [who, email] of [
      ['Jordan', DEMO.client1],
      ['Casey', DEMO.client2],
    ] as const) {
      const person = await Person.open(browser, DESKTOP);
      await listenForCspViolations(person.context);
      const log = watch(person.page);
      const { page } = person;
      try {
        await person.signIn(email);
        await page.waitForURL(/\/portal/);
        const caseId = seeded.couple.caseId;
        const pages: [string, string][] =
          who === 'Jordan'
            ? [
                ['TodayPage (exercise titles)', '/portal'],
                [
                  'OccurrencePage (own and partner answers, feedback)',
                  `/portal/exercises/${caseId}/${seeded.pairedJordanOccurrence}`,
                ],
                ['OccurrencePage form (prompts, labels)', `/portal/exercises/${caseId}/${seeded.openOccurrence}`],
                ['LedgerPage (notes, disputes)', '/portal/ledger'],
                ['SharedPage (titles of shared items)', '/portal/shared'],
                ['AgreementsPage (plan items)', '/portal/agreements'],
                ['SecretsPolicyPage (policy, signatures)', '/portal/privacy'],
              ]
            : [
                ['SharedPage (titles of shared items)', '/portal/shared'],
                ['LedgerPage (notes, disputes)', '/portal/ledger'],
              ];
        for (const [component, path] of pages)
          results.push(await visit(page, log, `portal (${who}): ${component}`, path));
        documents.push(...log.documents);

        // HDR-2: the auth cookies, and no token in web storage.
        const cookies = await person.context.cookies(BASE_URL);
        const auth = cookies.filter((cookie) => /mend_(access|refresh|csrf)$/.test(cookie.name));
        assert.deepEqual(auth.map((cookie) => cookie.name).sort(), [
          '__Host-mend_access',
          '__Host-mend_csrf',
          '__Host-mend_refresh',
        ]);
        for (const cookie of auth) {
          assert.equal(cookie.secure, true, `${cookie.name} is Secure`);
          assert.ok(cookie.sameSite === 'Strict' || cookie.sameSite === 'Lax', `${cookie.name} has SameSite`);
          assert.equal(cookie.path, '/', `${cookie.name} has Path=/`);
          assert.equal(cookie.httpOnly, cookie.name !== '__Host-mend_csrf', `${cookie.name} HttpOnly (tokens)`);
        }
        const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
        for (const cookie of auth.filter((item) => item.httpOnly)) {
          assert.ok(!storage.includes(cookie.value), `${cookie.name} is not in web storage`);
        }
      } catch (error) {
        await screenshot(page, `failed-xss-${who.toLowerCase()}`).catch(() => undefined);
        throw error;
      } finally {
        await person.context.close();
      }
    }
  });

  it('every HTML response carries CSP (object-src, base-uri, frame-ancestors), HSTS, nosniff, a referrer policy', async () => {
    // The documents the browser loaded, plus a few addresses fetched directly (public pages, unknown routes).
    for (const path of ['/', '/sign-in', '/portal', '/counselor/cases/x', '/no-such-page', '/invitations/accept']) {
      const response = await fetch(`${BASE_URL}${path}`);
      await response.arrayBuffer();
      documents.push({ url: `${BASE_URL}${path}`, headers: Object.fromEntries(response.headers) });
    }
    const html = documents.filter((document) => (document.headers['content-type'] ?? '').startsWith('text/html'));
    assert.ok(html.length >= 20, `HTML responses seen: ${html.length}`);
    for (const { url, headers } of html) {
      const csp = headers['content-security-policy'] ?? '';
      for (const directive of ["object-src 'none'", "base-uri 'none'", 'frame-ancestors ']) {
        assert.ok(csp.includes(directive), `${url}: CSP has ${directive} (${csp})`);
      }
      assert.match(csp, /script-src 'self'(;|$)/, `${url}: scripts from the origin only`);
      assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), `${url}: no unsafe-*`);
      const hsts = /max-age=(\d+)/.exec(headers['strict-transport-security'] ?? '');
      assert.ok(hsts !== null && Number(hsts[1]) >= 31_536_000, `${url}: HSTS max-age ≥ 1 year`);
      assert.match(headers['strict-transport-security'] ?? '', /includeSubDomains/, `${url}: HSTS includeSubDomains`);
      assert.equal(headers['x-content-type-options'], 'nosniff', `${url}: nosniff`);
      assert.ok((headers['referrer-policy'] ?? '') !== '', `${url}: Referrer-Policy`);
    }
    process.stdout.write(`HTML responses checked: ${html.length}\n`);
  });

  it('every clinical API response is Cache-Control: no-store', async () => {
    assert.ok(seeded, 'seeded');
    const caseId = seeded.couple.caseId;
    const counselorRoutes = [
      '/api/v1/cases',
      `/api/v1/cases/${caseId}`,
      `/api/v1/cases/${caseId}/plan`,
      `/api/v1/cases/${caseId}/plan/revisions`,
      `/api/v1/cases/${caseId}/assignments`,
      `/api/v1/cases/${caseId}/occurrences/${seeded.pairedJordanOccurrence}`,
      `/api/v1/cases/${caseId}/homework/overview`,
      `/api/v1/cases/${caseId}/notes`,
      `/api/v1/cases/${caseId}/psychotherapy-notes`,
      `/api/v1/cases/${caseId}/measure-administrations`,
      `/api/v1/cases/${caseId}/ledger`,
      `/api/v1/cases/${caseId}/ledger/summary`,
      `/api/v1/cases/${caseId}/boundary-events`,
      `/api/v1/cases/${caseId}/readiness-assessments`,
      `/api/v1/cases/${caseId}/timeline`,
      `/api/v1/cases/${caseId}/disclosures`,
      `/api/v1/cases/${caseId}/secrets-policy`,
      `/api/v1/cases/${caseId}/sessions`,
      `/api/v1/cases/${caseId}/safety-alerts`,
      '/api/v1/clients',
      `/api/v1/clients/${seeded.couple.jordanClientId}`,
      '/api/v1/reports',
      '/api/v1/safety-alerts',
      '/api/v1/me',
    ];
    const clientRoutes = ['/api/v1/me', '/api/v1/me/assignments', `/api/v1/cases/${caseId}/ledger`];
    const check = async (api: ApiSession, path: string) => {
      const response = await api.raw('GET', path);
      assert.equal(response.status, 200, `${path} answered ${response.status}`);
      assert.match(response.headers.get('cache-control') ?? '', /no-store/, `${path}: Cache-Control no-store`);
    };
    for (const path of counselorRoutes) await check(counselorApi, path);
    for (const path of clientRoutes) await check(jordanApi, path);
    process.stdout.write(`clinical API routes checked for no-store: ${counselorRoutes.length + clientRoutes.length}\n`);
  });
});
