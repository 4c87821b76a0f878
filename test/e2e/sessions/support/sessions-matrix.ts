import { randomBytes, randomInt, randomUUID } from 'node:crypto';

import { UnitOfWork } from '@mend/core';
import { calendarTokenHash } from '@mend/sessions';

import type { MatrixCase, MatrixEntry } from '../../authorization/authorization-matrix.js';
import {
  memberOf,
  type AuthorizationWorld,
  type Caller,
  type CaseFixture,
  type RequestSpec,
} from '../../authorization/support/authorization-world.js';

/**
 * Authorization-matrix entries of sessions, the calendar feed, progress notes and
 * psychotherapy notes. Each request names a fresh couple case of the caller's
 * clinic (AuthorizationWorld.couple): its counselor is on the care team (and the
 * author of every note fixture), its supervisor supervises them, its client
 * caller is partner A, its clinic admin has the directory only. Fixtures are
 * made through the API as that counselor.
 */

const api = (path: string) => `/api/v1${path}`;
const get = (url: string): RequestSpec => ({ method: 'GET', url });
const clinicOf = (world: AuthorizationWorld, caller: Caller) => caller.clinic ?? world.clinics.A;

/** A random 5-minute slot far in the future: the clinic's counselor is never double-booked across requests. */
function slot(): string {
  const minutes = randomInt(0, 100_000_000);
  return new Date(Date.UTC(2040, 0, 1) + minutes * 60_000 - (minutes % 5) * 60_000).toISOString();
}
const sessionBody = () => ({ startsAt: slot(), durationMinutes: 5, modality: 'video', kind: 'joint' });

async function asCounselor<T>(
  world: AuthorizationWorld,
  caller: Caller,
  spec: RequestSpec,
  status: number,
): Promise<T> {
  const response = await world.inject(spec, clinicOf(world, caller).callers.counselor);
  if (response.statusCode !== status) throw new Error(`${spec.method} ${spec.url} answered ${response.statusCode}`);
  return response.json<T>();
}

const caseOf = (world: AuthorizationWorld, caller: Caller): Promise<CaseFixture> =>
  world.couple(clinicOf(world, caller));

async function sessionOf(world: AuthorizationWorld, caller: Caller): Promise<{ caseId: string; sessionId: string }> {
  const { caseId } = await caseOf(world, caller);
  const session = await asCounselor<{ id: string }>(
    world,
    caller,
    { method: 'POST', url: api(`/cases/${caseId}/sessions`), body: sessionBody() },
    201,
  );
  return { caseId, sessionId: session.id };
}

async function noteOf(
  world: AuthorizationWorld,
  caller: Caller,
  state: 'draft' | 'signed' | 'cosign',
): Promise<{ caseId: string; noteId: string }> {
  const clinic = clinicOf(world, caller);
  const { caseId } = await caseOf(world, caller);
  if (state === 'cosign') {
    await world.api.app.get(UnitOfWork).run(clinic.clinicId, (tx) =>
      tx.query(
        `insert into note_cosign_requirements (clinic_id, counselor_membership_id, required_by_membership_id)
         values ($1, $2, $2) on conflict do nothing`,
        [clinic.clinicId, memberOf(clinic.callers.counselor).membershipId],
      ),
    );
  }
  const note = await asCounselor<{ id: string }>(
    world,
    caller,
    { method: 'POST', url: api(`/cases/${caseId}/notes`), body: { template: 'free', body: { text: 'Synthetic' } } },
    201,
  );
  if (state !== 'draft') {
    await asCounselor(world, caller, { method: 'POST', url: api(`/cases/${caseId}/notes/${note.id}/signature`) }, 201);
  }
  return { caseId, noteId: note.id };
}

async function psychotherapyNoteOf(
  world: AuthorizationWorld,
  caller: Caller,
): Promise<{ caseId: string; noteId: string }> {
  const { caseId } = await caseOf(world, caller);
  const note = await asCounselor<{ id: string }>(
    world,
    caller,
    { method: 'POST', url: api(`/cases/${caseId}/psychotherapy-notes`), body: { body: 'Synthetic' } },
    201,
  );
  return { caseId, noteId: note.id };
}

