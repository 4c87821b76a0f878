import type { MembershipRole } from '@mend/contracts';
import { builtInExercise, contentOf } from '@mend/homework';
import { totpCodeAt } from '@mend/identity';

import { GOOD_CODE, newCredentials, postJson, type Member } from '../auth/support/identity-app.js';
import { CASE_MATRIX } from '../cases/support/case-matrix.js';
import { HOMEWORK_MATRIX } from '../homework/support/homework-matrix.js';
import { HOMEWORK_OVERVIEW_MATRIX } from '../homework/support/homework-overview-matrix.js';
import { LEDGER_MATRIX } from '../ledger/support/ledger-matrix.js';
import { MEASURES_MATRIX } from '../measures/support/measures-matrix.js';
import { REMINDERS_MATRIX } from '../reminders/support/reminders-matrix.js';
import { PLAN_MATRIX } from '../repair-plans/support/plan-matrix.js';
import { REPORTS_MATRIX } from '../reports/support/reports-matrix.js';
import { SESSIONS_MATRIX } from '../sessions/support/sessions-matrix.js';
import {
  forgedToken,
  memberOf,
  type AuthorizationWorld,
  type Caller,
  type CaseFixture,
  type RequestSpec,
} from './support/authorization-world.js';

/**
 * THE AUTHORIZATION MATRIX (reliability.md ISO-1/ISO-2): for every route the
 * application registers, who may call it and what everyone else gets. The test
 * (authorization-matrix.e2e-spec.ts) reads the routes from the running router
 * and fails on a route missing here, or an entry naming no route; the isolation
 * test (isolation.e2e-spec.ts) replays every route that names a record with the
 * ids of another clinic.
 *
 * A new route gets its line here in the same change. Rules live in libs/access;
 * this file states the expected answers independently of that code.
 */

/** Who succeeds: every caller (a public route: the token is ignored), every member, or members with these roles. */
export type Allowed = 'everyone' | 'members' | readonly MembershipRole[];

export interface MatrixCase {
  /** What the case exercises, e.g. "a colleague's login session". */
  readonly name: string;
  readonly allow: Allowed;
  /** The status an allowed caller gets. */
  readonly success: number;
  /**
   * What a member who is not allowed gets: 403 when they may see the record (or
   * it is the clinic itself) but not do this, 404 when they may not see it.
   * Anonymous callers get 401 on every route that is not public.
   */
  readonly denied?: 403 | 404;
  /** Per-role exceptions to `denied` (a relationship changes the answer). */
  readonly except?: Partial<Record<MembershipRole, number>>;
  /** Builds one request for a caller, in the caller's own clinic, with fresh records. */
  readonly build: (world: AuthorizationWorld, caller: Caller) => Promise<RequestSpec>;
}

/** The kinds of record ids the isolation test draws from the other clinic. */
export type IdKind =
  'membership' | 'user' | 'login_session' | 'invitation' | 'refresh_token' | 'password_reset' | 'client' | 'case';

export interface IsolationSpec {
  /** The ids the route names (path parameters, body fields, ids inside tokens), in order. */
  readonly slots: readonly IdKind[];
  /** The request naming those ids, sent by `context.attacker`; tokens are forged for `context.victimClinicId`. */
  readonly build: (ids: readonly string[], context: IsolationContext) => RequestSpec;
  /** What a member of another clinic gets: 404 on every authenticated route, like an unknown id. */
  readonly expected: number;
  /** Per-role exceptions (a clinic-wide route some roles may not use at all: 403 whatever the ids). */
  readonly expectedFor?: Partial<Record<MembershipRole, number>>;
  /** A public route (no access token needed): its refusals are not access-policy refusals. */
  readonly isPublic?: true;
  /** For a list filtered by the ids: this field of a 200 answer must be an empty list. */
  readonly emptyList?: string;
  /** Share of the isolation attempts (default 1). */
  readonly weight?: number;
}

