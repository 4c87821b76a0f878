import { randomUUID } from 'node:crypto';

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
 * Reminder routes (issue 7): the clinic's reminder defaults (members read,
 * admins change), a client's reminder preferences (like the client's own
 * preferences: admins, the care team and the client themself change them; the
 * supervisor sees but may not change), and the admins' failed-reminder list and retry.
 */
const api = (path: string) => `/api/v1${path}`;
const clinicOf = (world: AuthorizationWorld, caller: Caller): ClinicFixtures => caller.clinic ?? world.clinics.A;

/** A reminder of the caller's clinic (to the clinic's counselor) that failed every attempt. */
async function failedReminder(world: AuthorizationWorld, caller: Caller): Promise<string> {
  const clinic = clinicOf(world, caller);
  const id = randomUUID();
  const counselor = memberOf(clinic.callers.counselor).membershipId;
  await world.api.app.get(UnitOfWork).run(clinic.clinicId, (tx) =>
    tx.query(
      `insert into reminders (clinic_id, id, category, recipient_membership_id, source_type, source_id, occurrence_key,
                              dedupe_key, channels, due_at, fire_at, status, failed_at, attempts, last_error)
       values ($1, $2, 'note_unsigned', $3, 'membership', $3, '2026-05-01', $4, '{in_app}', now(), now(), 'failed', now(), 8,
               'ECONNREFUSED')`,
      [clinic.clinicId, id, counselor, `matrix|${id}`],
    ),
  );
  return id;
}

const adminsOnly = (name: string, build: MatrixCase['build'], success = 200): MatrixCase => ({
  name,
  allow: ['clinic_admin'],
  success,
  denied: 403,
  build,
});

const preferencesBody = { preferences: [{ category: 'check_in', localTime: '19:30' }] };

export const REMINDERS_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  'GET /api/v1/clinic/reminder-settings': {
    cases: [
      {
        name: "the clinic's reminder defaults",
        allow: 'members',
        success: 200,
        build: () => Promise.resolve({ method: 'GET', url: api('/clinic/reminder-settings') }),
      },
    ],
  },
  'PUT /api/v1/clinic/reminder-settings': {
    cases: [
      adminsOnly("the clinic's reminder defaults", () =>
        Promise.resolve({
          method: 'PUT',
          url: api('/clinic/reminder-settings'),
          body: { quietHours: { start: '21:30', end: '07:30' } },
        }),
      ),
    ],
  },
  'GET /api/v1/clients/:clientId/reminder-preferences': {
    cases: [
      {
        name: "a partner's reminder preferences (the client caller's own)",
        allow: 'members',
        success: 200,
        build: async (world, caller) => {
          const fixture = await world.couple(clinicOf(world, caller));
          return { method: 'GET', url: api(`/clients/${fixture.partnerAClientId}/reminder-preferences`) };
        },
      },
    ],
    isolation: {
      slots: ['client'],
      build: ([id]) => ({ method: 'GET', url: api(`/clients/${id}/reminder-preferences`) }),
      expected: 404,
    },
  },
  'PUT /api/v1/clients/:clientId/reminder-preferences': {
    cases: [
      {
        name: "a partner's reminder preferences (the client caller's own)",
        allow: ['clinic_admin', 'counselor', 'client'],
        success: 200,
        // The supervisor of the care team sees the client but does not change them.
        denied: 403,
        build: async (world, caller): Promise<RequestSpec> => {
          const fixture = await world.couple(clinicOf(world, caller));
          return {
            method: 'PUT',
            url: api(`/clients/${fixture.partnerAClientId}/reminder-preferences`),
            body: preferencesBody,
          };
        },
      },
    ],
    isolation: {
      slots: ['client'],
      build: ([id]) => ({ method: 'PUT', url: api(`/clients/${id}/reminder-preferences`), body: preferencesBody }),
      expected: 404,
    },
  },
  'GET /api/v1/reminders/failed': {
    cases: [
      adminsOnly('the failed reminders', () => Promise.resolve({ method: 'GET', url: api('/reminders/failed') })),
    ],
  },
  'POST /api/v1/reminders/:reminderId/retry': {
    cases: [
      adminsOnly('a failed reminder of the clinic', async (world, caller) => ({
        method: 'POST',
        url: api(`/reminders/${await failedReminder(world, caller)}/retry`),
      })),
    ],
  },
};