const READERS = ['supervisor', 'counselor', 'client'] as const;

/** Sessions: 403 for who may read them (supervisor, participant), 404 for the directory. */
function sessionRoute(
  name: string,
  allow: MatrixCase['allow'],
  success: number,
  build: MatrixCase['build'],
): MatrixCase {
  return { name, allow, success, denied: 403, except: { clinic_admin: 404 }, build };
}

/** Notes: the supervisor may read (403 on writes); participants and the directory get 404. */
function noteRoute(name: string, allow: MatrixCase['allow'], success: number, build: MatrixCase['build']): MatrixCase {
  return { name, allow, success, denied: 404, except: { supervisor: 403 }, build };
}

/** Psychotherapy notes: the author only; everyone else 404. */
function authorOnly(name: string, success: number, build: MatrixCase['build']): MatrixCase {
  return { name, allow: ['counselor'], success, denied: 404, build };
}

const isolated = (build: (caseId: string) => RequestSpec): MatrixEntry['isolation'] => ({
  slots: ['case'],
  build: ([caseId]) => build(caseId),
  expected: 404,
});

const STAFF = ['clinic_admin', 'supervisor', 'counselor'] as const;
const ownFeed = (name: string, success: number, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow: STAFF,
  success,
  denied: 403,
  build,
});

