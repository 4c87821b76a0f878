import { AccessResourceLoader, caseViewerOf, type CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import {
  BoundaryEvents,
  changePhase,
  readPlan,
  SYSTEM_LEDGER_CLOCK,
  TrustLedger,
  writePlan,
  type CheckInStatus,
} from '@mend/repair-plans';

import { DEMO_CASE_ID, DEMO_CLIENT_IDS } from './demo-cases.js';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a day `daysAgo` before now, in London (the demo clients' timezone). */
function londonDay(now: Date, daysAgo: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(now.getTime() - daysAgo * DAY_MS),
  );
}

async function viewerFor(tx: TenantTransaction, membershipId: string): Promise<CaseViewer> {
  const loader = new AccessResourceLoader();
  const principal = await loader.memberPrincipal(tx, membershipId);
  const resource = await loader.case(tx, DEMO_CASE_ID);
  if (principal === null || resource === null) throw new Error('the demo case or its member is missing');
  return caseViewerOf(principal, resource);
}

/**
 * The demo couple case's repair work (synthetic), written through the same
 * services the API uses, so every row is valid and audited: a plan in phase P1
 * (breach assessment, goals, two commitments, a boundary with its consequence
 * and restorative response, needs, a contingency plan, a review date), three
 * weeks of trust-ledger check-ins recorded by each partner (with a few
 * confirmations and one dispute), and one boundary event whose restorative
 * response was completed. Skipped when the plan already exists.
 */
export async function seedDemoRepairWork(tx: TenantTransaction, members: ReadonlyMap<string, string>): Promise<void> {
  const counselor = await viewerFor(tx, members.get('counselor') as string);
  if ((await readPlan(tx, counselor)).revision > 0) return;
  const now = new Date();
  const jordan = DEMO_CLIENT_IDS.client1;
  const casey = DEMO_CLIENT_IDS.client2;
  const plan = await writePlan(tx, counselor, {
    mode: 'replace',
    expectedRevision: 0,
    changeNote: 'First plan after the intake sessions',
    content: {
      breachAssessment: [
        {
          aspect: 'what_happened',
          text: 'A months-long secret online relationship, discovered by Jordan on a shared tablet.',
          visibility: 'shared',
        },
        {
          aspect: 'why_it_mattered',
          text: 'Jordan had asked directly and was told nothing was going on; the denial hurt as much as the contact.',
          visibility: 'shared',
        },
        {
          aspect: 'lasting_change',
          text: 'Both want evenings that feel predictable again and a way to talk about it without it becoming a fight.',
          visibility: 'shared',
        },
      ],
      goals: [
        {
          title: 'Rebuild predictability in daily life',
          status: 'in_progress',
          objectives: [
            {
              description: 'Casey keeps the evening check-in',
              measure: 'check-ins kept per week (trust ledger)',
              target: '6 of 7',
              targetDate: null,
              status: 'open',
            },
          ],
        },
      ],
      commitments: [
        {
          participantClientIds: [casey],
          what: 'A ten-minute evening check-in about the day, phone on the table',
          cadence: 'daily',
          cadenceDetail: 'Around 21:00',
          verification: 'Jordan confirms in the trust ledger',
          startDate: null,
          endDate: null,
        },
        {
          participantClientIds: [jordan],
          what: 'Name a need calmly once a day instead of holding it in',
          cadence: 'daily',
          cadenceDetail: null,
          verification: 'Self-reported in the trust ledger',
          startDate: null,
          endDate: null,
        },
      ],
      boundaries: [
        {
          participantClientIds: [casey],
          description: 'No contact with the other person, in any channel',
          consequence: 'Casey tells Jordan within 24 hours and we bring it to the next session',
          restorativeResponse: 'Casey shows the message and blocks the account together with Jordan',
        },
      ],
      needs: [
        { clientId: jordan, text: 'To hear about plans before they change', visibility: 'shared' },
        { clientId: casey, text: 'Time to answer hard questions without being interrupted', visibility: 'shared' },
        { clientId: jordan, text: 'Space to grieve before deciding about the future', visibility: 'clinician' },
      ],
      contingencyPlans: [
        {
          trigger: 'A reminder of the affair (a place, a song) floods one of us',
          response: 'Say "pause", take twenty minutes apart, then come back to the check-in',
        },
      ],
      reviewDate: londonDay(new Date(now.getTime() + 28 * DAY_MS), 0),
    },
  });
  if (plan.revision !== 1) throw new Error('the demo plan was not written');
  await changePhase(tx, counselor, {
    toPhase: 'P1',
    reason: 'Safety screen clear; both agreed to the plan and the no-secrets policy',
  });
  const [commitmentCasey, commitmentJordan] = (await readPlan(tx, counselor)).content.commitments.map((c) => c.id);
  const [boundary] = (await readPlan(tx, counselor)).content.boundaries.map((b) => b.id);

  const ledger = new TrustLedger(SYSTEM_LEDGER_CLOCK);
  const asCasey = await viewerFor(tx, members.get('client2') as string);
  const asJordan = await viewerFor(tx, members.get('client1') as string);
  // Three weeks, oldest first: mostly kept, a few partly kept or missed (synthetic pattern).
  const caseyPattern: CheckInStatus[] = ['kept', 'kept', 'missed', 'kept', 'kept', 'partly_kept', 'kept'];
  const jordanPattern: CheckInStatus[] = ['kept', 'partly_kept', 'kept', 'kept', 'missed', 'kept', 'kept'];
  for (let daysAgo = 20; daysAgo >= 1; daysAgo -= 1) {
    const day = londonDay(now, daysAgo);
    const entry = await ledger.recordCheckIn(tx, asCasey, {
      commitmentId: commitmentCasey,
      status: caseyPattern[daysAgo % 7],
      occurredOn: day,
    });
    if (daysAgo % 3 === 0) {
      await ledger.respond(tx, asJordan, entry.id, {
        response: daysAgo === 6 ? 'disputed' : 'confirmed',
        note: daysAgo === 6 ? 'It was five minutes and the phone kept buzzing' : null,
      });
    }
    if (daysAgo % 2 === 0) {
      await ledger.recordCheckIn(tx, asJordan, {
        commitmentId: commitmentJordan,
        status: jordanPattern[daysAgo % 7],
        occurredOn: day,
      });
    }
  }
  const boundaries = new BoundaryEvents(SYSTEM_LEDGER_CLOCK);
  const event = await boundaries.record(tx, asCasey, {
    boundaryId: boundary,
    occurredAt: new Date(now.getTime() - 10 * DAY_MS),
    severity: 'moderate',
    restorativeResponse: 'Casey showed Jordan the message and blocked the account with them',
  });
  await boundaries.complete(tx, counselor, event.id, new Date(now.getTime() - 9 * DAY_MS));
}
