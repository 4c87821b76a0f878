import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '@mend/core';
import { DisclosureLog } from '@mend/repair-plans';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { addBoundary, addCommitment } from './support/plan-items.js';

/** 2026-06-03 23:30 UTC: already 2026-06-04 in London (the partners' timezone, BST). */
const NOW = new Date('2026-06-03T23:30:00Z');

describe('trust ledger, boundary events and disclosures (e2e)', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  let base: string;

  const send = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  const checkIn = (headers: Record<string, string>, body: Record<string, unknown>) =>
    send('POST', `${base}/ledger/check-ins`, headers, body);

  beforeAll(async () => {
    api = await startIdentityApp();
    api.clock.set(NOW);
    world = await createCaseWorld(api);
    base = `/api/v1/cases/${world.caseId}`;
  });
  afterAll(() => api.close());

  describe('summary for a fixed scenario (frozen clock)', () => {
    let c1 = '';
    let c2 = '';
    beforeAll(async () => {
      c1 = await addCommitment(api, world, [world.partnerB.clientId]);
      c2 = await addCommitment(api, world, [world.partnerA.clientId]);
    });

    it('counts per commitment, participant and ISO week, with runs, corrections and disputes', async () => {
      const b = world.partnerB.headers;
      const a = world.partnerA.headers;
      const ids: Record<string, string> = {};
      // Partner B's commitment c1, recorded out of order on purpose (the 19th last).
      const plan: [string, string][] = [
        ['2026-05-18', 'kept'],
        ['2026-05-20', 'missed'],
        ['2026-05-21', 'kept'],
        ['2026-05-22', 'kept'],
        ['2026-05-23', 'kept'],
        ['2026-05-26', 'partly_kept'],
        ['2026-05-28', 'missed'],
        ['2026-06-01', 'kept'],
        ['2026-06-02', 'kept'],
        ['2026-06-03', 'partly_kept'],
        ['2026-05-19', 'kept'],
      ];
      for (const [occurredOn, status] of plan) {
        const response = await checkIn(b, { commitmentId: c1, status, occurredOn });
        expect(response.statusCode).toBe(201);
        ids[occurredOn] = response.json<{ id: string }>().id;
      }
      // The 26th corrected to kept: K K M K K K K M K K P → longest 4, current 0.
      const corrected = await checkIn(b, {
        commitmentId: c1,
        status: 'kept',
        occurredOn: '2026-05-26',
        correctsCheckInId: ids['2026-05-26'],
        note: 'Synthetic: I did finish it that evening',
      });
      expect(corrected.statusCode).toBe(201);
      // Partner A disputes the 28th.
      const disputed = await send('POST', `${base}/ledger/check-ins/${ids['2026-05-28']}/responses`, a, {
        response: 'disputed',
        note: 'Synthetic dispute note',
      });
      expect(disputed.statusCode).toBe(201);
      // Partner A's commitment c2, with an empty week between.
      for (const [occurredOn, status] of [
        ['2026-05-20', 'missed'],
        ['2026-06-01', 'kept'],
        ['2026-06-03', 'kept'],
      ]) {
        expect((await checkIn(a, { commitmentId: c2, status, occurredOn })).statusCode).toBe(201);
      }

      const summary = await send('GET', `${base}/ledger/summary`, world.counselor.headers);
      expect(summary.statusCode).toBe(200);
      const byCommitment = Object.fromEntries(
        summary
          .json<{ commitments: { commitmentId: string }[] }>()
          .commitments.map((line) => [line.commitmentId, line]),
      );
      expect(byCommitment[c1]).toEqual({
        commitmentId: c1,
        participantClientId: world.partnerB.clientId,
        totals: { kept: 8, partlyKept: 1, missed: 2, disputed: 1 },
        currentKeptRun: 0,
        longestKeptRun: 4,
        firstOccurredOn: '2026-05-18',
        lastOccurredOn: '2026-06-03',
        weeks: [
          { week: '2026-W21', weekStart: '2026-05-18', kept: 5, partlyKept: 0, missed: 1, disputed: 0 },
          { week: '2026-W22', weekStart: '2026-05-25', kept: 1, partlyKept: 0, missed: 1, disputed: 1 },
          { week: '2026-W23', weekStart: '2026-06-01', kept: 2, partlyKept: 1, missed: 0, disputed: 0 },
        ],
      });
      expect(byCommitment[c2]).toEqual({
        commitmentId: c2,
        participantClientId: world.partnerA.clientId,
        totals: { kept: 2, partlyKept: 0, missed: 1, disputed: 0 },
        currentKeptRun: 2,
        longestKeptRun: 2,
        firstOccurredOn: '2026-05-20',
        lastOccurredOn: '2026-06-03',
        weeks: [
          { week: '2026-W21', weekStart: '2026-05-18', kept: 0, partlyKept: 0, missed: 1, disputed: 0 },
          { week: '2026-W22', weekStart: '2026-05-25', kept: 0, partlyKept: 0, missed: 0, disputed: 0 },
          { week: '2026-W23', weekStart: '2026-06-01', kept: 2, partlyKept: 0, missed: 0, disputed: 0 },
        ],
      });
      // Every viewer of the ledger gets the same numbers.
      for (const viewer of [world.partnerA, world.partnerB, world.supervisor]) {
        const seen = await send('GET', `${base}/ledger/summary`, viewer.headers);
        expect(seen.json()).toEqual(summary.json());
      }

      // The listing keeps the corrected entry, naming its correction.
      const entries = await send('GET', `${base}/ledger?commitmentId=${c1}`, world.partnerA.headers);
      expect(entries.statusCode).toBe(200);
      const list = entries.json<{ entries: { id: string; correctedByCheckInId: string | null }[] }>().entries;
      expect(list).toHaveLength(12);
      expect(list.find((entry) => entry.id === ids['2026-05-26'])?.correctedByCheckInId).toBe(
        corrected.json<{ id: string }>().id,
      );
    });

    it("refuses a date after today in the participant's timezone (London is already on the 4th)", async () => {
      expect(
        (await checkIn(world.partnerB.headers, { commitmentId: c1, status: 'kept', occurredOn: '2026-06-04' }))
          .statusCode,
      ).toBe(201);
      const future = await checkIn(world.partnerB.headers, {
        commitmentId: c1,
        status: 'kept',
        occurredOn: '2026-06-05',
      });
      expect(future.statusCode).toBe(422);
      expect(future.json()).toMatchObject({ code: 'occurred_on_in_future' });
    });
  });

  describe('bad input', () => {
    it.each([
      [{ commitmentId: 'nope', status: 'kept', occurredOn: '2026-05-01' }, 'commitmentId', 'isUuid'],
      [{ commitmentId: randomUUID(), status: 'perfect', occurredOn: '2026-05-01' }, 'status', 'isIn'],
      [{ commitmentId: randomUUID(), status: 'kept', occurredOn: '2026-02-30' }, 'occurredOn', 'isIso8601'],
      [{ commitmentId: randomUUID(), status: 'kept', occurredOn: '2026-05-01T10:00:00Z' }, 'occurredOn', 'matches'],
      [{ commitmentId: randomUUID(), status: 'kept', occurredOn: '2026-05-01', note: '' }, 'note', 'isLength'],
      [
        { commitmentId: randomUUID(), status: 'kept', occurredOn: '2026-05-01', score: 3 },
        'score',
        'whitelistValidation',
      ],
    ])('400 names the field and the rule: %j', async (body, field, rule) => {
      const response = await checkIn(world.partnerA.headers, body);
      expect(response.statusCode).toBe(400);
      expect(response.json<{ errors: { field: string; rule: string }[] }>().errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, rule })]),
      );
    });

    it('a participant records only about themselves; the care team names a participant', async () => {
      const commitmentId = await addCommitment(api, world, [world.partnerA.clientId, world.partnerB.clientId]);
      const other = await checkIn(world.partnerA.headers, {
        commitmentId,
        status: 'missed',
        occurredOn: '2026-06-01',
        participantClientId: world.partnerB.clientId,
      });
      expect(other.statusCode).toBe(422);
      expect(other.json()).toMatchObject({ code: 'check_in_not_own' });
      const unnamed = await checkIn(world.counselor.headers, {
        commitmentId,
        status: 'kept',
        occurredOn: '2026-06-01',
      });
      expect(unnamed.json()).toMatchObject({ status: 422, code: 'participant_required' });
      const stranger = await checkIn(world.counselor.headers, {
        commitmentId,
        status: 'kept',
        occurredOn: '2026-06-01',
        participantClientId: randomUUID(),
      });
      expect(stranger.json()).toMatchObject({ status: 422, code: 'not_a_participant' });
      const onBehalf = await checkIn(world.counselor.headers, {
        commitmentId,
        status: 'kept',
        occurredOn: '2026-06-01',
        participantClientId: world.partnerA.clientId,
      });
      expect(onBehalf.statusCode).toBe(201);
      expect(onBehalf.json()).toMatchObject({
        participantClientId: world.partnerA.clientId,
        recordedByKind: 'care_team',
        recordedByMembershipId: world.counselor.member.membershipId,
      });
    });

    it('responses: not to one’s own entry (422), once (409), participants only (403), known entries (404)', async () => {
      const commitmentId = await addCommitment(api, world, [world.partnerA.clientId, world.partnerB.clientId]);
      const entry = await checkIn(world.partnerA.headers, { commitmentId, status: 'kept', occurredOn: '2026-06-02' });
      const url = `${base}/ledger/check-ins/${entry.json<{ id: string }>().id}/responses`;
      const own = await send('POST', url, world.partnerA.headers, { response: 'confirmed' });
      expect(own.json()).toMatchObject({ status: 422, code: 'own_check_in' });
      const bad = await send('POST', url, world.partnerB.headers, { response: 'maybe' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ errors: unknown[] }>().errors).toEqual([
        expect.objectContaining({ field: 'response', rule: 'isIn' }),
      ]);
      expect((await send('POST', url, world.partnerB.headers, { response: 'confirmed' })).statusCode).toBe(201);
      const twice = await send('POST', url, world.partnerB.headers, { response: 'disputed' });
      expect(twice.json()).toMatchObject({ status: 409, code: 'already_responded' });
      expect((await send('POST', url, world.counselor.headers, { response: 'confirmed' })).statusCode).toBe(403);
      const unknown = await send('POST', `${base}/ledger/check-ins/${randomUUID()}/responses`, world.partnerB.headers, {
        response: 'confirmed',
      });
      expect(unknown.json()).toMatchObject({ status: 404, code: 'not_found' });
      // A correction is possible once; the corrected entry takes no more responses.
      const fix = await checkIn(world.partnerA.headers, {
        commitmentId,
        status: 'partly_kept',
        occurredOn: '2026-06-02',
        correctsCheckInId: entry.json<{ id: string }>().id,
      });
      expect(fix.statusCode).toBe(201);
      const again = await checkIn(world.partnerA.headers, {
        commitmentId,
        status: 'missed',
        occurredOn: '2026-06-02',
        correctsCheckInId: entry.json<{ id: string }>().id,
      });
      expect(again.json()).toMatchObject({ status: 409, code: 'check_in_already_corrected' });
      const mismatch = await checkIn(world.partnerA.headers, {
        commitmentId: await addCommitment(api, world, [world.partnerA.clientId, world.partnerB.clientId]),
        status: 'missed',
        occurredOn: '2026-06-02',
        correctsCheckInId: fix.json<{ id: string }>().id,
      });
      expect(mismatch.json()).toMatchObject({ status: 422, code: 'correction_mismatch' });
    });

    it('responses and corrections sent at once: one 201, the others 409 (never a unique-key 500)', async () => {
      const commitmentId = await addCommitment(api, world, [world.partnerA.clientId, world.partnerB.clientId]);
      const entry = await checkIn(world.partnerA.headers, { commitmentId, status: 'kept', occurredOn: '2026-06-01' });
      const entryId = entry.json<{ id: string }>().id;
      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          send('POST', `${base}/ledger/check-ins/${entryId}/responses`, world.partnerB.headers, {
            response: 'confirmed',
          }),
        ),
      );
      expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      for (const refused of responses.filter((response) => response.statusCode === 409))
        expect(refused.json()).toMatchObject({ code: 'already_responded' });
      const corrections = await Promise.all(
        Array.from({ length: 4 }, () =>
          checkIn(world.partnerA.headers, {
            commitmentId,
            status: 'partly_kept',
            occurredOn: '2026-06-01',
            correctsCheckInId: entryId,
          }),
        ),
      );
      expect(corrections.map((response) => response.statusCode).sort()).toEqual([201, 409, 409, 409]);
      for (const refused of corrections.filter((response) => response.statusCode === 409))
        expect(refused.json()).toMatchObject({ code: 'check_in_already_corrected' });
    });
  });

  describe('privacy matrix: the ledger (with a dispute note) is shared, never the directory', () => {
    it('partners, counselor and supervisor read it; the clinic admin and another counselor get 404', async () => {
      const commitmentId = await addCommitment(api, world, [world.partnerA.clientId, world.partnerB.clientId]);
      const entry = await checkIn(world.partnerB.headers, { commitmentId, status: 'kept', occurredOn: '2026-06-03' });
      const id = entry.json<{ id: string }>().id;
      await send('POST', `${base}/ledger/check-ins/${id}/responses`, world.partnerA.headers, {
        response: 'disputed',
        note: 'Synthetic: I do not remember it that way',
      });
      for (const viewer of [world.partnerA, world.partnerB, world.counselor, world.supervisor]) {
        const seen = await send('GET', `${base}/ledger?commitmentId=${commitmentId}`, viewer.headers);
        expect(seen.statusCode).toBe(200);
        expect(seen.json()).toMatchObject({
          entries: [{ id, responses: [{ response: 'disputed', note: 'Synthetic: I do not remember it that way' }] }],
        });
      }
      for (const outsider of [world.admin, world.otherCounselor]) {
        for (const url of [
          `${base}/ledger`,
          `${base}/ledger/summary`,
          `${base}/boundary-events`,
          `${base}/disclosures`,
        ]) {
          const refused = await send('GET', url, outsider.headers);
          expect({ url, status: refused.statusCode, code: refused.json<{ code: string }>().code }).toEqual({
            url,
            status: 404,
            code: 'not_found',
          });
        }
        const write = await checkIn(outsider.headers, {
          commitmentId,
          status: 'kept',
          occurredOn: '2026-06-01',
          participantClientId: world.partnerA.clientId,
        });
        expect(write.statusCode).toBe(404);
      }
      // The supervisor reads but does not write.
      const supervisorWrite = await checkIn(world.supervisor.headers, {
        commitmentId,
        status: 'kept',
        occurredOn: '2026-06-01',
        participantClientId: world.partnerA.clientId,
      });
      expect(supervisorWrite.statusCode).toBe(403);
    });

    it('audits reads and writes with ids only (no note)', async () => {
      const rows = await api.app
        .get(UnitOfWork)
        .run(world.clinicId, (tx) =>
          tx.query<{ action: string; metadata: Record<string, unknown> }>(
            `select action, metadata from audit_events where action like 'ledger.%' order by seq`,
          ),
        );
      expect(rows.map((row) => row.action)).toEqual(
        expect.arrayContaining([
          'ledger.check_in.record',
          'ledger.check_in.respond',
          'ledger.read',
          'ledger.summary.read',
        ]),
      );
      expect(JSON.stringify(rows)).not.toMatch(/Synthetic/);
    });
  });

  describe('boundary events', () => {
    it('records, lists and completes once; validates input', async () => {
      const boundaryId = await addBoundary(api, world);
      const bad = await send('POST', `${base}/boundary-events`, world.partnerA.headers, {
        boundaryId,
        occurredAt: 'yesterday',
        severity: 'extreme',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ errors: { field: string; rule: string }[] }>().errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'occurredAt', rule: 'isIso8601' }),
          expect.objectContaining({ field: 'severity', rule: 'isIn' }),
        ]),
      );
      const future = await send('POST', `${base}/boundary-events`, world.partnerA.headers, {
        boundaryId,
        occurredAt: '2026-06-05T10:00:00Z',
        severity: 'low',
      });
      expect(future.json()).toMatchObject({ status: 422, code: 'occurred_at_in_future' });
      const created = await send('POST', `${base}/boundary-events`, world.partnerA.headers, {
        boundaryId,
        occurredAt: '2026-06-02T20:00:00Z',
        severity: 'moderate',
        restorativeResponse: 'Synthetic: an honest conversation within a day',
      });
      expect(created.statusCode).toBe(201);
      const event = created.json<{ id: string }>();
      expect(event).toMatchObject({
        reportedByKind: 'participant',
        reporterClientId: world.partnerA.clientId,
        completed: false,
      });
      const early = await send('POST', `${base}/boundary-events/${event.id}/completion`, world.counselor.headers, {
        completedAt: '2026-06-01T10:00:00Z',
      });
      expect(early.json()).toMatchObject({ status: 422, code: 'completed_before_occurred' });
      const done = await send('POST', `${base}/boundary-events/${event.id}/completion`, world.counselor.headers, {});
      expect(done.statusCode).toBe(201);
      expect(done.json()).toMatchObject({ completed: true, completedAt: NOW.toISOString() });
      const twice = await send('POST', `${base}/boundary-events/${event.id}/completion`, world.partnerB.headers, {});
      expect(twice.json()).toMatchObject({ status: 409, code: 'boundary_event_already_completed' });
      const missing = await send(
        'POST',
        `${base}/boundary-events/${randomUUID()}/completion`,
        world.partnerB.headers,
        {},
      );
      expect(missing.statusCode).toBe(404);
      for (const viewer of [world.partnerA, world.partnerB, world.counselor, world.supervisor]) {
        const list = await send('GET', `${base}/boundary-events`, viewer.headers);
        expect(list.json<{ events: { id: string }[] }>().events.map((item) => item.id)).toContain(event.id);
      }
      const byCareTeam = await send('POST', `${base}/boundary-events`, world.counselor.headers, {
        boundaryId,
        occurredAt: '2026-06-01T08:00:00Z',
        severity: 'high',
      });
      expect(byCareTeam.json()).toMatchObject({ reportedByKind: 'care_team', reporterClientId: null });
    });
  });

  describe('disclosure log', () => {
    it('records under the policy version, lists for the care team and the author only, notifies the author', async () => {
      const itemId = randomUUID();
      const record = await api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
        api.app.get(DisclosureLog).record(tx, {
          caseId: world.caseId,
          itemType: 'plan.need',
          itemId,
          authorClientId: world.partnerA.clientId,
          disclosedByMembershipId: world.counselor.member.membershipId,
          mode: 'shared_by_care_team',
        }),
      );
      expect(record).toMatchObject({ itemId, secretsPolicyVersion: null, mode: 'shared_by_care_team' });
      const listed = (viewer: { readonly headers: Record<string, string> }) =>
        send('GET', `${base}/disclosures`, viewer.headers);
      for (const viewer of [world.counselor, world.supervisor, world.partnerA]) {
        const seen = await listed(viewer);
        expect(seen.json<{ disclosures: { itemId: string }[] }>().disclosures.map((item) => item.itemId)).toContain(
          itemId,
        );
      }
      expect((await listed(world.partnerB)).json()).toEqual({ disclosures: [] });
      const inboxA = await send('GET', '/api/v1/notifications', world.partnerA.headers);
      expect(inboxA.json()).toMatchObject({
        items: [
          { kind: 'disclosure.made', title: 'Something you wrote was shared in your case', subjectId: record.id },
        ],
      });
      const inboxB = await send('GET', '/api/v1/notifications', world.partnerB.headers);
      expect(inboxB.json()).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('safety hold', () => {
    it('pauses participants’ ledger and boundary-event reads and writes with one neutral answer; the care team continues', async () => {
      const commitmentId = await addCommitment(api, world, [world.partnerA.clientId, world.partnerB.clientId]);
      const boundaryId = await addBoundary(api, world);
      const unitOfWork = api.app.get(UnitOfWork);
      await unitOfWork.run(world.clinicId, (tx) =>
        tx.query(
          `update cases set safety_status = 'safety_hold', safety_reason = 'Synthetic private reason' where id = $1`,
          [world.caseId],
        ),
      );
      try {
        const body = { commitmentId, status: 'kept', occurredOn: '2026-06-01' };
        const answers = [];
        for (const partner of [world.partnerA, world.partnerB]) {
          for (const [method, url, payload] of [
            ['GET', `${base}/ledger`, undefined],
            ['GET', `${base}/ledger/summary`, undefined],
            ['POST', `${base}/ledger/check-ins`, body],
            ['GET', `${base}/boundary-events`, undefined],
            ['POST', `${base}/boundary-events`, { boundaryId, occurredAt: '2026-06-01T08:00:00Z', severity: 'low' }],
          ] as const) {
            const response = await send(method, url, partner.headers, payload);
            const {
              instance: _instance,
              correlationId: _correlationId,
              ...rest
            } = response.json<Record<string, unknown>>();
            answers.push({ status: response.statusCode, ...rest });
            expect(response.body).not.toMatch(/Synthetic private reason|safety/i);
          }
        }
        expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
        expect(answers[0]).toMatchObject({ status: 409, code: 'shared_space_paused' });
        expect((await send('GET', `${base}/ledger`, world.counselor.headers)).statusCode).toBe(200);
        expect((await send('GET', `${base}/boundary-events`, world.supervisor.headers)).statusCode).toBe(200);
        expect(
          (await checkIn(world.counselor.headers, { ...body, participantClientId: world.partnerA.clientId }))
            .statusCode,
        ).toBe(201);
      } finally {
        await unitOfWork.run(world.clinicId, (tx) =>
          tx.query(`update cases set safety_status = 'normal', safety_reason = null where id = $1`, [world.caseId]),
        );
      }
    });
  });
});
