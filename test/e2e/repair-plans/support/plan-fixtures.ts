import type { LightMyRequestResponse } from 'fastify';

import { UnitOfWork } from '@mend/core';

import { JSON_HEADERS, type IdentityApp } from '../../auth/support/identity-app.js';
import type { CaseWorld } from '../../cases/support/case-world.js';

/** Today's date in the clinic's calendar (the test clinics keep the default UTC), shifted by `days`. */
export function day(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export const planUrl = (caseId: string, path = ''): string => `/api/v1/cases/${caseId}/plan${path}`;
export const readinessUrl = (caseId: string, path = ''): string =>
  `/api/v1/cases/${caseId}/readiness-assessments${path}`;

export function send(
  api: IdentityApp,
  method: 'GET' | 'PUT' | 'PATCH' | 'POST',
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  return api.inject({
    method,
    url,
    headers: body === undefined ? headers : { ...JSON_HEADERS, ...headers },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

/**
 * A full plan for the couple of a case world, with marker strings so a test can
 * look for any of them in an answer: partner A's need `CLIN-NEED-A` is
 * `clinician`, so is the breach item `CLIN-BREACH`; everything else is shared.
 */
export function fullPlan(world: CaseWorld) {
  const a = world.partnerA.clientId;
  const b = world.partnerB.clientId;
  return {
    breachAssessment: [
      { aspect: 'what_happened', text: 'SHARED-BREACH a synthetic account of the breach', visibility: 'shared' },
      { aspect: 'why_it_mattered', text: 'CLIN-BREACH the counselor formulation', visibility: 'clinician' },
    ],
    goals: [
      {
        title: 'Rebuild predictability',
        status: 'in_progress',
        objectives: [
          {
            description: 'Daily check-in kept',
            measure: 'check-ins kept per week',
            target: '6 of 7',
            targetDate: day(60),
            status: 'open',
          },
        ],
      },
    ],
    commitments: [
      {
        participantClientIds: [b],
        what: 'Share the calendar every evening',
        cadence: 'daily',
        cadenceDetail: 'after dinner',
        verification: 'Partner confirms in the ledger',
        startDate: day(0),
        endDate: day(90),
      },
    ],
    boundaries: [
      {
        participantClientIds: [b],
        description: 'No contact with the third party',
        consequence: 'Sleep apart for a night',
        restorativeResponse: 'Tell within 24 hours and talk it through in session',
      },
    ],
    needs: [
      { clientId: a, text: 'SHARED-NEED-A to be told the truth', visibility: 'shared' },
      { clientId: a, text: 'CLIN-NEED-A a need for the care team only', visibility: 'clinician' },
      { clientId: b, text: 'SHARED-NEED-B patience while I change', visibility: 'shared' },
    ],
    contingencyPlans: [{ trigger: 'A slip-up happens', response: 'Use the pause signal and book a session' }],
    reviewDate: day(30),
  };
}

/** Puts the case on a safety hold (or clears it) straight in the table: a fixture, the cases API is tested elsewhere. */
export async function setSafetyHold(api: IdentityApp, world: CaseWorld, onHold: boolean): Promise<void> {
  await api.app
    .get(UnitOfWork)
    .run(world.clinicId, (tx) =>
      tx.query(`update cases set safety_status = $3, safety_reason = $4 where clinic_id = $1 and id = $2`, [
        world.clinicId,
        world.caseId,
        onHold ? 'safety_hold' : 'normal',
        onHold ? 'synthetic reason' : null,
      ]),
    );
}
