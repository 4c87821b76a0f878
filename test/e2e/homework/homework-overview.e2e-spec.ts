import { bearer, signIn, startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { freshCase, sampleAnswers, sender, type Send } from './support/homework-fixtures.js';

/**
 * The counselor's homework overview on a fixed scenario with a frozen clock. The
 * partners live in London (BST in this period, UTC+1). "Now" is Wednesday
 * 2026-06-10 13:00 London; with `weeks=3` the window is the ISO weeks 2026-W22
 * (25–31 May), W23 (1–7 June) and W24 (8–14 June).
 */
const NOW = new Date('2026-06-10T12:00:00Z');

interface Item {
  occurrenceId: string;
  assignmentId: string;
  exercise: { ref: string };
  visibility: string;
  dueOn: string;
  status: string;
  submittedAt: string | null;
  onTime: boolean | null;
  answersVisible: boolean;
  reviewReasons: string[];
}
interface Week {
  week: string;
  startsOn: string;
  endsOn: string;
  due: number;
  settled: number;
  completed: number;
  onTime: number;
  completionRate: number | null;
  onTimeRate: number | null;
}
interface ParticipantOverview {
  clientId: string;
  role: string | null;
  today: string;
  counts: Record<string, number>;
  due: Item[];
  overdue: Item[];
  submitted: Item[];
  awaitingReview: Item[];
  weeks: Week[];
  window: Omit<Week, 'week'>;
}
interface Overview {
  caseId: string;
  weeks: number;
  participants: ParticipantOverview[];
}
interface Created {
  id: string;
  occurrences: { id: string; clientId: string; dueOn: string }[];
}

describe('homework overview: due, overdue, submitted, awaiting review, weekly rates (e2e, frozen clock)', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  let send: Send;
  let caseId: string;
  const ids: Record<string, string> = {};
  let headers: { counselor: Record<string, string>; a: Record<string, string>; b: Record<string, string> };

  /** Moves the clock and signs everyone in again (access tokens are short-lived). */
  async function at(instant: string): Promise<void> {
    api.clock.set(new Date(instant));
    headers = {
      counselor: bearer((await signIn(api, world.counselor.member)).accessToken),
      a: bearer((await signIn(api, world.partnerA.member)).accessToken),
      b: bearer((await signIn(api, world.partnerB.member)).accessToken),
    };
  }
  async function ok<T>(method: 'GET' | 'POST' | 'PUT', url: string, who: Record<string, string>, body?: unknown) {
    const response = await send(method, url, who, body);
    if (response.statusCode >= 300)
      throw new Error(`${method} ${url} answered ${response.statusCode} ${response.body}`);
    return response.json<T>();
  }
  const assign = (body: Record<string, unknown>) =>
    ok<Created>('POST', `/api/v1/cases/${caseId}/assignments`, headers.counselor, body);
  const occ = (id: string, rest = '') => `/api/v1/cases/${caseId}/occurrences/${id}${rest}`;
  const overviewUrl = () => `/api/v1/cases/${caseId}/homework/overview?weeks=3`;

  beforeAll(async () => {
    api = await startIdentityApp();
    api.clock.set(new Date('2026-05-25T07:00:00Z'));
    world = await createCaseWorld(api);
    send = sender(api);
    caseId = await freshCase(api, world);
    // Monday 25 May, 08:00 London.
    await at('2026-05-25T07:00:00Z');
    const a = world.partnerA.clientId;
    const b = world.partnerB.clientId;
    // 1. A shared check-in for partner A, Mondays and Thursdays: 25, 28 May, 1, 4, 8, 11 June.
    const weekly = await assign({
      exerciseRef: 'E07',
      recipients: [{ clientId: a }],
      schedule: {
        kind: 'recurring',
        frequency: 'weekly',
        weekdays: ['MO', 'TH'],
        startsOn: '2026-05-25',
        until: '2026-06-11',
      },
    });
    for (const occurrence of weekly.occurrences) ids[`weekly:${occurrence.dueOn}`] = occurrence.id;
    // 2. A private exercise for partner B, due 12 June (a draft only). 3. Another, due 3 June (submitted).
    const privateLater = await assign({
      exerciseRef: 'E29',
      recipients: [{ clientId: b }],
      schedule: { kind: 'once', dueOn: '2026-06-12' },
    });
    ids.privateLater = privateLater.occurrences[0].id;
    const privateDone = await assign({
      exerciseRef: 'E29',
      recipients: [{ clientId: b }],
      schedule: { kind: 'once', dueOn: '2026-06-03' },
    });
    ids.privateDone = privateDone.occurrences[0].id;
    // 4. The question log, paired, released only after review, due 9 June.
    const log = await assign({
      exerciseRef: 'E05',
      recipients: [
        { clientId: a, part: 'asker' },
        { clientId: b, part: 'answerer' },
      ],
      visibility: 'release',
      releaseRequiresReview: true,
      schedule: { kind: 'once', dueOn: '2026-06-09' },
    });
    ids.logA = log.occurrences.find((o) => o.clientId === a)!.id;
    ids.logB = log.occurrences.find((o) => o.clientId === b)!.id;
    // 5. Cancelled: counts nowhere.
    const cancelled = await assign({
      exerciseRef: 'E07',
      recipients: [{ clientId: a }],
      schedule: { kind: 'once', dueOn: '2026-06-12' },
    });
    ids.cancelled = cancelled.occurrences[0].id;
    await ok('POST', `/api/v1/cases/${caseId}/assignments/${cancelled.id}/cancel`, headers.counselor);

    const e07 = { answers: sampleAnswers('E07') };
    // 25 May 21:00 London: on time.
    await at('2026-05-25T20:00:00Z');
    await ok('POST', occ(ids['weekly:2026-05-25'], '/submit'), headers.a, e07);
    // 28 May 23:30 UTC is 00:30 on the 29th in London: LATE, although still the 28th in UTC.
    await at('2026-05-28T23:30:00Z');
    await ok('POST', occ(ids['weekly:2026-05-28'], '/submit'), headers.a, e07);
    // 1 June: never submitted (overdue). B submits the private exercise due 3 June, on time.
    await at('2026-06-02T09:00:00Z');
    await ok('POST', occ(ids.privateDone, '/submit'), headers.b, { answers: sampleAnswers('E29') });
    await at('2026-06-04T10:00:00Z');
    await ok('POST', occ(ids['weekly:2026-06-04'], '/submit'), headers.a, e07);
    // 8 June: on time, and the counselor gives feedback on it (no longer awaiting review).
    await at('2026-06-08T09:00:00Z');
    await ok('POST', occ(ids['weekly:2026-06-08'], '/submit'), headers.a, e07);
    await ok('POST', occ(ids['weekly:2026-06-08'], '/feedback'), headers.counselor, { note: 'Synthetic feedback' });
    // 9 June: both halves of the question log; the counselor approves B's release.
    await at('2026-06-09T10:00:00Z');
    await ok('POST', occ(ids.logA, '/submit'), headers.a, { answers: sampleAnswers('E05', 'asker') });
    await ok('POST', occ(ids.logB, '/submit'), headers.b, { answers: sampleAnswers('E05', 'answerer') });
    await ok('POST', occ(ids.logB, '/review'), headers.counselor);
    // B starts the later private exercise (a draft: the care team must not learn of it).
    await ok('PUT', occ(ids.privateLater, '/draft'), headers.b, { version: 0, answers: {} });
    await at(NOW.toISOString());
  }, 120_000);
  afterAll(() => api.close());

  const overview = async (): Promise<Overview> => ok<Overview>('GET', overviewUrl(), headers.counselor);
  const of = (view: Overview, clientId: string) => view.participants.find((p) => p.clientId === clientId)!;
  const idsOf = (items: Item[]) => items.map((item) => item.occurrenceId);

  it("lists partner A's due, overdue, submitted and awaiting-review work with the exact weekly rates", async () => {
    const view = await overview();
    expect(view.weeks).toBe(3);
    expect(view.participants.map((p) => [p.clientId, p.role])).toEqual([
      [world.partnerA.clientId, 'harmed'],
      [world.partnerB.clientId, 'harming'],
    ]);
    const a = of(view, world.partnerA.clientId);
    expect(a.today).toBe('2026-06-10');
    expect(a.counts).toEqual({ due: 0, overdue: 1, upcoming: 1, submitted: 5, awaitingReview: 4 });
    expect(idsOf(a.overdue)).toEqual([ids['weekly:2026-06-01']]);
    expect(a.overdue[0].status).toBe('overdue');
    expect(idsOf(a.submitted)).toEqual([
      ids['weekly:2026-05-25'],
      ids['weekly:2026-05-28'],
      ids['weekly:2026-06-04'],
      ids['weekly:2026-06-08'],
      ids.logA,
    ]);
    expect(a.submitted.map((item) => item.onTime)).toEqual([true, false, true, true, true]);
    expect(a.awaitingReview.map((item) => [item.occurrenceId, item.reviewReasons])).toEqual([
      [ids['weekly:2026-05-25'], ['feedback']],
      [ids['weekly:2026-05-28'], ['feedback']],
      [ids['weekly:2026-06-04'], ['feedback']],
      [ids.logA, ['release_approval', 'feedback']],
    ]);
    expect(a.weeks).toEqual([
      {
        week: '2026-W22',
        startsOn: '2026-05-25',
        endsOn: '2026-05-31',
        due: 2,
        settled: 2,
        completed: 2,
        onTime: 1,
        completionRate: 1,
        onTimeRate: 0.5,
      },
      {
        week: '2026-W23',
        startsOn: '2026-06-01',
        endsOn: '2026-06-07',
        due: 2,
        settled: 2,
        completed: 1,
        onTime: 1,
        completionRate: 0.5,
        onTimeRate: 0.5,
      },
      // 11 June is not settled yet (due later this week): not counted against anyone.
      {
        week: '2026-W24',
        startsOn: '2026-06-08',
        endsOn: '2026-06-14',
        due: 3,
        settled: 2,
        completed: 2,
        onTime: 2,
        completionRate: 1,
        onTimeRate: 1,
      },
    ]);
    expect(a.window).toEqual({
      startsOn: '2026-05-25',
      endsOn: '2026-06-14',
      due: 7,
      settled: 6,
      completed: 5,
      onTime: 4,
      completionRate: 0.8333,
      onTimeRate: 0.6667,
    });
    // The cancelled occurrence counts nowhere.
    expect(JSON.stringify(view)).not.toContain(ids.cancelled);
  });

  it("shows of partner B's private work only whether it was done", async () => {
    const b = of(await overview(), world.partnerB.clientId);
    expect(b.counts).toEqual({ due: 1, overdue: 0, upcoming: 0, submitted: 2, awaitingReview: 1 });
    // A draft exists, but the care team sees the private item as merely assigned.
    expect(b.due.map((item) => [item.occurrenceId, item.status, item.visibility])).toEqual([
      [ids.privateLater, 'assigned', 'private'],
    ]);
    expect(b.submitted.map((item) => [item.occurrenceId, item.answersVisible, item.onTime])).toEqual([
      [ids.privateDone, false, true],
      [ids.logB, true, true],
    ]);
    // Approved for release, still no feedback; the private submission is never awaiting review.
    expect(b.awaitingReview.map((item) => [item.occurrenceId, item.reviewReasons])).toEqual([[ids.logB, ['feedback']]]);
    expect(b.weeks.map((week) => [week.week, week.due, week.settled, week.completionRate, week.onTimeRate])).toEqual([
      ['2026-W22', 0, 0, null, null],
      ['2026-W23', 1, 1, 1, 1],
      ['2026-W24', 2, 1, 1, 1],
    ]);
  });

  interface CaseloadItem {
    id: string;
    view: string;
    homework?: {
      due: number;
      overdue: number;
      awaitingReview: number;
      nextDue: { occurrenceId: string; clientId: string; dueOn: string; exerciseTitle: string } | null;
    };
  }
  const caseload = async (who: Record<string, string>, query = 'include=homework&limit=100') =>
    (await ok<{ items: CaseloadItem[] }>('GET', `/api/v1/cases?${query}`, who)).items;

  it("adds each care-team case's homework to the caseload on request: the overview's counts summed, and the next item due", async () => {
    const view = await overview();
    const sum = (key: 'due' | 'overdue' | 'awaitingReview') =>
      view.participants.reduce((total, participant) => total + participant.counts[key], 0);
    const items = await caseload(headers.counselor);
    const item = items.find((candidate) => candidate.id === caseId)!;
    expect(item.view).toBe('care_team');
    // A: overdue 1, awaiting review 4; B: due 1 (the private draft shows as merely assigned), awaiting review 1.
    expect(item.homework).toEqual({
      due: 1,
      overdue: 1,
      awaitingReview: 5,
      // 11 June (A's Thursday check-in, not open yet) comes before B's private item due 12 June.
      nextDue: {
        occurrenceId: ids['weekly:2026-06-11'],
        clientId: world.partnerA.clientId,
        dueOn: '2026-06-11',
        exerciseTitle: expect.any(String) as string,
      },
    });
    expect([item.homework!.due, item.homework!.overdue, item.homework!.awaitingReview]).toEqual([
      sum('due'),
      sum('overdue'),
      sum('awaitingReview'),
    ]);
    // Without the include, or for anyone who does not see the case as care team, there is no homework at all.
    const plain = await caseload(headers.counselor, 'limit=100');
    expect(plain.find((candidate) => candidate.id === caseId)).not.toHaveProperty('homework');
    for (const partner of [headers.a, headers.b]) {
      const own = (await caseload(partner)).find((candidate) => candidate.id === caseId)!;
      expect(own.view).toBe('participant');
      expect(own).not.toHaveProperty('homework');
    }
    const admin = bearer((await signIn(api, world.admin.member)).accessToken);
    const directory = (await caseload(admin)).find((candidate) => candidate.id === caseId)!;
    expect(directory.view).toBe('directory');
    expect(directory).not.toHaveProperty('homework');
    // Local days: at 23:30 UTC on 10 June it is already 11 June in London, so the 11th is due, not upcoming.
    await at('2026-06-10T23:30:00Z');
    const later = (await caseload(headers.counselor)).find((candidate) => candidate.id === caseId)!;
    expect(later.homework).toMatchObject({ due: 2, overdue: 1, awaitingReview: 5 });
    await at(NOW.toISOString());
  });

  it('refuses an include it does not know, naming the field', async () => {
    const response = await send('GET', '/api/v1/cases?include=answers', headers.counselor);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toContain('include');
  });

  it('clears awaiting review with feedback, and the default window is 8 weeks', async () => {
    await ok('POST', occ(ids.logB, '/feedback'), headers.counselor, { note: 'Synthetic feedback' });
    const view = await ok<Overview>('GET', `/api/v1/cases/${caseId}/homework/overview`, headers.counselor);
    expect(view.weeks).toBe(8);
    const b = of(view, world.partnerB.clientId);
    expect(b.awaitingReview).toEqual([]);
    expect(b.weeks).toHaveLength(8);
    expect(b.weeks[0].week).toBe('2026-W17');
  });

  it('is the care team’s: a supervisor reads it; partners and the clinic admin get 404; bad weeks 400', async () => {
    const supervisor = bearer((await signIn(api, world.supervisor.member)).accessToken);
    expect((await send('GET', overviewUrl(), supervisor)).statusCode).toBe(200);
    expect((await send('GET', overviewUrl(), headers.a)).statusCode).toBe(404);
    expect((await send('GET', overviewUrl(), headers.b)).statusCode).toBe(404);
    const admin = bearer((await signIn(api, world.admin.member)).accessToken);
    expect((await send('GET', overviewUrl(), admin)).statusCode).toBe(404);
    const other = bearer((await signIn(api, world.otherCounselor.member)).accessToken);
    expect((await send('GET', overviewUrl(), other)).statusCode).toBe(404);
    const bad = await send('GET', `/api/v1/cases/${caseId}/homework/overview?weeks=27`, headers.counselor);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('weeks');
  });

  it('reads in a bounded number of queries whatever the amount of homework (no N+1)', async () => {
    const { UnitOfWork } = await import('@mend/core');
    const unitOfWork = api.app.get(UnitOfWork);
    const { homeworkOverview } = await import('@mend/homework');
    const { AccessResourceLoader, caseViewerOf } = await import('@mend/access');
    const count = await unitOfWork.run(world.clinicId, async (tx) => {
      const loader = new AccessResourceLoader();
      const principal = await loader.memberPrincipal(tx, world.counselor.member.membershipId);
      const resource = await loader.case(tx, caseId);
      const viewer = caseViewerOf(principal!, resource!);
      let queries = 0;
      const counted = new Proxy(tx, {
        get(target, property, receiver) {
          if (property === 'query')
            return (...args: Parameters<typeof tx.query>) => {
              if (!/audit/i.test(typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]))) queries += 1;
              return target.query(...args);
            };
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
      await homeworkOverview(counted, viewer, NOW, 3);
      return queries;
    });
    // The occurrences and the participants' timezones (the audit row aside).
    expect(count).toBe(2);
  });
});