export interface IsolationContext {
  /** The clinic whose records the ids name (the attacker belongs to the other one). */
  readonly victimClinicId: string;
  /** The signed-in member of the other clinic making the attempt. */
  readonly attacker: Member;
}

export interface MatrixEntry {
  readonly cases: readonly MatrixCase[];
  /** Present on every route that names a record (path, body, or inside a token). */
  readonly isolation?: IsolationSpec;
}

const api = (path: string) => `/api/v1${path}`;
const clinicOf = (caller: Caller): string => caller.clinic?.clinicId ?? '';
const get = (url: string): RequestSpec => ({ method: 'GET', url });
const publicGet = (url: string): MatrixEntry => ({
  cases: [{ name: 'anyone', allow: 'everyone', success: 200, build: () => Promise.resolve(get(url)) }],
});
const adminsOnly = (spec: RequestSpec, success = 200): MatrixCase => ({
  name: 'the clinic',
  allow: ['clinic_admin'],
  success,
  denied: 403,
  build: () => Promise.resolve(spec),
});

/** For a member caller: a fresh member of their clinic; for anonymous: of clinic A (they get 401 anyway). */
async function colleague(world: AuthorizationWorld, caller: Caller, roles: MembershipRole[] = ['counselor']) {
  return world.member(caller.clinic?.clinicId ?? world.clinics.A.clinicId, roles);
}

/**
 * A fresh couple case of the caller's clinic (clinic A for anonymous): the clinic's
 * counselor is primary (their supervisor supervises them), the clinic's client
 * caller is partner A. So, on case routes: counselor = care team, supervisor =
 * supervisor of the care team, client = participant, clinic_admin = directory only.
 */
async function caseOf(world: AuthorizationWorld, caller: Caller): Promise<CaseFixture> {
  return world.couple(caller.clinic ?? world.clinics.A);
}

/** The body of a new clinic exercise (the content of a built-in under another title). */
function exerciseBody(title = 'Synthetic exercise'): Record<string, unknown> {
  return { ...contentOf(builtInExercise('E29')!), title };
}

/** A fresh clinic exercise of the caller's clinic (clinic A for anonymous), created by its counselor. */
async function customExerciseOf(world: AuthorizationWorld, caller: Caller): Promise<string> {
  const clinic = caller.clinic ?? world.clinics.A;
  const response = await world.inject(
    { method: 'POST', url: api('/exercises'), body: exerciseBody() },
    clinic.callers.counselor,
  );
  if (response.statusCode !== 201) throw new Error(`creating an exercise answered ${response.statusCode}`);
  return response.json<{ ref: string }>().ref;
}

/** The exercise library: every staff role; a client may see the clinic but not browse the library (403). */
const staffOnly = (name: string, success: number, build: MatrixCase['build']): MatrixCase => ({
  name,
  allow: ['clinic_admin', 'supervisor', 'counselor'],
  success,
  denied: 403,
  build,
});