export const SESSIONS_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  'GET /api/v1/cases/:caseId/sessions': {
    cases: [
      sessionRoute('the sessions of a case', READERS, 200, async (world, caller) =>
        get(api(`/cases/${(await sessionOf(world, caller)).caseId}/sessions`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/sessions`))),
  },
  'POST /api/v1/cases/:caseId/sessions': {
    cases: [
      sessionRoute('a new session', ['counselor'], 201, async (world, caller) => ({
        method: 'POST',
        url: api(`/cases/${(await caseOf(world, caller)).caseId}/sessions`),
        body: sessionBody(),
      })),
    ],
    isolation: isolated((caseId) => ({ method: 'POST', url: api(`/cases/${caseId}/sessions`), body: sessionBody() })),
  },
  'GET /api/v1/cases/:caseId/sessions/:sessionId': {
    cases: [
      sessionRoute('a joint session', READERS, 200, async (world, caller) => {
        const { caseId, sessionId } = await sessionOf(world, caller);
        return get(api(`/cases/${caseId}/sessions/${sessionId}`));
      }),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/sessions/${randomUUID()}`))),
  },
  'POST /api/v1/cases/:caseId/sessions/:sessionId/reschedule': {
    cases: [
      sessionRoute('a reschedule', ['counselor'], 201, async (world, caller) => {
        const { caseId, sessionId } = await sessionOf(world, caller);
        return {
          method: 'POST',
          url: api(`/cases/${caseId}/sessions/${sessionId}/reschedule`),
          body: { startsAt: slot() },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/sessions/${randomUUID()}/reschedule`),
      body: { startsAt: slot() },
    })),
  },
  'POST /api/v1/cases/:caseId/sessions/:sessionId/status': {
    cases: [
      sessionRoute('a cancellation', ['counselor'], 201, async (world, caller) => {
        const { caseId, sessionId } = await sessionOf(world, caller);
        return {
          method: 'POST',
          url: api(`/cases/${caseId}/sessions/${sessionId}/status`),
          body: { status: 'cancelled' },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/sessions/${randomUUID()}/status`),
      body: { status: 'cancelled' },
    })),
  },
  'PUT /api/v1/cases/:caseId/sessions/:sessionId/attendance': {
    cases: [
      sessionRoute('attendance', ['counselor'], 200, async (world, caller) => {
        const { caseId, sessionId } = await sessionOf(world, caller);
        const clientId = clinicOf(world, caller).clientId;
        return {
          method: 'PUT',
          url: api(`/cases/${caseId}/sessions/${sessionId}/attendance`),
          body: { entries: [{ clientId, attendance: 'attended' }] },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'PUT',
      url: api(`/cases/${caseId}/sessions/${randomUUID()}/attendance`),
      body: { entries: [{ clientId: randomUUID(), attendance: 'attended' }] },
    })),
  },
  'GET /api/v1/cases/:caseId/notes': {
    cases: [
      noteRoute('the progress notes', ['supervisor', 'counselor'], 200, async (world, caller) =>
        get(api(`/cases/${(await noteOf(world, caller, 'draft')).caseId}/notes`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/notes`))),
  },
  'POST /api/v1/cases/:caseId/notes': {
    cases: [
      noteRoute('a draft note', ['counselor'], 201, async (world, caller) => ({
        method: 'POST',
        url: api(`/cases/${(await caseOf(world, caller)).caseId}/notes`),
        body: { template: 'free', body: { text: 'Synthetic' } },
      })),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/notes`),
      body: { template: 'free', body: { text: 'Synthetic' } },
    })),
  },
  'GET /api/v1/cases/:caseId/notes/:noteId': {
    cases: [
      noteRoute('a progress note', ['supervisor', 'counselor'], 200, async (world, caller) => {
        const { caseId, noteId } = await noteOf(world, caller, 'signed');
        return get(api(`/cases/${caseId}/notes/${noteId}`));
      }),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/notes/${randomUUID()}`))),
  },
  'PATCH /api/v1/cases/:caseId/notes/:noteId': {
    cases: [
      noteRoute('a draft edit', ['counselor'], 200, async (world, caller) => {
        const { caseId, noteId } = await noteOf(world, caller, 'draft');
        return {
          method: 'PATCH',
          url: api(`/cases/${caseId}/notes/${noteId}`),
          body: { body: { text: 'Edited' }, revision: 1 },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'PATCH',
      url: api(`/cases/${caseId}/notes/${randomUUID()}`),
      body: { body: { text: 'Edited' }, revision: 1 },
    })),
  },
  'POST /api/v1/cases/:caseId/notes/:noteId/signature': {
    cases: [
      noteRoute('a signature', ['counselor'], 201, async (world, caller) => {
        const { caseId, noteId } = await noteOf(world, caller, 'draft');
        return { method: 'POST', url: api(`/cases/${caseId}/notes/${noteId}/signature`) };
      }),
    ],
    isolation: isolated((caseId) => ({ method: 'POST', url: api(`/cases/${caseId}/notes/${randomUUID()}/signature`) })),
  },
  'POST /api/v1/cases/:caseId/notes/:noteId/amendments': {
    cases: [
      noteRoute('an amendment', ['counselor'], 201, async (world, caller) => {
        const { caseId, noteId } = await noteOf(world, caller, 'signed');
        return {
          method: 'POST',
          url: api(`/cases/${caseId}/notes/${noteId}/amendments`),
          body: { reason: 'Synthetic', changes: { text: 'Amended' } },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/notes/${randomUUID()}/amendments`),
      body: { reason: 'Synthetic', changes: { text: 'Amended' } },
    })),
  },
  'POST /api/v1/cases/:caseId/notes/:noteId/cosignature': {
    cases: [
      {
        name: "a supervisee's signed note",
        allow: ['supervisor'],
        success: 201,
        denied: 404,
        // The author reads the note but does not co-sign it.
        except: { counselor: 403 },
        build: async (world, caller) => {
          const { caseId, noteId } = await noteOf(world, caller, 'cosign');
          return { method: 'POST', url: api(`/cases/${caseId}/notes/${noteId}/cosignature`) };
        },
      },
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/notes/${randomUUID()}/cosignature`),
    })),
  },
  'GET /api/v1/me/note-queue': {
    cases: [ownFeed('one’s own unsigned notes', 200, () => Promise.resolve(get(api('/me/note-queue'))))],
  },
  'PUT /api/v1/members/:membershipId/note-cosign-requirement': {
    cases: [
      {
        name: "the clinic's counselor",
        allow: ['clinic_admin'],
        success: 200,
        denied: 404,
        // The supervisor may see their supervisee's membership, the counselor their own: 403.
        except: { supervisor: 403, counselor: 403 },
        build: (world, caller) =>
          Promise.resolve({
            method: 'PUT',
            url: api(
              `/members/${memberOf(clinicOf(world, caller).callers.counselor).membershipId}/note-cosign-requirement`,
            ),
            body: { required: false },
          }),
      },
    ],
    isolation: {
      slots: ['membership'],
      build: ([id]) => ({
        method: 'PUT',
        url: api(`/members/${id}/note-cosign-requirement`),
        body: { required: true },
      }),
      expected: 404,
    },
  },
  'GET /api/v1/cases/:caseId/psychotherapy-notes': {
    cases: [
      authorOnly('one’s own psychotherapy notes', 200, async (world, caller) =>
        get(api(`/cases/${(await psychotherapyNoteOf(world, caller)).caseId}/psychotherapy-notes`)),
      ),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/psychotherapy-notes`))),
  },
  'POST /api/v1/cases/:caseId/psychotherapy-notes': {
    cases: [
      authorOnly('a psychotherapy note', 201, async (world, caller) => ({
        method: 'POST',
        url: api(`/cases/${(await caseOf(world, caller)).caseId}/psychotherapy-notes`),
        body: { body: 'Synthetic' },
      })),
    ],
    isolation: isolated((caseId) => ({
      method: 'POST',
      url: api(`/cases/${caseId}/psychotherapy-notes`),
      body: { body: 'Synthetic' },
    })),
  },
  'GET /api/v1/cases/:caseId/psychotherapy-notes/:noteId': {
    cases: [
      authorOnly('the author’s psychotherapy note', 200, async (world, caller) => {
        const { caseId, noteId } = await psychotherapyNoteOf(world, caller);
        return get(api(`/cases/${caseId}/psychotherapy-notes/${noteId}`));
      }),
    ],
    isolation: isolated((caseId) => get(api(`/cases/${caseId}/psychotherapy-notes/${randomUUID()}`))),
  },
  'PATCH /api/v1/cases/:caseId/psychotherapy-notes/:noteId': {
    cases: [
      authorOnly('an edit by the author', 200, async (world, caller) => {
        const { caseId, noteId } = await psychotherapyNoteOf(world, caller);
        return {
          method: 'PATCH',
          url: api(`/cases/${caseId}/psychotherapy-notes/${noteId}`),
          body: { body: 'Edited', revision: 1 },
        };
      }),
    ],
    isolation: isolated((caseId) => ({
      method: 'PATCH',
      url: api(`/cases/${caseId}/psychotherapy-notes/${randomUUID()}`),
      body: { body: 'Edited', revision: 1 },
    })),
  },
  'GET /api/v1/me/calendar-feed': {
    cases: [ownFeed('one’s own feed status', 200, () => Promise.resolve(get(api('/me/calendar-feed'))))],
  },
  'POST /api/v1/me/calendar-feed': {
    cases: [ownFeed('a new feed URL', 201, () => Promise.resolve({ method: 'POST', url: api('/me/calendar-feed') }))],
  },
  'DELETE /api/v1/me/calendar-feed': {
    cases: [
      ownFeed('revoking one’s live feed', 204, async (world, caller) => {
        if (caller.tokens !== null && caller.role !== 'client') {
          const issued = await world.inject({ method: 'POST', url: api('/me/calendar-feed') }, caller);
          if (issued.statusCode !== 201) throw new Error(`issuing a feed answered ${issued.statusCode}`);
        }
        return { method: 'DELETE', url: api('/me/calendar-feed') };
      }),
    ],
  },
  'GET /api/v1/calendar-feeds/:clinicId/sessions.ics': {
    cases: [
      {
        name: 'a live feed URL (the token is the credential)',
        allow: 'everyone',
        success: 200,
        // A fresh counselor's feed, written straight into the table (calls run concurrently: a shared
        // counselor issuing feeds would revoke the URL another call is about to fetch).
        build: async (world) => {
          const clinicId = world.clinics.A.clinicId;
          const counselor = await world.member(clinicId, ['counselor']);
          const token = randomBytes(32).toString('base64url');
          await world.api.app
            .get(UnitOfWork)
            .run(clinicId, (tx) =>
              tx.query(
                'insert into calendar_feeds (clinic_id, id, membership_id, token_hash) values ($1, $2, $3, $4)',
                [clinicId, randomUUID(), counselor.membershipId, calendarTokenHash(token)],
              ),
            );
          return get(api(`/calendar-feeds/${clinicId}/sessions.ics?token=${token}`));
        },
      },
    ],
  },
};
