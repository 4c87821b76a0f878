import { randomUUID } from 'node:crypto';

import type { MembershipRole } from '@mend/contracts';
import { UnitOfWork } from '@mend/core';

import type { MatrixCase, MatrixEntry } from '../../authorization/authorization-matrix.js';
import {
  memberOf,
  type AuthorizationWorld,
  type Caller,
  type ClinicFixtures,
  type RequestSpec,
} from '../../authorization/support/authorization-world.js';

/**
 * Authorization-matrix entries of the clients and cases routes. Case routes name
 * a fresh couple case of the caller's clinic (`world.couple`): the counselor is
 * its primary, the supervisor supervises them, the client caller is partner A,
 * the clinic admin sees the directory view only. Client routes name a fresh
 * client registered by the clinic's counselor (so: counselor = care team,
 * supervisor = supervisor of its creator, admin = directory, client caller = a
 * stranger: 404).
 */

const api = (path: string) => `/api/v1${path}`;
const clinicOf = (world: AuthorizationWorld, caller: Caller): ClinicFixtures => caller.clinic ?? world.clinics.A;

async function caseOf(world: AuthorizationWorld, caller: Caller) {
  return world.couple(clinicOf(world, caller));
}

/** A client registered by the clinic's counselor, in no case. */
async function clientOf(world: AuthorizationWorld, caller: Caller, withEmail = false): Promise<string> {
  const clinic = clinicOf(world, caller);
  const clientId = randomUUID();
  await world.api.app.get(UnitOfWork).run(clinic.clinicId, (tx) =>
    tx.query(
      `insert into clients (clinic_id, id, display_name, email, timezone, created_by_membership_id)
         values ($1, $2, 'Synthetic Matrix Client', $3, 'UTC', $4)`,
      [
        clinic.clinicId,
        clientId,
        withEmail ? `matrix-${clientId.slice(0, 8)}@example.org` : null,
        memberOf(clinic.callers.counselor).membershipId,
      ],
    ),
  );
  return clientId;
}

const STAFF: readonly MembershipRole[] = ['clinic_admin', 'supervisor', 'counselor'];

const entry = (
  name: string,
  allow: MatrixCase['allow'],
  success: number,
  build: MatrixCase['build'],
  denied?: 403 | 404,
  except?: MatrixCase['except'],
): MatrixCase => ({ name, allow, success, build, ...(denied !== undefined && { denied }), ...(except && { except }) });

const caseRoute = (
  name: string,
  allow: MatrixCase['allow'],
  success: number,
  request: (caseId: string, world: AuthorizationWorld, caller: Caller) => Promise<RequestSpec> | RequestSpec,
  except?: MatrixCase['except'],
): MatrixCase =>
  entry(
    name,
    allow,
    success,
    async (world, caller) => request((await caseOf(world, caller)).caseId, world, caller),
    // Every member of the clinic may see the case (directory, supervisor, participant): 403 when not allowed.
    403,
    except,
  );

/** The secrets policy is case content: the directory (a clinic admin off the care team) does not see it (404). */
const NOT_IN_DIRECTORY: MatrixCase['except'] = { clinic_admin: 404 };

/** Client routes changing the record: clinic admins and the care team; the supervisor may see it (403), a client not (404). */
const clientChange = (name: string, success: number, request: (clientId: string) => RequestSpec, withEmail = false) =>
  entry(
    name,
    ['clinic_admin', 'counselor'],
    success,
    async (world, caller) => request(await clientOf(world, caller, withEmail)),
    404,
    { supervisor: 403 },
  );