export const AUTHORIZATION_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  // ---- operations and documentation (public) ---------------------------------------------------
  'GET /health': publicGet('/health'),
  'GET /api/docs': publicGet('/api/docs'),
  'GET /api/docs/*': publicGet('/api/docs/swagger-ui.css'),
  'GET /api/docs/index.html': publicGet('/api/docs/index.html'),
  // Registered by the Swagger UI plugin, answered 404 by it (the file is not shipped): public all the same.
  'GET /api/docs/LICENSE': {
    cases: [
      { name: 'anyone', allow: 'everyone', success: 404, build: () => Promise.resolve(get('/api/docs/LICENSE')) },
    ],
  },
  'GET /api/docs/swagger-ui-init.js': publicGet('/api/docs/swagger-ui-init.js'),
  'GET /api/docs/docs/swagger-ui-init.js': publicGet('/api/docs/docs/swagger-ui-init.js'),
  'GET /api/docs/docs/*': publicGet('/api/docs/docs/swagger-ui.css'),
  'GET /api/docs-json': publicGet('/api/docs-json'),
  'GET /api/docs-yaml': publicGet('/api/docs-yaml'),

  // ---- sign-in (public: the token, if any, is ignored) ------------------------------------------
  'POST /api/v1/auth/login': {
    cases: [
      {
        name: 'a client with the right password',
        allow: 'everyone',
        success: 200,
        build: async (world) => {
          const member = await world.member(world.clinics.A.clinicId, ['client']);
          return { method: 'POST', url: api('/auth/login'), body: { email: member.email, password: member.password } };
        },
      },
    ],
    isolation: {
      // The attacker's own account with its right password cannot sign in to a membership of another clinic.
      slots: ['membership'],
      build: ([membershipId], { attacker }) => ({
        method: 'POST',
        url: api('/auth/login'),
        body: { email: attacker.email, password: attacker.password, membershipId },
      }),
      expected: 401,
      isPublic: true,
      weight: 0.2,
    },
  },
  'POST /api/v1/auth/mfa/verify': {
    cases: [
      {
        name: 'a staff member’s second step',
        allow: 'everyone',
        success: 200,
        build: async (world) => {
          const member = await world.member(world.clinics.A.clinicId, ['counselor']);
          const first = await postJson(world.api, api('/auth/login'), {
            email: member.email,
            password: member.password,
          });
          const { mfaToken } = first.json<{ mfaToken: string }>();
          return { method: 'POST', url: api('/auth/mfa/verify'), body: { mfaToken, code: GOOD_CODE } };
        },
      },
    ],
  },
  'POST /api/v1/auth/mfa/enroll/start': {
    cases: [
      {
        name: 'signed in (a stand-in of the caller’s role)',
        allow: 'members',
        success: 200,
        build: async (world, caller) => ({
          method: 'POST',
          url: api('/auth/mfa/enroll/start'),
          body: {},
          as: (await world.standIn(caller))?.tokens ?? null,
        }),
      },
      {
        name: 'with an mfaToken that is not one',
        allow: 'everyone',
        success: 401,
        build: () =>
          Promise.resolve({ method: 'POST', url: api('/auth/mfa/enroll/start'), body: { mfaToken: 'not-a-token' } }),
      },
    ],
  },
  'POST /api/v1/auth/mfa/enroll/confirm': {
    cases: [
      {
        name: 'signed in, after starting (a stand-in of the caller’s role)',
        allow: 'members',
        success: 200,
        build: async (world, caller) => {
          const standIn = await world.standIn(caller);
          if (standIn === null) {
            return { method: 'POST', url: api('/auth/mfa/enroll/confirm'), body: { code: '123456' }, as: null };
          }
          const started = await world.inject(
            { method: 'POST', url: api('/auth/mfa/enroll/start'), body: {}, as: standIn.tokens },
            caller,
          );
          const { secret } = started.json<{ secret: string }>();
          const code = await totpCodeAt(secret, world.api.clock.now().getTime());
          return { method: 'POST', url: api('/auth/mfa/enroll/confirm'), body: { code }, as: standIn.tokens };
        },
      },
      {
        name: 'with an mfaToken that is not one',
        allow: 'everyone',
        success: 401,
        build: () =>
          Promise.resolve({
            method: 'POST',
            url: api('/auth/mfa/enroll/confirm'),
            body: { mfaToken: 'not-a-token', code: '123456' },
          }),
      },
    ],
  },
  'POST /api/v1/auth/refresh': {
    cases: [
      {
        name: 'a live refresh token',
        allow: 'everyone',
        success: 200,
        build: async (world) => {
          const member = await world.member(world.clinics.A.clinicId, ['client']);
          const pair = await world.loginSession(member, ['client']);
          return { method: 'POST', url: api('/auth/refresh'), body: { refreshToken: pair.refreshToken } };
        },
      },
    ],
    isolation: {
      slots: ['refresh_token'],
      build: ([rowId], { victimClinicId: clinicId }) => ({
        method: 'POST',
        url: api('/auth/refresh'),
        body: { refreshToken: forgedToken(clinicId, rowId) },
      }),
      expected: 401,
      isPublic: true,
    },
  },
  'POST /api/v1/auth/logout': {
    cases: [
      {
        name: 'a live refresh token',
        allow: 'everyone',
        success: 204,
        build: async (world) => {
          const member = await world.member(world.clinics.A.clinicId, ['client']);
          const pair = await world.loginSession(member, ['client']);
          return { method: 'POST', url: api('/auth/logout'), body: { refreshToken: pair.refreshToken } };
        },
      },
    ],
    isolation: {
      // Logout always answers 204 (also for an ended session); what matters is that nothing ends.
      slots: ['refresh_token'],
      build: ([rowId], { victimClinicId: clinicId }) => ({
        method: 'POST',
        url: api('/auth/logout'),
        body: { refreshToken: forgedToken(clinicId, rowId) },
      }),
      expected: 204,
      isPublic: true,
    },
  },
  'POST /api/v1/auth/password-reset': {
    cases: [
      {
        name: 'an open reset link',
        allow: 'everyone',
        success: 204,
        build: async (world) => {
          const { token } = await world.passwordReset(world.clinics.A.clinicId);
          return {
            method: 'POST',
            url: api('/auth/password-reset'),
            body: { token, newPassword: newCredentials().password },
          };
        },
      },
    ],
    isolation: {
      slots: ['password_reset'],
      build: ([rowId], { victimClinicId: clinicId }) => ({
        method: 'POST',
        url: api('/auth/password-reset'),
        body: { token: forgedToken(clinicId, rowId), newPassword: 'a-long-synthetic-passphrase' },
      }),
      expected: 400,
      isPublic: true,
    },
  },
  'POST /api/v1/auth/forgot-password': {
    cases: [
      {
        name: 'any email',
        allow: 'everyone',
        success: 202,
        build: () =>
          Promise.resolve({
            method: 'POST',
            url: api('/auth/forgot-password'),
            body: { email: newCredentials().email },
          }),
      },
    ],
  },
  'POST /api/v1/invitations/accept': {
    cases: [
      {
        name: 'an open invitation',
        allow: 'everyone',
        success: 201,
        build: async (world) => {
          const { token } = await world.invitation(world.clinics.A.clinicId);
          return {
            method: 'POST',
            url: api('/invitations/accept'),
            body: { token, password: newCredentials().password },
          };
        },
      },
    ],
    isolation: {
      slots: ['invitation'],
      build: ([rowId], { victimClinicId: clinicId }) => ({
        method: 'POST',
        url: api('/invitations/accept'),
        body: { token: forgedToken(clinicId, rowId), password: 'a-long-synthetic-passphrase' },
      }),
      expected: 400,
      isPublic: true,
    },
  },

  // ---- the caller's own account -------------------------------------------------------------------
  'GET /api/v1/me': {
    cases: [{ name: 'oneself', allow: 'members', success: 200, build: () => Promise.resolve(get(api('/me'))) }],
  },
  'GET /api/v1/auth/sessions': {
    cases: [
      {
        name: 'one’s own sign-ins',
        allow: 'members',
        success: 200,
        build: () => Promise.resolve(get(api('/auth/sessions'))),
      },
    ],
  },
  'DELETE /api/v1/auth/sessions/:id': {
    cases: [
      {
        name: 'one’s own other login session',
        allow: 'members',
        success: 204,
        build: async (world, caller) => {
          const member = caller.member ?? (await colleague(world, caller));
          const pair = await world.loginSession(member, caller.role === null ? ['counselor'] : [caller.role]);
          return { method: 'DELETE', url: api(`/auth/sessions/${pair.loginSessionId}`) };
        },
      },
      {
        name: 'a colleague’s login session',
        allow: [],
        success: 204,
        denied: 404,
        build: async (world, caller) => {
          const pair = await world.loginSession(await colleague(world, caller), ['counselor']);
          return { method: 'DELETE', url: api(`/auth/sessions/${pair.loginSessionId}`) };
        },
      },
    ],
    isolation: {
      slots: ['login_session'],
      build: ([id]) => ({ method: 'DELETE', url: api(`/auth/sessions/${id}`) }),
      expected: 404,
    },
  },
  'POST /api/v1/auth/password': {
    cases: [
      {
        name: 'one’s own password (a stand-in of the same role signs in, so the shared callers keep theirs)',
        allow: 'members',
        success: 204,
        build: async (world, caller) => {
          const standIn = await world.standIn(caller);
          return {
            method: 'POST',
            url: api('/auth/password'),
            body: {
              currentPassword: standIn?.password ?? 'not-signed-in-anyway',
              newPassword: newCredentials().password,
            },
            as: standIn?.tokens ?? null,
          };
        },
      },
    ],
  },

  // ---- the clinic ------------------------------------------------------------------------------------
  'GET /api/v1/clinic': {
    cases: [{ name: 'the clinic', allow: 'members', success: 200, build: () => Promise.resolve(get(api('/clinic'))) }],
  },
  'PATCH /api/v1/clinic': {
    cases: [adminsOnly({ method: 'PATCH', url: api('/clinic'), body: { timezone: 'Europe/Lisbon' } })],
  },
  'GET /api/v1/audit-events': {
    cases: [adminsOnly(get(api('/audit-events')))],
    isolation: {
      // A filter naming another clinic's user finds nothing; members who may not read the trail get 403 anyway.
      slots: ['user'],
      build: ([userId]) => get(api(`/audit-events?actorUserId=${userId}`)),
      expected: 403,
      expectedFor: { clinic_admin: 200 },
      emptyList: 'items',
      weight: 0.5,
    },
  },

  // ---- members (clinic admins) -----------------------------------------------------------------------
  'GET /api/v1/users': { cases: [adminsOnly(get(api('/users')))] },
  'POST /api/v1/users': {
    cases: [
      {
        name: 'an invitation',
        allow: ['clinic_admin'],
        success: 201,
        denied: 403,
        build: () =>
          Promise.resolve({
            method: 'POST',
            url: api('/users'),
            body: { email: newCredentials('invitee').email, roles: ['client'] },
          }),
      },
    ],
  },
  'PATCH /api/v1/users/:membershipId': {
    cases: [
      {
        name: 'a colleague nobody supervises',
        allow: ['clinic_admin'],
        success: 200,
        denied: 404,
        build: async (world, caller) => ({
          method: 'PATCH',
          url: api(`/users/${(await colleague(world, caller)).membershipId}`),
          body: { roles: ['counselor', 'supervisor'] },
        }),
      },
      {
        name: 'the clinic’s supervised counselor (no change asked)',
        allow: ['clinic_admin'],
        success: 200,
        denied: 404,
        // The supervisor may see the membership (403); the counselor is looking at their own (403).
        except: { supervisor: 403, counselor: 403 },
        build: (world, caller) =>
          Promise.resolve({
            method: 'PATCH',
            url: api(`/users/${memberOf((caller.clinic ?? world.clinics.A).callers.counselor).membershipId}`),
            body: {},
          }),
      },
    ],
    isolation: {
      slots: ['membership'],
      build: ([id]) => ({ method: 'PATCH', url: api(`/users/${id}`), body: { status: 'disabled' } }),
      expected: 404,
      weight: 2,
    },
  },
  'POST /api/v1/users/:membershipId/password-reset-link': {
    cases: [
      {
        name: 'a colleague',
        allow: ['clinic_admin'],
        success: 201,
        denied: 404,
        build: async (world, caller) => ({
          method: 'POST',
          url: api(`/users/${(await colleague(world, caller, ['client'])).membershipId}/password-reset-link`),
        }),
      },
    ],
    isolation: {
      slots: ['membership'],
      build: ([id]) => ({ method: 'POST', url: api(`/users/${id}/password-reset-link`) }),
      expected: 404,
    },
  },
  'PUT /api/v1/users/:membershipId/supervisors/:supervisorMembershipId': {
    cases: [
      {
        name: 'a new link between colleagues',
        allow: ['clinic_admin'],
        success: 204,
        denied: 404,
        build: async (world, caller) => {
          const counselor = await colleague(world, caller, ['counselor']);
          const supervisor = await colleague(world, caller, ['supervisor']);
          return {
            method: 'PUT',
            url: api(`/users/${counselor.membershipId}/supervisors/${supervisor.membershipId}`),
          };
        },
      },
    ],
    isolation: {
      slots: ['membership', 'membership'],
      build: ([counselor, supervisor]) => ({
        method: 'PUT',
        url: api(`/users/${counselor}/supervisors/${supervisor}`),
      }),
      expected: 404,
    },
  },
  'DELETE /api/v1/users/:membershipId/supervisors/:supervisorMembershipId': {
    cases: [
      {
        name: 'an existing link between colleagues',
        allow: ['clinic_admin'],
        success: 204,
        denied: 404,
        build: async (world, caller) => {
          const counselor = await colleague(world, caller, ['counselor']);
          const supervisor = await colleague(world, caller, ['supervisor']);
          await world.link(counselor.clinicId, supervisor.membershipId, counselor.membershipId);
          return {
            method: 'DELETE',
            url: api(`/users/${counselor.membershipId}/supervisors/${supervisor.membershipId}`),
          };
        },
      },
    ],
    isolation: {
      slots: ['membership', 'membership'],
      build: ([counselor, supervisor]) => ({
        method: 'DELETE',
        url: api(`/users/${counselor}/supervisors/${supervisor}`),
      }),
      expected: 404,
    },
  },

  // ---- invitations (clinic admins) -------------------------------------------------------------------
  'GET /api/v1/invitations': { cases: [adminsOnly(get(api('/invitations')))] },
  'DELETE /api/v1/invitations/:invitationId': {
    cases: [
      {
        name: 'a pending invitation',
        allow: ['clinic_admin'],
        success: 204,
        denied: 404,
        build: async (world, caller) => ({
          method: 'DELETE',
          url: api(
            `/invitations/${(await world.invitation(clinicOf(caller) || world.clinics.A.clinicId)).invitationId}`,
          ),
        }),
      },
    ],
    isolation: {
      slots: ['invitation'],
      build: ([id]) => ({ method: 'DELETE', url: api(`/invitations/${id}`) }),
      expected: 404,
    },
  },

  // ---- cases -----------------------------------------------------------------------------------
  'GET /api/v1/cases/:caseId/timeline': {
    cases: [
      {
        name: "a case of the caller's clinic",
        allow: ['supervisor', 'counselor', 'client'],
        success: 200,
        // The clinic admin sees the case in the directory, not its history (clinical content: 404).
        denied: 404,
        build: async (world, caller) => get(api(`/cases/${(await caseOf(world, caller)).caseId}/timeline`)),
      },
    ],
    isolation: { slots: ['case'], build: ([caseId]) => get(api(`/cases/${caseId}/timeline`)), expected: 404 },
  },
  // ---- clients, cases, secrets policy, role labels (test/e2e/cases/support) ----------------------
  ...CASE_MATRIX,
  // ---- trust ledger, boundary events, disclosures, notifications (test/e2e/ledger/support) ------
  ...LEDGER_MATRIX,
  // ---- repair plan and readiness assessments (test/e2e/repair-plans/support) ---------------------
  ...PLAN_MATRIX,
  // ---- homework: assignments, occurrences, submissions (test/e2e/homework/support) ---------------
  ...HOMEWORK_MATRIX,
  ...HOMEWORK_OVERVIEW_MATRIX,
  // ---- reminders: settings, preferences, failed reminders (test/e2e/reminders/support) -----------
  ...REMINDERS_MATRIX,

  // ---- I-statement coach (stateless; nothing read or stored) -------------------------------------------
  'POST /api/v1/coach/hints': {
    cases: [
      {
        name: "hints for one's own draft",
        allow: 'members',
        success: 200,
        build: () =>
          Promise.resolve({
            method: 'POST',
            url: api('/coach/hints'),
            body: { text: 'You never listen.', mode: 'on' },
          }),
      },
    ],
  },

  // ---- the exercise library (staff) -------------------------------------------------------------
  // Built-ins are addressed by key; clinic exercises by id. Cross-clinic ids are covered by
  // test/e2e/exercises/exercises.e2e-spec.ts (the isolation pools have no exercise kind yet).
  'GET /api/v1/exercises': {
    cases: [staffOnly('the library', 200, () => Promise.resolve(get(api('/exercises'))))],
  },
  'POST /api/v1/exercises': {
    cases: [
      staffOnly('a new exercise', 201, () =>
        Promise.resolve({ method: 'POST', url: api('/exercises'), body: exerciseBody() }),
      ),
    ],
  },
  'GET /api/v1/exercises/:exerciseRef': {
    cases: [
      staffOnly('a built-in', 200, () => Promise.resolve(get(api('/exercises/E05')))),
      staffOnly('a clinic exercise', 200, async (world, caller) =>
        get(api(`/exercises/${await customExerciseOf(world, caller)}`)),
      ),
    ],
  },
  'GET /api/v1/exercises/:exerciseRef/versions': {
    cases: [staffOnly('a built-in', 200, () => Promise.resolve(get(api('/exercises/E15/versions'))))],
  },
  'GET /api/v1/exercises/:exerciseRef/versions/:version': {
    cases: [
      staffOnly('a clinic exercise', 200, async (world, caller) =>
        get(api(`/exercises/${await customExerciseOf(world, caller)}/versions/1`)),
      ),
    ],
  },
  'POST /api/v1/exercises/:exerciseRef/versions': {
    cases: [
      staffOnly('a clinic exercise', 201, async (world, caller) => ({
        method: 'POST',
        url: api(`/exercises/${await customExerciseOf(world, caller)}/versions`),
        body: { ...exerciseBody('Synthetic exercise, revised'), expectedVersion: 1 },
      })),
    ],
  },
  'POST /api/v1/exercises/:exerciseRef/retire': {
    cases: [
      staffOnly('a clinic exercise', 200, async (world, caller) => ({
        method: 'POST',
        url: api(`/exercises/${await customExerciseOf(world, caller)}/retire`),
      })),
    ],
  },
  'POST /api/v1/exercises/:exerciseRef/copy': {
    cases: [
      staffOnly('a built-in', 201, () =>
        Promise.resolve({ method: 'POST', url: api('/exercises/E11/copy'), body: {} }),
      ),
    ],
  },
  // ---- outcome measures, safety alerts, check-ins, settings (test/e2e/measures/support) ------------
  ...MEASURES_MATRIX,
  // ---- sessions, calendar feed, progress and psychotherapy notes (test/e2e/sessions/support) ------
  ...SESSIONS_MATRIX,
  // ---- progress reports (test/e2e/reports/support) ------------------------------------------------
  ...REPORTS_MATRIX,
};

/** The status a caller should get for a case. */
export function expectedStatus(entryCase: MatrixCase, caller: Caller): number {
  if (entryCase.allow === 'everyone') return entryCase.success;
  if (caller.role === null) return 401;
  const allowed = entryCase.allow === 'members' || entryCase.allow.includes(caller.role);
  if (allowed) return entryCase.success;
  const denied = entryCase.except?.[caller.role] ?? entryCase.denied;
  if (denied === undefined)
    throw new Error(`Case "${entryCase.name}" allows only some roles but names no denied status`);
  return denied;
}
