import { UnitOfWork } from '@mend/core';
import { markOverdueOccurrences } from '@mend/homework';

import { bearer, signIn, startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { freshCase, newId, sampleAnswers, sender, textField, type Send } from './support/homework-fixtures.js';

/** 2026-06-03 12:00 UTC: 13:00 the same day in London (BST), the partners' timezone. */
const NOW = new Date('2026-06-03T12:00:00Z');

interface Occurrence {
  id: string;
  clientId: string;
  status: string;
  dueOn: string;
  opensOn: string;
  pairId: string | null;
  part: string | null;
  answersVisible: boolean;
  submission: {
    id: string;
    status: string;
    draftVersion: number;
    releasedAt: string | null;
    revealedAt: string | null;
  } | null;
}
interface Assignment {
  id: string;
  visibility: string;
  paired: boolean;
  status: string;
  counts: Record<string, number>;
  recipients: { clientId: string; part: string | null }[];
  occurrences: Occurrence[];
}
interface Detail extends Occurrence {
  answers: Record<string, unknown> | null;
  feedback: unknown[] | null;
}
interface Problem {
  code: string;
  errors?: { field: string; rule: string; message: string }[];
}

describe('homework: assignments, submissions and staged disclosure (e2e)', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  let send: Send;

  const assign = (caseId: string, body: Record<string, unknown>) =>
    send('POST', `/api/v1/cases/${caseId}/assignments`, world.counselor.headers, body);
  const assignOk = async (caseId: string, body: Record<string, unknown>): Promise<Assignment> => {
    const response = await assign(caseId, body);
    if (response.statusCode !== 201) throw new Error(`assign answered ${response.statusCode} ${response.body}`);
    return response.json<Assignment>();
  };
  const occurrenceUrl = (caseId: string, id: string, rest = '') => `/api/v1/cases/${caseId}/occurrences/${id}${rest}`;
  const ofClient = (assignment: Assignment, clientId: string) =>
    assignment.occurrences.filter((occurrence) => occurrence.clientId === clientId);
  const once = { kind: 'once', dueOn: '2026-06-05' };

  beforeAll(async () => {
    api = await startIdentityApp();
    api.clock.set(NOW);
    world = await createCaseWorld(api);
    send = sender(api);
  });
  afterAll(() => api.close());
  afterEach(() => api.clock.set(NOW));

  describe('the reveal rule (paired E08)', () => {
    it('shows neither partner anything until both submitted, then both see both; the counselor always sees', async () => {
      const caseId = await freshCase(api, world, false);
      const created = await assignOk(caseId, {
        exerciseRef: 'E08',
        recipients: [{ clientId: world.partnerA.clientId }, { clientId: world.partnerB.clientId }],
        schedule: once,
      });
      expect(created.visibility).toBe('reveal');
      const [a] = ofClient(created, world.partnerA.clientId);
      const [b] = ofClient(created, world.partnerB.clientId);
      expect(a.pairId).not.toBeNull();
      expect(a.pairId).toBe(b.pairId);

      // Each partner sees only their own occurrence.
      const listA = await send('GET', `/api/v1/cases/${caseId}/assignments/${created.id}`, world.partnerA.headers);
      expect(listA.json<Assignment>().occurrences.map((o) => o.id)).toEqual([a.id]);

      const answersA = sampleAnswers('E08');
      const submitA = await send('POST', occurrenceUrl(caseId, a.id, '/submit'), world.partnerA.headers, {
        answers: answersA,
      });
      expect(submitA.statusCode).toBe(200);
      expect(submitA.json<Detail>().submission?.revealedAt).toBeNull();

      // B cannot read A's answers (404, like a missing record) nor learn that A submitted.
      expect((await send('GET', occurrenceUrl(caseId, a.id), world.partnerB.headers)).statusCode).toBe(404);
      const bView = await send('GET', `/api/v1/cases/${caseId}/assignments/${created.id}`, world.partnerB.headers);
      expect(bView.json<Assignment>().occurrences.map((o) => o.id)).toEqual([b.id]);
      expect(bView.json<Assignment>().counts.completed).toBe(0);
      // The counselor sees A's answers already.
      const counselorA = await send('GET', occurrenceUrl(caseId, a.id), world.counselor.headers);
      expect(counselorA.json<Detail>().answers).toEqual(answersA);
      // No disclosure yet.
      const before = await send('GET', `/api/v1/cases/${caseId}/disclosures`, world.counselor.headers);
      expect(JSON.stringify(before.json())).not.toContain('homework.reveal');

      const answersB = sampleAnswers('E08');
      const submitB = await send('POST', occurrenceUrl(caseId, b.id, '/submit'), world.partnerB.headers, {
        answers: answersB,
      });
      expect(submitB.statusCode).toBe(200);
      expect(submitB.json<Detail>().submission?.revealedAt).not.toBeNull();

      const aSeesB = await send('GET', occurrenceUrl(caseId, b.id), world.partnerA.headers);
      expect(aSeesB.statusCode).toBe(200);
      expect(aSeesB.json<Detail>().answers).toEqual(answersB);
      const bSeesA = await send('GET', occurrenceUrl(caseId, a.id), world.partnerB.headers);
      expect(bSeesA.json<Detail>().answers).toEqual(answersA);
      // Feedback is never the partner's.
      expect(bSeesA.json<Detail>().feedback).toBeNull();

      const log = await send('GET', `/api/v1/cases/${caseId}/disclosures`, world.counselor.headers);
      const reveals = JSON.stringify(log.json()).match(/homework\.reveal/g) ?? [];
      expect(reveals).toHaveLength(2);
      expect(JSON.stringify(log.json())).toContain('released_by_author');

      // The timeline shows the reveal, content-free.
      const timeline = await send('GET', `/api/v1/cases/${caseId}/timeline`, world.partnerA.headers);
      const kinds = timeline.json<{ entries: { kind: string }[] }>().entries.map((entry) => entry.kind);
      expect(kinds).toEqual(expect.arrayContaining(['homework.assigned', 'homework.submitted', 'homework.revealed']));
      expect(timeline.body).not.toContain('Synthetic answer');
    });

    it('refuses a reveal assignment to one partner only', async () => {
      const caseId = await freshCase(api, world, false);
      const response = await assign(caseId, {
        exerciseRef: 'E08',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      expect(response.statusCode).toBe(422);
      expect(response.json<Problem>().errors?.map((error) => error.rule)).toContain('pairedForReveal');
    });
  });

  describe('release', () => {
    it('without review: the author releases a submitted answer, then the partner sees it (disclosure logged)', async () => {
      const caseId = await freshCase(api, world);
      const created = await assignOk(caseId, {
        exerciseRef: 'E03',
        recipients: [{ clientId: world.partnerB.clientId }],
        schedule: once,
      });
      expect(created.visibility).toBe('release');
      const [occurrence] = created.occurrences;
      const url = occurrenceUrl(caseId, occurrence.id);
      // Not submitted: 422.
      expect((await send('POST', `${url}/release`, world.partnerB.headers)).statusCode).toBe(422);
      const answers = sampleAnswers('E03');
      expect((await send('POST', `${url}/submit`, world.partnerB.headers, { answers })).statusCode).toBe(200);
      expect((await send('GET', url, world.partnerA.headers)).statusCode).toBe(404);
      const partnerList = await send('GET', `/api/v1/cases/${caseId}/assignments`, world.partnerA.headers);
      expect(partnerList.json<{ assignments: unknown[] }>().assignments).toHaveLength(0);

      const released = await send('POST', `${url}/release`, world.partnerB.headers);
      expect(released.statusCode).toBe(200);
      expect((await send('POST', `${url}/release`, world.partnerB.headers)).statusCode).toBe(409);
      const seen = await send('GET', url, world.partnerA.headers);
      expect(seen.statusCode).toBe(200);
      expect(seen.json<Detail>().answers).toEqual(answers);
      const log = await send('GET', `/api/v1/cases/${caseId}/disclosures`, world.partnerB.headers);
      expect(log.body).toContain('homework.release');
      expect(log.body).toContain('released_by_author');
    });

    it('with review: release waits for the counselor approval', async () => {
      const caseId = await freshCase(api, world);
      const created = await assignOk(caseId, {
        exerciseRef: 'E03',
        recipients: [{ clientId: world.partnerB.clientId }],
        releaseRequiresReview: true,
        schedule: once,
      });
      const url = occurrenceUrl(caseId, created.occurrences[0].id);
      await send('POST', `${url}/submit`, world.partnerB.headers, { answers: sampleAnswers('E03') });
      const early = await send('POST', `${url}/release`, world.partnerB.headers);
      expect(early.statusCode).toBe(422);
      expect(early.json<Problem>().code).toBe('submission_awaiting_review');
      expect((await send('GET', url, world.partnerA.headers)).statusCode).toBe(404);
      // Only the care team reviews (a participant: 403; the supervisor reads but does not review: 403).
      expect((await send('POST', `${url}/review`, world.partnerB.headers)).statusCode).toBe(403);
      expect((await send('POST', `${url}/review`, world.supervisor.headers)).statusCode).toBe(403);
      expect((await send('POST', `${url}/review`, world.counselor.headers)).statusCode).toBe(200);
      expect((await send('POST', `${url}/review`, world.counselor.headers)).statusCode).toBe(409);
      expect((await send('POST', `${url}/release`, world.partnerB.headers)).statusCode).toBe(200);
      expect((await send('GET', url, world.partnerA.headers)).statusCode).toBe(200);
    });

    it('refuses a review flag on anything but a release assignment', async () => {
      const caseId = await freshCase(api, world);
      const response = await assign(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        releaseRequiresReview: true,
        schedule: once,
      });
      expect(response.statusCode).toBe(422);
    });
  });

  describe('partner B can never see partner A’s private or clinician work', () => {
    it('is absent or 404 on every homework route, in counts, the timeline, the disclosure log and errors', async () => {
      const caseId = await freshCase(api, world);
      const privateOne = await assignOk(caseId, {
        exerciseRef: 'E26',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const clinicianOne = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      expect(privateOne.visibility).toBe('private');
      expect(clinicianOne.visibility).toBe('clinician');
      const privateOccurrence = privateOne.occurrences[0].id;
      const clinicianOccurrence = clinicianOne.occurrences[0].id;
      // A drafts one and submits the other.
      const draft = await send('PUT', occurrenceUrl(caseId, privateOccurrence, '/draft'), world.partnerA.headers, {
        version: 0,
        answers: sampleAnswers('E26'),
      });
      expect(draft.statusCode).toBe(200);
      expect(
        (
          await send('POST', occurrenceUrl(caseId, clinicianOccurrence, '/submit'), world.partnerA.headers, {
            answers: sampleAnswers('E01'),
          })
        ).statusCode,
      ).toBe(200);
      await send('POST', occurrenceUrl(caseId, privateOccurrence, '/submit'), world.partnerA.headers, {});

      const hidden = [privateOne.id, clinicianOne.id, privateOccurrence, clinicianOccurrence];
      const b = world.partnerB.headers;
      const expectHidden = (body: string) => {
        for (const id of hidden) expect(body).not.toContain(id);
        expect(body).not.toContain('Synthetic answer');
      };
      const list = await send('GET', `/api/v1/cases/${caseId}/assignments`, b);
      expect(list.statusCode).toBe(200);
      expect(list.json<{ assignments: unknown[] }>().assignments).toHaveLength(0);
      expectHidden(list.body);
      const unknown = newId();
      // A refusal names only what the caller sent (its own URL); otherwise it is the answer for a missing id.
      const sameAsMissing = (body: string, missing: string) => {
        const strip = (text: string) => {
          const {
            instance: _instance,
            correlationId: _correlationId,
            ...rest
          } = JSON.parse(text) as Record<string, unknown>;
          return rest;
        };
        expect(strip(body)).toEqual(strip(missing));
      };
      for (const assignment of [privateOne, clinicianOne]) {
        const response = await send('GET', `/api/v1/cases/${caseId}/assignments/${assignment.id}`, b);
        const missing = await send('GET', `/api/v1/cases/${caseId}/assignments/${unknown}`, b);
        expect(response.statusCode).toBe(404);
        sameAsMissing(response.body, missing.body);
        expect((await send('POST', `/api/v1/cases/${caseId}/assignments/${assignment.id}/cancel`, b)).statusCode).toBe(
          403,
        );
      }
      for (const occurrenceId of [privateOccurrence, clinicianOccurrence]) {
        const attempts: [string, 'GET' | 'POST' | 'PUT', string, unknown?][] = [
          ['read', 'GET', ''],
          ['draft', 'PUT', '/draft', { version: 0, answers: {} }],
          ['submit', 'POST', '/submit', {}],
          ['release', 'POST', '/release'],
        ];
        for (const [, method, rest, body] of attempts) {
          const response = await send(method, occurrenceUrl(caseId, occurrenceId, rest), b, body);
          const missing = await send(method, occurrenceUrl(caseId, unknown, rest), b, body);
          // Exactly the answer for an id that does not exist.
          expect(response.statusCode).toBe(404);
          sameAsMissing(response.body, missing.body);
        }
        for (const rest of ['/review', '/feedback']) {
          const response = await send('POST', occurrenceUrl(caseId, occurrenceId, rest), b, {});
          const missing = await send('POST', occurrenceUrl(caseId, unknown, rest), b, {});
          expect(response.statusCode).toBe(missing.statusCode);
          sameAsMissing(response.body, missing.body);
        }
      }
      const mine = await send('GET', '/api/v1/me/assignments', b);
      expect(mine.statusCode).toBe(200);
      expectHidden(mine.body);
      const timeline = await send('GET', `/api/v1/cases/${caseId}/timeline`, b);
      expect(timeline.statusCode).toBe(200);
      expect(
        timeline.json<{ entries: { kind: string }[] }>().entries.filter((e) => e.kind.startsWith('homework')),
      ).toEqual([]);
      expectHidden(timeline.body);
      const disclosures = await send('GET', `/api/v1/cases/${caseId}/disclosures`, b);
      expectHidden(disclosures.body);

      // The care team sees both; a private item's answers stay the author's alone.
      const counselorPrivate = await send('GET', occurrenceUrl(caseId, privateOccurrence), world.counselor.headers);
      expect(counselorPrivate.json<Detail>().status).toBe('completed');
      expect(counselorPrivate.json<Detail>().answers).toBeNull();
      const counselorClinician = await send('GET', occurrenceUrl(caseId, clinicianOccurrence), world.counselor.headers);
      expect(counselorClinician.json<Detail>().answers).not.toBeNull();
      // A sees their own.
      const own = await send('GET', occurrenceUrl(caseId, privateOccurrence), world.partnerA.headers);
      expect(own.json<Detail>().answers).not.toBeNull();
    });
  });

  describe('bad input', () => {
    let caseId: string;
    beforeAll(async () => {
      caseId = await freshCase(api, world);
    });

    it('answers that violate the schema: 422 naming each bad field; oversize text names the limit', async () => {
      const created = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const url = occurrenceUrl(caseId, created.occurrences[0].id);
      const text = textField('E01');
      const bad = await send('POST', `${url}/submit`, world.partnerA.headers, {
        answers: { ...sampleAnswers('E01'), commitment_to_process: 11, [text.key]: 'x'.repeat(text.maxLength + 1) },
      });
      expect(bad.statusCode).toBe(422);
      const problem = bad.json<Problem>();
      expect(problem.code).toBe('submission_answers_invalid');
      const fields = problem.errors!.map((error) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['commitment_to_process', text.key]));
      const oversize = problem.errors!.find((error) => error.field === text.key)!;
      expect(oversize.rule).toBe('max-length');
      expect(oversize.message).toContain(String(text.maxLength));
      expect(bad.body).not.toContain('xxxxxxxxxx');
      // A draft is checked for types and lengths too, not for required fields.
      const draft = await send('PUT', `${url}/draft`, world.partnerA.headers, {
        version: 0,
        answers: { [text.key]: 'x'.repeat(text.maxLength + 1) },
      });
      expect(draft.statusCode).toBe(422);
      const partial = await send('PUT', `${url}/draft`, world.partnerA.headers, { version: 0, answers: {} });
      expect(partial.statusCode).toBe(200);
      // Submitting the (empty) draft: the required fields are named.
      const missing = await send('POST', `${url}/submit`, world.partnerA.headers, {});
      expect(missing.statusCode).toBe(422);
      expect(missing.json<Problem>().errors!.every((error) => error.rule === 'required')).toBe(true);
    });

    it('drafts: last write wins per version; a stale version (another tab) is 409 with the current one', async () => {
      const created = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const url = occurrenceUrl(caseId, created.occurrences[0].id);
      const first = await send('PUT', `${url}/draft`, world.partnerA.headers, {
        version: 0,
        answers: { story: 'one' },
      });
      expect(first.json<Detail>().submission?.draftVersion).toBe(1);
      expect(first.json<Detail>().status).toBe('in_progress');
      const second = await send('PUT', `${url}/draft`, world.partnerA.headers, {
        version: 1,
        answers: { story: 'two' },
      });
      expect(second.json<Detail>().submission?.draftVersion).toBe(2);
      const staleTab = await send('PUT', `${url}/draft`, world.partnerA.headers, {
        version: 1,
        answers: { story: 'x' },
      });
      expect(staleTab.statusCode).toBe(409);
      expect(staleTab.json<Problem>().errors?.[0]).toMatchObject({ field: 'version', rule: 'stale' });
      expect(staleTab.json<Problem>().errors?.[0].message).toContain('2');
      expect((await send('GET', url, world.partnerA.headers)).json<Detail>().answers).toEqual({ story: 'two' });
      // The counselor does not read drafts.
      expect((await send('GET', url, world.counselor.headers)).json<Detail>().answers).toBeNull();
      // The care team does not write a participant's answers.
      expect((await send('PUT', `${url}/draft`, world.counselor.headers, { version: 2, answers: {} })).statusCode).toBe(
        403,
      );
    });

    it('submitting twice is 409; the answers stay', async () => {
      const created = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const url = occurrenceUrl(caseId, created.occurrences[0].id);
      const answers = sampleAnswers('E01');
      expect((await send('POST', `${url}/submit`, world.partnerA.headers, { answers })).statusCode).toBe(200);
      const again = await send('POST', `${url}/submit`, world.partnerA.headers, { answers: { story: 'changed' } });
      expect(again.statusCode).toBe(409);
      expect(again.json<Problem>().code).toBe('submission_already_submitted');
      const draftAfter = await send('PUT', `${url}/draft`, world.partnerA.headers, { version: 1, answers: {} });
      expect(draftAfter.statusCode).toBe(409);
      expect((await send('GET', url, world.partnerA.headers)).json<Detail>().answers).toEqual(answers);
    });

    it('first writes at the same time (an autosave racing a submit or another tab) answer 409, never 500', async () => {
      for (let round = 0; round < 3; round += 1) {
        const created = await assignOk(caseId, {
          exerciseRef: 'E01',
          recipients: [{ clientId: world.partnerA.clientId }],
          schedule: once,
        });
        const url = occurrenceUrl(caseId, created.occurrences[0].id);
        const answers = sampleAnswers('E01');
        const results = await Promise.all([
          send('PUT', `${url}/draft`, world.partnerA.headers, { version: 0, answers: { story: 'tab one' } }),
          send('PUT', `${url}/draft`, world.partnerA.headers, { version: 0, answers: { story: 'tab two' } }),
          send('POST', `${url}/submit`, world.partnerA.headers, { answers }),
        ]);
        const statuses = results.map((result) => result.statusCode);
        expect(statuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);
        expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
      }
    });

    it('a submit of the stored draft racing a save from another tab never submits the older answers', async () => {
      const older = sampleAnswers('E01');
      const newer = { ...older, story: 'changed in another tab' };
      // Safe by design: both lock the occurrence first, and the submit reads the draft's answers after its lock.
      for (let round = 0; round < 12; round += 1) {
        const created = await assignOk(caseId, {
          exerciseRef: 'E01',
          recipients: [{ clientId: world.partnerA.clientId }],
          schedule: once,
        });
        const url = occurrenceUrl(caseId, created.occurrences[0].id);
        const first = await send('PUT', `${url}/draft`, world.partnerA.headers, { version: 0, answers: older });
        expect(first.statusCode).toBe(200);
        // The submit carries no answers: it submits the draft it reads.
        const [submitted, saved] = await Promise.all([
          send('POST', `${url}/submit`, world.partnerA.headers, {}),
          // The save leaves 0–5 ms after the submit, sweeping the window between the submit's read and its write.
          new Promise((resolve) => setTimeout(resolve, round % 6)).then(() =>
            send('PUT', `${url}/draft`, world.partnerA.headers, { version: 1, answers: newer }),
          ),
        ]);
        expect([submitted.statusCode, saved.statusCode].filter((status) => status !== 200 && status !== 409)).toEqual(
          [],
        );
        const stored = (await send('GET', url, world.partnerA.headers)).json<Detail>();
        // A save that was kept (200) is what is stored, submitted or not: the submit never wrote the older draft over it.
        expect(stored.answers).toEqual(saved.statusCode === 200 ? newer : older);
        expect(stored.status).toBe(submitted.statusCode === 200 ? 'completed' : 'in_progress');
      }
    });

    it('drafts saved at once from one version: one is kept (200), the others are stale (409), never a silent overwrite', async () => {
      const created = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const url = occurrenceUrl(caseId, created.occurrences[0].id);
      const first = await send('PUT', `${url}/draft`, world.partnerA.headers, {
        version: 0,
        answers: { story: 'one' },
      });
      expect(first.json<Detail>().submission?.draftVersion).toBe(1);
      // Four tabs that all loaded version 1 save at once.
      const saves = await Promise.all(
        Array.from({ length: 4 }, (_, index) =>
          send('PUT', `${url}/draft`, world.partnerA.headers, { version: 1, answers: { story: `tab ${index}` } }),
        ),
      );
      expect(saves.map((response) => response.statusCode).sort()).toEqual([200, 409, 409, 409]);
      for (const refused of saves.filter((response) => response.statusCode === 409))
        expect(refused.json<Problem>().errors?.[0]).toMatchObject({ field: 'version', rule: 'stale' });
      const kept = saves.find((response) => response.statusCode === 200)!.json<Detail>();
      expect(kept.submission?.draftVersion).toBe(2);
      const stored = (await send('GET', url, world.partnerA.headers)).json<Detail>();
      expect(stored.submission?.draftVersion).toBe(2);
      expect(stored.answers).toEqual(kept.answers);
    });

    it('submits sent at once over a saved draft: one is taken (200), the others are already submitted (409)', async () => {
      const created = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const url = occurrenceUrl(caseId, created.occurrences[0].id);
      expect(
        (await send('PUT', `${url}/draft`, world.partnerA.headers, { version: 0, answers: { story: 'draft' } }))
          .statusCode,
      ).toBe(200);
      const answers = sampleAnswers('E01');
      const submits = await Promise.all(
        Array.from({ length: 4 }, () => send('POST', `${url}/submit`, world.partnerA.headers, { answers })),
      );
      expect(submits.map((response) => response.statusCode).sort()).toEqual([200, 409, 409, 409]);
      for (const refused of submits.filter((response) => response.statusCode === 409))
        expect(refused.json<Problem>().code).toBe('submission_already_submitted');
    });

    it('a cancelled or not-yet-open occurrence is refused with the reason (422)', async () => {
      const later = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: { kind: 'once', opensOn: '2026-06-10', dueOn: '2026-06-12' },
      });
      const notOpen = await send(
        'POST',
        occurrenceUrl(caseId, later.occurrences[0].id, '/submit'),
        world.partnerA.headers,
        {
          answers: sampleAnswers('E01'),
        },
      );
      expect(notOpen.statusCode).toBe(422);
      expect(notOpen.json<Problem>()).toMatchObject({ code: 'occurrence_not_open' });
      expect(notOpen.json<Problem>().errors?.[0].message).toContain('2026-06-10');

      const created = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const cancelled = await send(
        'POST',
        `/api/v1/cases/${caseId}/assignments/${created.id}/cancel`,
        world.counselor.headers,
      );
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json<Assignment>().status).toBe('cancelled');
      expect(cancelled.json<Assignment>().occurrences[0].status).toBe('cancelled');
      const refused = await send(
        'POST',
        occurrenceUrl(caseId, created.occurrences[0].id, '/submit'),
        world.partnerA.headers,
        {
          answers: sampleAnswers('E01'),
        },
      );
      expect(refused.statusCode).toBe(422);
      expect(refused.json<Problem>().code).toBe('occurrence_cancelled');
      expect(
        (await send('POST', `/api/v1/cases/${caseId}/assignments/${created.id}/cancel`, world.counselor.headers))
          .statusCode,
      ).toBe(409);
    });

    it('unknown exercise versions are 404; a visibility the exercise does not allow is 422; non-participants 422', async () => {
      const unknownVersion = await assign(caseId, {
        exerciseRef: 'E05',
        exerciseVersion: 2,
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      expect(unknownVersion.statusCode).toBe(404);
      const unknownExercise = await assign(caseId, {
        exerciseRef: newId(),
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      expect(unknownExercise.statusCode).toBe(404);
      const wrongVisibility = await assign(caseId, {
        exerciseRef: 'E01',
        visibility: 'shared',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      expect(wrongVisibility.statusCode).toBe(422);
      expect(wrongVisibility.json<Problem>().code).toBe('assignment_visibility_not_allowed');
      const stranger = await assign(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: newId() }],
        schedule: once,
      });
      expect(stranger.statusCode).toBe(422);
      expect(stranger.json<Problem>().errors?.[0]).toMatchObject({ field: 'recipients[0].clientId' });
      const unbounded = await assign(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: { kind: 'recurring', frequency: 'daily', startsOn: '2026-06-04' },
      });
      expect(unbounded.statusCode).toBe(422);
    });
  });

  describe('paired exercise with parts (E05 question log)', () => {
    it('gives each partner their own part, one occurrence per partner per date, linked as a pair', async () => {
      const caseId = await freshCase(api, world);
      const missingPart = await assign(caseId, {
        exerciseRef: 'E05',
        recipients: [{ clientId: world.partnerA.clientId }, { clientId: world.partnerB.clientId }],
        schedule: once,
      });
      expect(missingPart.statusCode).toBe(422);
      const created = await assignOk(caseId, {
        exerciseRef: 'E05',
        recipients: [
          { clientId: world.partnerA.clientId, part: 'asker' },
          { clientId: world.partnerB.clientId, part: 'answerer' },
        ],
        schedule: { kind: 'recurring', frequency: 'weekly', weekdays: ['WE', 'SA'], startsOn: '2026-06-03', count: 4 },
      });
      expect(created.paired).toBe(true);
      expect(created.occurrences).toHaveLength(8);
      const dates = [...new Set(created.occurrences.map((o) => o.dueOn))];
      expect(dates).toEqual(['2026-06-03', '2026-06-06', '2026-06-10', '2026-06-13']);
      for (const date of dates) {
        const pair = created.occurrences.filter((o) => o.dueOn === date);
        expect(pair.map((o) => o.part).sort()).toEqual(['answerer', 'asker']);
        expect(new Set(pair.map((o) => o.pairId)).size).toBe(1);
      }
      // The answerer answers only their part: an asker field is refused.
      const first = created.occurrences.find((o) => o.part === 'answerer' && o.dueOn === '2026-06-03')!;
      const wrongPart = await send('POST', occurrenceUrl(caseId, first.id, '/submit'), world.partnerB.headers, {
        answers: { ...sampleAnswers('E05', 'answerer'), question: 'Synthetic question' },
      });
      expect(wrongPart.statusCode).toBe(422);
      expect(wrongPart.json<Problem>().errors?.[0]).toMatchObject({ field: 'question', rule: 'unknown-field' });
      const ok = await send('POST', occurrenceUrl(caseId, first.id, '/submit'), world.partnerB.headers, {
        answers: sampleAnswers('E05', 'answerer'),
      });
      expect(ok.statusCode).toBe(200);
      const detail = ok.json<Detail & { exerciseContent: { fields: { key: string }[] } }>();
      expect(detail.exerciseContent.fields.map((field) => field.key)).not.toContain('question');
    });
  });

  describe('gates', () => {
    it('the secrets policy gates private, clinician and release assignments to one partner; shared ones pass', async () => {
      const caseId = await freshCase(api, world, false);
      for (const exerciseRef of ['E26', 'E01', 'E03']) {
        const recipient = exerciseRef === 'E03' ? world.partnerB : world.partnerA;
        const refused = await assign(caseId, {
          exerciseRef,
          recipients: [{ clientId: recipient.clientId }],
          schedule: once,
        });
        expect(refused.statusCode).toBe(422);
        expect(refused.json<Problem>().code).toBe('secrets_policy_unsigned');
      }
      const shared = await assign(caseId, {
        exerciseRef: 'E07',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      expect(shared.statusCode).toBe(201);
    });

    it('a safety hold suspends shared and reveal items: not creatable, not listed or readable by participants', async () => {
      const caseId = await freshCase(api, world);
      const shared = await assignOk(caseId, {
        exerciseRef: 'E07',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const clinician = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const hold = await send('PUT', `/api/v1/cases/${caseId}/safety`, world.counselor.headers, {
        status: 'safety_hold',
        reason: 'Synthetic reason',
      });
      expect(hold.statusCode).toBe(200);
      const creating = await assign(caseId, {
        exerciseRef: 'E08',
        recipients: [{ clientId: world.partnerA.clientId }, { clientId: world.partnerB.clientId }],
        schedule: once,
      });
      expect(creating.statusCode).toBe(409);
      expect(creating.json<Problem>().code).toBe('assignment_suspended_by_safety_hold');
      const read = await send('GET', occurrenceUrl(caseId, shared.occurrences[0].id), world.partnerA.headers);
      expect(read.statusCode).toBe(409);
      expect(read.json<Problem>().code).toBe('shared_space_paused');
      const list = await send('GET', `/api/v1/cases/${caseId}/assignments`, world.partnerA.headers);
      expect(list.json<{ assignments: { id: string }[] }>().assignments.map((a) => a.id)).toEqual([clinician.id]);
      const mine = await send('GET', '/api/v1/me/assignments', world.partnerA.headers);
      expect(mine.body).not.toContain(shared.occurrences[0].id);
      expect(mine.body).toContain(clinician.occurrences[0].id);
      // The partner's view of A's shared item is suspended too; the care team continues.
      expect(
        (await send('GET', occurrenceUrl(caseId, shared.occurrences[0].id), world.partnerB.headers)).statusCode,
      ).toBe(409);
      expect(
        (await send('GET', occurrenceUrl(caseId, shared.occurrences[0].id), world.counselor.headers)).statusCode,
      ).toBe(200);
    });
  });

  describe('overdue from the client’s local day (fake clock)', () => {
    it('is shown once the local day has passed, and recorded by the overdue scan with a dated transition', async () => {
      const caseId = await freshCase(api, world);
      const created = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: { kind: 'once', dueOn: '2026-06-03' },
      });
      const url = `/api/v1/cases/${caseId}/assignments/${created.id}`;
      const unitOfWork = api.app.get(UnitOfWork);
      // 23:30 UTC on the 3rd is 00:30 on the 4th in London (BST): overdue there, though still the 3rd in UTC.
      const beforeMidnight = new Date('2026-06-03T22:30:00Z');
      const afterMidnight = new Date('2026-06-03T23:30:00Z');
      api.clock.set(beforeMidnight);
      // Access tokens are short-lived: sign in again at the new time.
      const counselor = bearer((await signIn(api, world.counselor.member)).accessToken);
      expect((await send('GET', url, counselor)).json<Assignment>().occurrences[0].status).toBe('assigned');
      // The client's "today" (its JSON written by PostgreSQL) judges the day in the same time zone.
      const todayStatus = async (): Promise<string | undefined> => {
        const client = bearer((await signIn(api, world.partnerA.member)).accessToken);
        const today = await send('GET', '/api/v1/me/assignments', client);
        expect(today.statusCode).toBe(200);
        expect(today.headers['content-type']).toBe('application/json; charset=utf-8');
        return today
          .json<{ occurrences: { id: string; status: string }[] }>()
          .occurrences.find((o) => o.id === created.occurrences[0].id)?.status;
      };
      expect(await todayStatus()).toBe('assigned');
      expect(await unitOfWork.run(world.clinicId, (tx) => markOverdueOccurrences(tx, beforeMidnight))).toBe(0);
      api.clock.set(afterMidnight);
      const counselorLater = bearer((await signIn(api, world.counselor.member)).accessToken);
      expect((await send('GET', url, counselorLater)).json<Assignment>().occurrences[0].status).toBe('overdue');
      expect(await todayStatus()).toBe('overdue');
      expect(
        await unitOfWork.run(world.clinicId, (tx) => markOverdueOccurrences(tx, afterMidnight)),
      ).toBeGreaterThanOrEqual(1);
      const changes = await unitOfWork.run(world.clinicId, (tx) =>
        tx.query<{ from_status: string; to_status: string; changed_at: Date; changed_by_membership_id: string | null }>(
          `select from_status, to_status, changed_at, changed_by_membership_id from assignment_status_changes
            where occurrence_id = $1 order by changed_at`,
          [created.occurrences[0].id],
        ),
      );
      expect(changes.map((change) => `${change.from_status}->${change.to_status}`)).toEqual([
        'null->assigned',
        'assigned->overdue',
      ]);
      expect(changes[1].changed_at.toISOString()).toBe(afterMidnight.toISOString());
      expect(changes[1].changed_by_membership_id).toBeNull();
      // Idempotent.
      expect(await unitOfWork.run(world.clinicId, (tx) => markOverdueOccurrences(tx, afterMidnight))).toBe(0);
      // Submitting late completes it.
      const partnerA = bearer((await signIn(api, world.partnerA.member)).accessToken);
      const late = await send('POST', occurrenceUrl(caseId, created.occurrences[0].id, '/submit'), partnerA, {
        answers: sampleAnswers('E01'),
      });
      expect(late.statusCode).toBe(200);
      expect(late.json<Detail>().status).toBe('completed');
    });
  });

  describe('feedback and "today"', () => {
    it('records counselor feedback (author and care team see it) and lists the client’s open work with drafts', async () => {
      const caseId = await freshCase(api, world);
      const created = await assignOk(caseId, {
        exerciseRef: 'E01',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: { kind: 'recurring', frequency: 'daily', startsOn: '2026-06-03', count: 3 },
      });
      const [today] = created.occurrences;
      const untouched = await send('GET', '/api/v1/me/assignments', world.partnerA.headers);
      expect(
        untouched
          .json<{ occurrences: { id: string; draftVersion: number | null; draftSavedAt: string | null }[] }>()
          .occurrences.find((o) => o.id === today.id),
      ).toMatchObject({ draftVersion: null, draftSavedAt: null });
      const saved = await send('PUT', occurrenceUrl(caseId, today.id, '/draft'), world.partnerA.headers, {
        version: 0,
        answers: {},
      });
      expect(saved.statusCode).toBe(200);
      const mine = await send('GET', '/api/v1/me/assignments', world.partnerA.headers);
      const items = mine.json<{
        occurrences: { id: string; draftVersion: number | null; draftSavedAt: string | null }[];
      }>().occurrences;
      const listed = items.map((o) => o.id);
      expect(listed).toContain(today.id);
      expect(listed).not.toContain(created.occurrences[1].id);
      // The draft to resume: its version and when it was saved, as an ISO 8601 instant.
      const withDraft = items.find((o) => o.id === today.id)!;
      expect(withDraft.draftVersion).toBe(1);
      expect(withDraft.draftSavedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(withDraft.draftSavedAt).toBe(saved.json<{ submission: { updatedAt: string } }>().submission.updatedAt);
      expect((await send('GET', '/api/v1/me/assignments', world.counselor.headers)).statusCode).toBe(403);
      const url = occurrenceUrl(caseId, today.id);
      expect(
        (await send('POST', `${url}/feedback`, world.counselor.headers, { note: 'Synthetic note' })).statusCode,
      ).toBe(422);
      await send('POST', `${url}/submit`, world.partnerA.headers, { answers: sampleAnswers('E01') });
      const feedback = await send('POST', `${url}/feedback`, world.counselor.headers, {
        note: 'Synthetic feedback note',
      });
      expect(feedback.statusCode).toBe(201);
      const authorView = await send('GET', url, world.partnerA.headers);
      expect(authorView.json<Detail>().feedback).toHaveLength(1);
      // Stored encrypted.
      const stored = await api.app
        .get(UnitOfWork)
        .run(world.clinicId, (tx) =>
          tx.query<{ answers: string }>('select answers from submissions where occurrence_id = $1', [today.id]),
        );
      expect(stored[0].answers).not.toContain('Synthetic');
    });
  });
});