export const CASE_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  // ---- clients ---------------------------------------------------------------------------------------
  'GET /api/v1/clients': {
    cases: [
      entry('the clients one may see', STAFF, 200, () => Promise.resolve({ method: 'GET', url: api('/clients') }), 403),
    ],
  },
  'POST /api/v1/clients': {
    cases: [
      entry(
        'a new client',
        STAFF,
        201,
        () =>
          Promise.resolve({
            method: 'POST',
            url: api('/clients'),
            body: { displayName: 'Synthetic Matrix Person', timezone: 'Europe/London' },
          }),
        403,
      ),
    ],
  },
  'GET /api/v1/clients/:clientId': {
    cases: [
      entry(
        'a client registered by the counselor',
        STAFF,
        200,
        async (world, caller) => ({ method: 'GET', url: api(`/clients/${await clientOf(world, caller)}`) }),
        404,
      ),
      entry(
        "the client caller's own record (a partner in a case of the counselor)",
        'members',
        200,
        async (world, caller) => {
          const fixture = await caseOf(world, caller);
          return { method: 'GET', url: api(`/clients/${fixture.partnerAClientId}`) };
        },
      ),
    ],
    isolation: { slots: ['client'], build: ([id]) => ({ method: 'GET', url: api(`/clients/${id}`) }), expected: 404 },
  },
  'PATCH /api/v1/clients/:clientId': {
    cases: [
      clientChange('a client registered by the counselor', 200, (id) => ({
        method: 'PATCH',
        url: api(`/clients/${id}`),
        body: { phone: '+1 555 0199' },
      })),
    ],
    isolation: {
      slots: ['client'],
      build: ([id]) => ({ method: 'PATCH', url: api(`/clients/${id}`), body: { phone: '+1 555 0199' } }),
      expected: 404,
    },
  },
  'PATCH /api/v1/clients/:clientId/preferences': {
    cases: [
      clientChange('a client registered by the counselor', 200, (id) => ({
        method: 'PATCH',
        url: api(`/clients/${id}/preferences`),
        body: { discreetNotifications: true },
      })),
      entry(
        "the client caller's own preferences (a partner in a case of the counselor)",
        ['clinic_admin', 'counselor', 'client'],
        200,
        async (world, caller) => {
          const fixture = await caseOf(world, caller);
          return {
            method: 'PATCH',
            url: api(`/clients/${fixture.partnerAClientId}/preferences`),
            body: { reminderTime: '08:00' },
          };
        },
        // The supervisor of the care team sees the client but does not change them.
        403,
      ),
    ],
    isolation: {
      slots: ['client'],
      build: ([id]) => ({
        method: 'PATCH',
        url: api(`/clients/${id}/preferences`),
        body: { discreetNotifications: true },
      }),
      expected: 404,
    },
  },
  'POST /api/v1/clients/:clientId/archive': {
    cases: [clientChange('a client in no case', 200, (id) => ({ method: 'POST', url: api(`/clients/${id}/archive`) }))],
    isolation: {
      slots: ['client'],
      build: ([id]) => ({ method: 'POST', url: api(`/clients/${id}/archive`) }),
      expected: 404,
    },
  },
  'POST /api/v1/clients/:clientId/restore': {
    cases: [clientChange('a client', 200, (id) => ({ method: 'POST', url: api(`/clients/${id}/restore`) }))],
    isolation: {
      slots: ['client'],
      build: ([id]) => ({ method: 'POST', url: api(`/clients/${id}/restore`) }),
      expected: 404,
    },
  },
  'POST /api/v1/clients/:clientId/invitation': {
    cases: [
      clientChange(
        'a client with an email',
        201,
        (id) => ({ method: 'POST', url: api(`/clients/${id}/invitation`) }),
        true,
      ),
    ],
    isolation: {
      slots: ['client'],
      build: ([id]) => ({ method: 'POST', url: api(`/clients/${id}/invitation`) }),
      expected: 404,
    },
  },

  // ---- cases -------------------------------------------------------------------------------------------
  'GET /api/v1/cases': {
    cases: [entry('the caseload', 'members', 200, () => Promise.resolve({ method: 'GET', url: api('/cases') }))],
  },
  'POST /api/v1/cases': {
    cases: [
      entry(
        'a case of a client the counselor registered',
        STAFF,
        201,
        async (world, caller) => {
          const counselor = memberOf(clinicOf(world, caller).callers.counselor).membershipId;
          return {
            method: 'POST',
            url: api('/cases'),
            body: {
              type: 'individual',
              title: 'Synthetic matrix case',
              participants: [{ clientId: await clientOf(world, caller), role: 'individual' }],
              careTeamMembershipIds: [counselor],
              primaryMembershipId: counselor,
            },
          };
        },
        403,
      ),
    ],
  },
  'GET /api/v1/cases/:caseId': {
    cases: [
      caseRoute('a case (care team, supervisor, participant, directory)', 'members', 200, (id) => ({
        method: 'GET',
        url: api(`/cases/${id}`),
      })),
    ],
    isolation: { slots: ['case'], build: ([id]) => ({ method: 'GET', url: api(`/cases/${id}`) }), expected: 404 },
  },
  'PATCH /api/v1/cases/:caseId': {
    cases: [
      caseRoute('a case', ['counselor'], 200, (id) => ({
        method: 'PATCH',
        url: api(`/cases/${id}`),
        body: { title: 'Renamed' },
      })),
    ],
    isolation: {
      slots: ['case'],
      build: ([id]) => ({ method: 'PATCH', url: api(`/cases/${id}`), body: { title: 'Renamed' } }),
      expected: 404,
    },
  },
  'POST /api/v1/cases/:caseId/status': {
    cases: [
      caseRoute('a case', ['counselor'], 201, (id) => ({
        method: 'POST',
        url: api(`/cases/${id}/status`),
        body: { status: 'on_hold' },
      })),
    ],
    isolation: {
      slots: ['case'],
      build: ([id]) => ({ method: 'POST', url: api(`/cases/${id}/status`), body: { status: 'on_hold' } }),
      expected: 404,
    },
  },
  'GET /api/v1/cases/:caseId/status-history': {
    cases: [caseRoute('a case', 'members', 200, (id) => ({ method: 'GET', url: api(`/cases/${id}/status-history`) }))],
    isolation: {
      slots: ['case'],
      build: ([id]) => ({ method: 'GET', url: api(`/cases/${id}/status-history`) }),
      expected: 404,
    },
  },
  'POST /api/v1/cases/:caseId/participants': {
    cases: [
      caseRoute('a client the counselor registered', ['counselor'], 201, async (id, world, caller) => ({
        method: 'POST',
        url: api(`/cases/${id}/participants`),
        body: { clientId: await clientOf(world, caller), role: 'mutual' },
      })),
    ],
    isolation: {
      slots: ['case'],
      // The other id is random: the case alone decides (an own case with a foreign id is covered in cases e2e).
      build: ([caseId]) => ({
        method: 'POST',
        url: api(`/cases/${caseId}/participants`),
        body: { clientId: randomUUID(), role: 'mutual' },
      }),
      expected: 404,
    },
  },
  'PATCH /api/v1/cases/:caseId/participants/:clientId': {
    cases: [
      entry(
        "partner B's role",
        ['counselor'],
        200,
        async (world, caller) => {
          const fixture = await caseOf(world, caller);
          return {
            method: 'PATCH',
            url: api(`/cases/${fixture.caseId}/participants/${fixture.partnerBClientId}`),
            body: { role: 'mutual' },
          };
        },
        403,
      ),
    ],
    isolation: {
      slots: ['case'],
      // The other id is random: the case alone decides (an own case with a foreign id is covered in cases e2e).
      build: ([caseId]) => ({
        method: 'PATCH',
        url: api(`/cases/${caseId}/participants/${randomUUID()}`),
        body: { role: 'mutual' },
      }),
      expected: 404,
    },
  },
  'DELETE /api/v1/cases/:caseId/participants/:clientId': {
    cases: [
      entry(
        'partner B (unsigned)',
        ['counselor'],
        200,
        async (world, caller) => {
          const fixture = await caseOf(world, caller);
          return { method: 'DELETE', url: api(`/cases/${fixture.caseId}/participants/${fixture.partnerBClientId}`) };
        },
        403,
      ),
    ],
    isolation: {
      slots: ['case'],
      // The other id is random: the case alone decides (an own case with a foreign id is covered in cases e2e).
      build: ([caseId]) => ({ method: 'DELETE', url: api(`/cases/${caseId}/participants/${randomUUID()}`) }),
      expected: 404,
    },
  },
  'POST /api/v1/cases/:caseId/care-team': {
    cases: [
      caseRoute('a new counselor', ['clinic_admin', 'counselor'], 201, async (id, world, caller) => ({
        method: 'POST',
        url: api(`/cases/${id}/care-team`),
        body: { membershipId: (await world.member(clinicOf(world, caller).clinicId, ['counselor'])).membershipId },
      })),
    ],
    isolation: {
      slots: ['case'],
      // The other id is random: the case alone decides.
      build: ([caseId]) => ({
        method: 'POST',
        url: api(`/cases/${caseId}/care-team`),
        body: { membershipId: randomUUID() },
      }),
      expected: 404,
    },
  },
  'PUT /api/v1/cases/:caseId/care-team/:membershipId/primary': {
    cases: [
      caseRoute('the current primary (no change)', ['clinic_admin', 'counselor'], 200, (id, world, caller) => ({
        method: 'PUT',
        url: api(`/cases/${id}/care-team/${memberOf(clinicOf(world, caller).callers.counselor).membershipId}/primary`),
      })),
    ],
    isolation: {
      slots: ['case'],
      // The other id is random: the case alone decides.
      build: ([caseId]) => ({ method: 'PUT', url: api(`/cases/${caseId}/care-team/${randomUUID()}/primary`) }),
      expected: 404,
    },
  },
  'DELETE /api/v1/cases/:caseId/care-team/:membershipId': {
    cases: [
      caseRoute('a second care-team member', ['clinic_admin', 'counselor'], 200, async (id, world, caller) => {
        const clinicId = clinicOf(world, caller).clinicId;
        const member = await world.member(clinicId, ['counselor']);
        await world.api.app
          .get(UnitOfWork)
          .run(clinicId, (tx) =>
            tx.query('insert into case_care_team (clinic_id, case_id, membership_id) values ($1, $2, $3)', [
              clinicId,
              id,
              member.membershipId,
            ]),
          );
        return { method: 'DELETE', url: api(`/cases/${id}/care-team/${member.membershipId}`) };
      }),
    ],
    isolation: {
      slots: ['case'],
      // The other id is random: the case alone decides.
      build: ([caseId]) => ({ method: 'DELETE', url: api(`/cases/${caseId}/care-team/${randomUUID()}`) }),
      expected: 404,
    },
  },
  'PUT /api/v1/cases/:caseId/safety': {
    cases: [
      caseRoute('a hold', ['counselor'], 200, (id) => ({
        method: 'PUT',
        url: api(`/cases/${id}/safety`),
        body: { status: 'safety_hold', reason: 'Synthetic matrix reason' },
      })),
    ],
    isolation: {
      slots: ['case'],
      build: ([id]) => ({ method: 'PUT', url: api(`/cases/${id}/safety`), body: { status: 'normal' } }),
      expected: 404,
    },
  },
  'GET /api/v1/cases/:caseId/secrets-policy': {
    cases: [
      caseRoute(
        'a case (not the directory view)',
        ['supervisor', 'counselor', 'client'],
        200,
        (id) => ({
          method: 'GET',
          url: api(`/cases/${id}/secrets-policy`),
        }),
        NOT_IN_DIRECTORY,
      ),
    ],
    isolation: {
      slots: ['case'],
      build: ([id]) => ({ method: 'GET', url: api(`/cases/${id}/secrets-policy`) }),
      expected: 404,
    },
  },
  'PUT /api/v1/cases/:caseId/secrets-policy': {
    cases: [
      caseRoute(
        'a new version',
        ['counselor'],
        200,
        (id) => ({
          method: 'PUT',
          url: api(`/cases/${id}/secrets-policy`),
          body: { kind: 'no_secrets' },
        }),
        NOT_IN_DIRECTORY,
      ),
    ],
    isolation: {
      slots: ['case'],
      build: ([id]) => ({ method: 'PUT', url: api(`/cases/${id}/secrets-policy`), body: { kind: 'no_secrets' } }),
      expected: 404,
    },
  },
  'POST /api/v1/cases/:caseId/secrets-policy/signatures': {
    cases: [
      caseRoute(
        "the participant's own signature",
        ['client'],
        201,
        async (id, world, caller) => {
          const clinicId = clinicOf(world, caller).clinicId;
          await world.api.app.get(UnitOfWork).run(clinicId, async (tx) => {
            await tx.query(
              `insert into case_secrets_policies (clinic_id, case_id, version, kind, body) values ($1, $2, 1, 'custom', 'Synthetic policy.')`,
              [clinicId, id],
            );
            await tx.query('update cases set secrets_policy_version = 1 where clinic_id = $1 and id = $2', [
              clinicId,
              id,
            ]);
          });
          return {
            method: 'POST',
            url: api(`/cases/${id}/secrets-policy/signatures`),
            body: { version: 1, signedName: 'Synthetic Signer' },
          };
        },
        NOT_IN_DIRECTORY,
      ),
    ],
    isolation: {
      slots: ['case'],
      build: ([id]) => ({
        method: 'POST',
        url: api(`/cases/${id}/secrets-policy/signatures`),
        body: { version: 1, signedName: 'Synthetic Signer' },
      }),
      expected: 404,
    },
  },

  // ---- clinic settings: participant role labels ------------------------------------------------------
  'GET /api/v1/clinic/participant-role-labels': {
    cases: [
      entry('the labels', 'members', 200, () =>
        Promise.resolve({ method: 'GET', url: api('/clinic/participant-role-labels') }),
      ),
    ],
  },
  'PUT /api/v1/clinic/participant-role-labels': {
    cases: [
      entry(
        'new labels',
        ['clinic_admin'],
        200,
        () =>
          Promise.resolve({
            method: 'PUT',
            url: api('/clinic/participant-role-labels'),
            body: { harmed: 'Hurt partner' },
          }),
        403,
      ),
    ],
  },
};
