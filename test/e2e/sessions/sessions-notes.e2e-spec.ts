import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '@mend/core';
import { connectAs } from '@mend/testing';

import type { IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, insertCase, insertClient, type CaseWorld } from '../cases/support/case-world.js';
import { startLoggedApp } from './support/sessions-app.js';

type Headers = Record<string, string>;
interface Problem {
  code: string;
  detail: string;
}
interface SessionJson {
  localTimes: { clientId: string | null; startsAt: string }[];
  history: { kind: string }[];
  attendance: { clientId: string }[];
}
interface NoteJson {
  body: Record<string, unknown>;
  currentBody: Record<string, unknown>;
  amendments: unknown[];
  cosignedByMembershipId: string | null;
}
interface QueueJson {
  unsigned: { id: string }[];
  awaitingYourCosignature: { id: string }[];
}
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Times in 2031 around the UK change to summer time (Sunday 30 March 2031); the partners live in Europe/London. */
const BEFORE_DST = '2031-03-27T10:00';
const AFTER_DST = '2031-04-03T10:00';

describe('sessions, progress notes and psychotherapy notes (e2e)', () => {
  let api: IdentityApp & { logs: () => string };
  let world: CaseWorld;
  let base: string;
  /** Every response body of this suite except the author's own psychotherapy-note answers. */
  const seen: string[] = [];
  const CANARY = `CANARY-psychotherapy-${randomUUID()}`;

  const send = async (method: Method, url: string, headers: Headers, body?: unknown, record = true) => {
    const response = await api.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    if (record) seen.push(response.body);
    return response;
  };

  beforeAll(async () => {
    api = await startLoggedApp();
    world = await createCaseWorld(api);
    base = `/api/v1/cases/${world.caseId}`;
  });
  afterAll(() => api.close());

  const joint = (startsAtLocal: string, extra: Record<string, unknown> = {}) => ({
    startsAtLocal,
    timezone: 'Europe/London',
    durationMinutes: 50,
    modality: 'in_person',
    kind: 'joint',
    ...extra,
  });

  describe('sessions', () => {
    it('schedules by wall-clock time across a DST change and shows each client their own local time', async () => {
      const before = await send('POST', `${base}/sessions`, world.counselor.headers, joint(BEFORE_DST));
      const after = await send('POST', `${base}/sessions`, world.counselor.headers, joint(AFTER_DST));
      expect([before.statusCode, after.statusCode]).toEqual([201, 201]);
      expect(before.json()).toMatchObject({
        startsAt: '2031-03-27T10:00:00.000Z',
        durationMinutes: 50,
        status: 'scheduled',
      });
      expect(after.json()).toMatchObject({ startsAt: '2031-04-03T09:00:00.000Z' });
      const local = (body: { localTimes: { clientId: string | null; startsAt: string }[] }, clientId: string) =>
        body.localTimes.find((entry) => entry.clientId === clientId)?.startsAt;
      expect(local(before.json(), world.partnerA.clientId)).toBe('2031-03-27T10:00:00+00:00');
      expect(local(after.json(), world.partnerB.clientId)).toBe('2031-04-03T10:00:00+01:00');
      // The participant sees the session in their own timezone only.
      const mine = await send('GET', `${base}/sessions/${after.json<{ id: string }>().id}`, world.partnerA.headers);
      expect(mine.statusCode).toBe(200);
      expect(mine.json<SessionJson>().localTimes).toEqual([
        {
          clientId: world.partnerA.clientId,
          timezone: 'Europe/London',
          startsAt: '2031-04-03T10:00:00+01:00',
          endsAt: '2031-04-03T10:50:00+01:00',
        },
      ]);
      const skipped = await send('POST', `${base}/sessions`, world.counselor.headers, joint('2031-03-30T01:30'));
      expect(skipped.statusCode).toBe(422);
      expect(skipped.json<Problem>().code).toBe('local_time_nonexistent');
    });

    it('refuses a double-booking with 409 naming the conflicting session (even from another case)', async () => {
      const first = await send('POST', `${base}/sessions`, world.counselor.headers, joint('2031-05-06T14:00'));
      expect(first.statusCode).toBe(201);
      const otherCase = await insertCase(api, world.clinicId, {
        primaryMembershipId: world.counselor.member.membershipId,
        participants: [{ clientId: await insertClient(api, world.clinicId), role: 'individual' }],
        type: 'individual',
      });
      const overlap = await send(
        'POST',
        `/api/v1/cases/${otherCase}/sessions`,
        world.counselor.headers,
        joint('2031-05-06T14:30', { kind: 'joint' }),
      );
      expect(overlap.statusCode).toBe(409);
      expect(overlap.json<Problem>().code).toBe('session_conflict');
      expect(overlap.json<Problem>().detail).toContain(first.json<{ id: string }>().id);
      const adjacent = await send('POST', `${base}/sessions`, world.counselor.headers, joint('2031-05-06T14:50'));
      expect(adjacent.statusCode).toBe(201);
      // Cancelling frees the time.
      expect(
        (
          await send('POST', `${base}/sessions/${first.json<{ id: string }>().id}/status`, world.counselor.headers, {
            status: 'cancelled',
          })
        ).statusCode,
      ).toBe(201);
      const retaken = await send('POST', `${base}/sessions`, world.counselor.headers, joint('2031-05-06T14:00'));
      expect(retaken.statusCode).toBe(201);
    });

    it('takes concurrent bookings of one slot in turn: one 201, the others 409 naming it (never a 500)', async () => {
      // Several rounds: unserialized, two bookings that both passed the overlap check could deadlock in the
      // exclusion constraint's check (seen under load: 500 "deadlock detected").
      for (let round = 0; round < 6; round += 1) {
        const booked = await Promise.all(
          Array.from({ length: 8 }, () =>
            send('POST', `${base}/sessions`, world.counselor.headers, joint(`2031-07-${10 + round}T10:00`)),
          ),
        );
        expect(booked.map((response) => response.statusCode).sort()).toEqual([201, ...Array(7).fill(409)]);
        const winner = booked.find((response) => response.statusCode === 201)!.json<{ id: string }>().id;
        for (const response of booked.filter((candidate) => candidate.statusCode === 409)) {
          expect(response.json<Problem>().code).toBe('session_conflict');
          expect(response.json<Problem>().detail).toContain(winner);
        }
        expect(
          (await send('POST', `${base}/sessions/${winner}/status`, world.counselor.headers, { status: 'cancelled' }))
            .statusCode,
        ).toBe(201);
      }
    });

    it('keeps reschedule history and dated, final status transitions; records attendance', async () => {
      const created = await send('POST', `${base}/sessions`, world.counselor.headers, joint('2031-06-10T09:00'));
      const id = created.json<{ id: string }>().id;
      const moved = await send('POST', `${base}/sessions/${id}/reschedule`, world.counselor.headers, {
        startsAt: '2031-06-11T09:00:00Z',
      });
      expect(moved.statusCode).toBe(201);
      expect(moved.json<SessionJson>().history.map((event: { kind: string }) => event.kind)).toEqual([
        'scheduled',
        'rescheduled',
      ]);
      expect(moved.json<SessionJson>().history[1]).toMatchObject({
        fromStartsAt: '2031-06-10T08:00:00.000Z',
        toStartsAt: '2031-06-11T09:00:00.000Z',
      });
      const attendance = await send('PUT', `${base}/sessions/${id}/attendance`, world.counselor.headers, {
        entries: [
          { clientId: world.partnerA.clientId, attendance: 'attended' },
          { clientId: world.partnerB.clientId, attendance: 'late' },
        ],
      });
      expect(attendance.statusCode).toBe(200);
      expect(attendance.json<SessionJson>().attendance).toHaveLength(2);
      const stranger = await send('PUT', `${base}/sessions/${id}/attendance`, world.counselor.headers, {
        entries: [{ clientId: randomUUID(), attendance: 'attended' }],
      });
      expect(stranger.statusCode).toBe(422);
      const done = await send('POST', `${base}/sessions/${id}/status`, world.counselor.headers, {
        status: 'completed',
      });
      expect(done.statusCode).toBe(201);
      expect(done.json()).toMatchObject({ status: 'completed' });
      const again = await send('POST', `${base}/sessions/${id}/status`, world.counselor.headers, { status: 'no_show' });
      expect(again.statusCode).toBe(422);
      expect(again.json<Problem>().code).toBe('session_not_scheduled');
      const bad = await send('POST', `${base}/sessions/${id}/status`, world.counselor.headers, { status: 'scheduled' });
      expect(bad.statusCode).toBe(400);
      // A participant sees only their own attendance; may not schedule (403); the admin's directory view: 404.
      const partnerView = await send('GET', `${base}/sessions/${id}`, world.partnerB.headers);
      expect(partnerView.json<SessionJson>().attendance).toEqual([
        expect.objectContaining({ clientId: world.partnerB.clientId }),
      ]);
      expect(
        (await send('POST', `${base}/sessions`, world.partnerA.headers, joint('2031-07-01T09:00'))).statusCode,
      ).toBe(403);
      expect((await send('GET', `${base}/sessions`, world.admin.headers)).statusCode).toBe(404);
    });

    it('walls an individual session off from the other partner, behind the signed secrets policy', async () => {
      const individual = {
        startsAt: '2031-08-01T09:00:00Z',
        durationMinutes: 50,
        modality: 'video',
        kind: 'individual',
        individualClientId: world.partnerA.clientId,
      };
      const unsigned = await send('POST', `${base}/sessions`, world.counselor.headers, individual);
      expect(unsigned.statusCode).toBe(422);
      expect(unsigned.json<Problem>().code).toBe('secrets_policy_unsigned');
      const policy = await send('PUT', `${base}/secrets-policy`, world.counselor.headers, { kind: 'limited_secrets' });
      expect(policy.statusCode).toBeLessThan(300);
      for (const partner of [world.partnerA, world.partnerB]) {
        const signed = await send('POST', `${base}/secrets-policy/signatures`, partner.headers, {
          version: policy.json<{ version: number }>().version,
          signedName: 'Synthetic Signer',
        });
        expect(signed.statusCode).toBe(201);
      }
      const created = await send('POST', `${base}/sessions`, world.counselor.headers, individual);
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: string }>().id;
      expect((await send('GET', `${base}/sessions/${id}`, world.partnerA.headers)).statusCode).toBe(200);
      expect((await send('GET', `${base}/sessions/${id}`, world.partnerB.headers)).statusCode).toBe(404);
      const listB = await send('GET', `${base}/sessions`, world.partnerB.headers);
      expect(
        listB.json<{ sessions: { id: string }[] }>().sessions.map((session: { id: string }) => session.id),
      ).not.toContain(id);
      const timelineB = await send('GET', `${base}/timeline?limit=100`, world.partnerB.headers);
      expect(timelineB.statusCode).toBe(200);
      expect(JSON.stringify(timelineB.json())).not.toContain(id);
      const timelineA = await send('GET', `${base}/timeline?limit=100`, world.partnerA.headers);
      expect(
        timelineA
          .json<{ entries: { kind: string; refs: { sessionId?: string } }[] }>()
          .entries.filter((entry: { refs: { sessionId?: string } }) => entry.refs.sessionId === id),
      ).toEqual([expect.objectContaining({ kind: 'session.scheduled', summary: 'Session scheduled' })]);
    });
  });

  describe('calendar feed', () => {
    it('serves a private, revocable, content-free iCalendar feed from a URL token', async () => {
      const own = await send('POST', `${base}/sessions`, world.counselor.headers, joint('2031-10-02T10:00'));
      expect(own.statusCode).toBe(201);
      const issued = await send('POST', '/api/v1/me/calendar-feed', world.counselor.headers);
      expect(issued.statusCode).toBe(201);
      const url = new URL(issued.json<{ url: string }>().url);
      const path = `${url.pathname}${url.search}`;
      const feed = await send('GET', path, {});
      expect(feed.statusCode).toBe(200);
      expect(feed.headers['content-type']).toContain('text/calendar');
      expect(feed.body).toContain('BEGIN:VCALENDAR');
      expect(feed.body).toContain('SUMMARY:Session');
      expect(feed.body).toContain('DTSTART:20311002T090000Z');
      for (const secret of ['Synthetic Partner', 'Synthetic case', world.caseId, world.partnerA.clientId]) {
        expect(feed.body).not.toContain(secret);
      }
      const status = await send('GET', '/api/v1/me/calendar-feed', world.counselor.headers);
      expect(status.json()).toMatchObject({ active: true });
      expect(status.body).not.toContain(url.searchParams.get('token') as string);
      // Reissuing revokes the old URL; revoking kills the new one; a client has no feed (403).
      const reissued = await send('POST', '/api/v1/me/calendar-feed', world.counselor.headers);
      expect((await send('GET', path, {})).statusCode).toBe(404);
      const second = new URL(reissued.json<{ url: string }>().url);
      expect((await send('GET', `${second.pathname}${second.search}`, {})).statusCode).toBe(200);
      expect((await send('DELETE', '/api/v1/me/calendar-feed', world.counselor.headers)).statusCode).toBe(204);
      expect((await send('GET', `${second.pathname}${second.search}`, {})).statusCode).toBe(404);
      expect((await send('DELETE', '/api/v1/me/calendar-feed', world.counselor.headers)).statusCode).toBe(404);
      expect((await send('POST', '/api/v1/me/calendar-feed', world.partnerA.headers)).statusCode).toBe(403);
      expect(
        (await send('GET', `/api/v1/calendar-feeds/${world.clinicId}/sessions.ics?token=nope`, {})).statusCode,
      ).toBe(404);
    });

    it('takes concurrent issues and revokes in turn: every call succeeds and one URL stays live', async () => {
      const feedPath = (response: { json: <T>() => T }) => {
        const url = new URL(response.json<{ url: string }>().url);
        return `${url.pathname}${url.search}`;
      };
      // Six issues at once: each one 201 (none trips the one-live-feed index), exactly one URL works.
      const issued = await Promise.all(
        Array.from({ length: 6 }, () => send('POST', '/api/v1/me/calendar-feed', world.counselor.headers)),
      );
      expect(issued.map((response) => response.statusCode)).toEqual(Array(6).fill(201));
      const live = await Promise.all(
        issued.map(async (response) => (await send('GET', feedPath(response), {})).statusCode),
      );
      expect(live.filter((status) => status === 200)).toHaveLength(1);
      expect(live.filter((status) => status === 404)).toHaveLength(5);
      // A revoke racing an issue always finds a live feed to revoke, whichever goes first. Each round starts from a
      // live feed: a round whose revoke ran last leaves none, and a revoke that then runs first rightly answers 404.
      for (let round = 0; round < 5; round += 1) {
        expect((await send('POST', '/api/v1/me/calendar-feed', world.counselor.headers)).statusCode).toBe(201);
        const [reissued, revoked] = await Promise.all([
          send('POST', '/api/v1/me/calendar-feed', world.counselor.headers),
          send('DELETE', '/api/v1/me/calendar-feed', world.counselor.headers),
        ]);
        expect([reissued.statusCode, revoked.statusCode]).toEqual([201, 204]);
      }
      // A revoke that read the clock before an issue it then waited for is stamped no earlier than that feed's creation.
      const backwards = await api.app
        .get(UnitOfWork)
        .run(world.clinicId, (tx) =>
          tx.query<{ count: number }>(
            'select count(*)::int as count from calendar_feeds where membership_id = $1 and revoked_at < created_at',
            [world.counselor.member.membershipId],
          ),
        );
      expect(backwards[0].count).toBe(0);
    });
  });

  describe('progress notes', () => {
    let sessionId = '';
    beforeAll(async () => {
      const created = await send('POST', `${base}/sessions`, world.counselor.headers, joint('2031-09-02T10:00'));
      sessionId = created.json<{ id: string }>().id;
    });

    const coupleBody = () => ({
      startTime: '10:00',
      stopTime: '10:50',
      cptCode: '90847',
      attendees: [world.partnerA.clientId, world.partnerB.clientId],
      riskScreen: [world.partnerA.clientId, world.partnerB.clientId].map((clientId) => ({
        clientId,
        askedIndividually: true,
        suicidalIdeation: 'none',
        homicidalIdeation: 'none',
        intimatePartnerViolence: 'none',
      })),
      measures: [
        { instrument: 'CSI-16', clientId: world.partnerA.clientId, score: 48, rciLabel: 'reliable improvement' },
      ],
      interventions: ['Structured disclosure'],
      response: 'Engaged',
      homeworkReviewed: [randomUUID()],
      homeworkAssigned: [randomUUID()],
      plan: 'Continue weekly',
    });

    it('writes a couple note, signs it, refuses edits (409 naming the amendment route), keeps amendments', async () => {
      const draft = await send('POST', `${base}/notes`, world.counselor.headers, {
        template: 'couple',
        sessionId,
        body: { ...coupleBody(), riskScreen: [] },
      });
      expect(draft.statusCode).toBe(201);
      const id = draft.json<{ id: string }>().id;
      const incomplete = await send('POST', `${base}/notes/${id}/signature`, world.counselor.headers);
      expect(incomplete.statusCode).toBe(422);
      expect(incomplete.json<Problem>().code).toBe('note_incomplete');
      const edited = await send('PATCH', `${base}/notes/${id}`, world.counselor.headers, {
        body: coupleBody(),
        revision: 1,
      });
      expect(edited.statusCode).toBe(200);
      const stale = await send('PATCH', `${base}/notes/${id}`, world.counselor.headers, {
        body: coupleBody(),
        revision: 1,
      });
      expect(stale.statusCode).toBe(409);
      const signed = await send('POST', `${base}/notes/${id}/signature`, world.counselor.headers);
      expect(signed.statusCode).toBe(201);
      expect(signed.json()).toMatchObject({ status: 'signed', cosignRequired: false });
      const edit = await send('PATCH', `${base}/notes/${id}`, world.counselor.headers, {
        body: coupleBody(),
        revision: 2,
      });
      expect(edit.statusCode).toBe(409);
      expect(edit.json<Problem>().code).toBe('note_signed');
      expect(edit.json<Problem>().detail).toContain(`/api/v1/cases/${world.caseId}/notes/${id}/amendments`);
      const amended = await send('POST', `${base}/notes/${id}/amendments`, world.counselor.headers, {
        reason: 'Late entry after a phone call',
        changes: { plan: 'Move to fortnightly' },
      });
      expect(amended.statusCode).toBe(201);
      const read = await send('GET', `${base}/notes/${id}`, world.supervisor.headers);
      expect(read.statusCode).toBe(200);
      expect(read.json<NoteJson>().body.plan).toBe('Continue weekly');
      expect(read.json<NoteJson>().currentBody.plan).toBe('Move to fortnightly');
      expect(read.json<NoteJson>().amendments).toEqual([
        expect.objectContaining({
          reason: 'Late entry after a phone call',
          changedFields: ['plan'],
          authorMembershipId: world.counselor.member.membershipId,
        }),
      ]);
      const unknownField = await send('POST', `${base}/notes/${id}/amendments`, world.counselor.headers, {
        reason: 'x',
        changes: { diagnosis: 'x' },
      });
      expect(unknownField.statusCode).toBe(400);
      // Who else: the supervisor reads but cannot write (403); participants and the admin's directory: 404.
      expect(
        (await send('POST', `${base}/notes`, world.supervisor.headers, { template: 'free', body: {} })).statusCode,
      ).toBe(403);
      for (const caller of [world.partnerA, world.partnerB, world.admin, world.otherCounselor]) {
        expect((await send('GET', `${base}/notes/${id}`, caller.headers)).statusCode).toBe(404);
        expect((await send('GET', `${base}/notes`, caller.headers)).statusCode).toBe(404);
      }
    });

    it('refuses a note for a session of another case (422)', async () => {
      const otherCase = await insertCase(api, world.clinicId, {
        primaryMembershipId: world.counselor.member.membershipId,
        participants: [{ clientId: await insertClient(api, world.clinicId), role: 'individual' }],
        type: 'individual',
      });
      const answer = await send('POST', `/api/v1/cases/${otherCase}/notes`, world.counselor.headers, {
        template: 'free',
        sessionId,
        body: { text: 'x' },
      });
      expect(answer.statusCode).toBe(422);
      expect(answer.json<Problem>().code).toBe('session_of_another_case');
    });

    it('requires a supervisor co-signature when the clinic says so, and lists unsigned notes', async () => {
      const required = await send(
        'PUT',
        `/api/v1/members/${world.counselor.member.membershipId}/note-cosign-requirement`,
        world.admin.headers,
        { required: true },
      );
      expect(required.statusCode).toBe(200);
      const note = await send('POST', `${base}/notes`, world.counselor.headers, {
        template: 'dap',
        body: { data: 'd', assessment: 'a', plan: 'p' },
      });
      const id = note.json<{ id: string }>().id;
      const queue = await send('GET', '/api/v1/me/note-queue', world.counselor.headers);
      expect(queue.json<QueueJson>().unsigned.map((item: { id: string }) => item.id)).toContain(id);
      expect(JSON.stringify(queue.json())).not.toContain('"plan"');
      const signed = await send('POST', `${base}/notes/${id}/signature`, world.counselor.headers);
      expect(signed.json()).toMatchObject({ cosignRequired: true, cosignedAt: null });
      const pending = await send('GET', '/api/v1/me/note-queue', world.supervisor.headers);
      expect(pending.json<QueueJson>().awaitingYourCosignature.map((item: { id: string }) => item.id)).toContain(id);
      expect((await send('POST', `${base}/notes/${id}/cosignature`, world.counselor.headers)).statusCode).toBe(403);
      const cosigned = await send('POST', `${base}/notes/${id}/cosignature`, world.supervisor.headers);
      expect(cosigned.statusCode).toBe(201);
      expect(cosigned.json<NoteJson>().cosignedByMembershipId).toBe(world.supervisor.member.membershipId);
      expect((await send('POST', `${base}/notes/${id}/cosignature`, world.supervisor.headers)).statusCode).toBe(409);
      await send(
        'PUT',
        `/api/v1/members/${world.counselor.member.membershipId}/note-cosign-requirement`,
        world.admin.headers,
        {
          required: false,
        },
      );
    });
  });

  describe('psychotherapy notes: the canary', () => {
    it('is its author’s alone: 404 to everyone else, and the canary shows up in no answer, audit row or log line', async () => {
      // A second care-team member (not the author) must not see it either.
      await api.app
        .get(UnitOfWork)
        .run(world.clinicId, (tx) =>
          tx.query(
            'insert into case_care_team (clinic_id, case_id, membership_id, is_primary) values ($1, $2, $3, false)',
            [world.clinicId, world.caseId, world.otherCounselor.member.membershipId],
          ),
        );
      const created = await send(
        'POST',
        `${base}/psychotherapy-notes`,
        world.counselor.headers,
        { body: CANARY },
        false,
      );
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: string }>().id;
      const own = await send('GET', `${base}/psychotherapy-notes/${id}`, world.counselor.headers, undefined, false);
      expect(own.json<{ body: string }>().body).toBe(CANARY);
      const edited = await send(
        'PATCH',
        `${base}/psychotherapy-notes/${id}`,
        world.counselor.headers,
        { body: `${CANARY} (edited)`, revision: 1 },
        false,
      );
      expect(edited.statusCode).toBe(200);

      const others = [world.admin, world.supervisor, world.otherCounselor, world.partnerA, world.partnerB];
      for (const caller of others) {
        expect((await send('GET', `${base}/psychotherapy-notes/${id}`, caller.headers)).statusCode).toBe(404);
        expect(
          (await send('PATCH', `${base}/psychotherapy-notes/${id}`, caller.headers, { body: 'overwrite', revision: 2 }))
            .statusCode,
        ).toBe(404);
        const list = await send('GET', `${base}/psychotherapy-notes`, caller.headers);
        if (list.statusCode === 200) expect(list.json<{ notes: unknown[] }>().notes).toEqual([]);
        else expect(list.statusCode).toBe(404);
        // Every note and session route, as this caller.
        for (const url of [
          `${base}/notes`,
          `${base}/sessions`,
          `${base}/timeline?limit=100`,
          '/api/v1/me/note-queue',
          '/api/v1/me/calendar-feed',
        ]) {
          await send('GET', url, caller.headers);
        }
      }
      // The author's other routes carry nothing of it either.
      for (const url of [`${base}/notes`, `${base}/sessions`, `${base}/timeline?limit=100`, '/api/v1/me/note-queue']) {
        await send('GET', url, world.counselor.headers);
      }
      expect(seen.length).toBeGreaterThan(40);
      expect(seen.filter((body) => body.includes(CANARY))).toEqual([]);
      const admin = await connectAs('admin');
      try {
        const audit = await admin.query<{ row: string }>(
          'select row_to_json(e)::text as row from audit_events e where clinic_id = $1',
          [world.clinicId],
        );
        expect(audit.rows.length).toBeGreaterThan(20);
        expect(audit.rows.some((row) => row.row.includes('psychotherapy_note.create'))).toBe(true);
        expect(audit.rows.filter((row) => row.row.includes(CANARY))).toEqual([]);
        const notifications = await admin.query<{ row: string }>(
          'select row_to_json(n)::text as row from notifications n where clinic_id = $1',
          [world.clinicId],
        );
        expect(notifications.rows.filter((row) => row.row.includes(CANARY))).toEqual([]);
        const stored = await admin.query<{ body: string }>('select body from psychotherapy_notes where id = $1', [id]);
        expect(stored.rows[0].body).not.toContain('CANARY');
      } finally {
        await admin.end();
      }
      expect(api.logs().length).toBeGreaterThan(1000);
      expect(api.logs()).not.toContain(CANARY);
      expect(api.logs()).not.toContain('Late entry after a phone call');
    });
  });
});
