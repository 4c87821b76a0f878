import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '@mend/core';
import { DisclosureLog } from '@mend/repair-plans';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { freshCase, sampleAnswers, sender, textField, type Send } from '../homework/support/homework-fixtures.js';

/** 2026-06-03 12:00 UTC: 13:00 the same day in London (BST), the partners' timezone. */
const NOW = new Date('2026-06-03T12:00:00Z');
const once = { kind: 'once', dueOn: '2026-06-05' };
const TIER_1_TEXT = 'I want to kill myself.';

interface Occurrence {
  id: string;
  clientId: string;
}
interface SafetyBody {
  level: string;
  message: string;
  stopFlow: boolean;
  crisisResources: { country: string; needsLocalVerification: boolean; resources: { contact: string }[] };
}
interface CheckIn {
  id: string;
  clientId: string;
  status: string;
  questions: { id: string; kind: string }[];
}

/**
 * The rest of issue 6: the client safety response of a homework submission, the
 * private check-in re-offered at phase transitions, and what a safety hold suspends
 * (shared and reveal homework, partner notifications) without revealing why.
 */
describe('safety: homework response, re-screening and the hold (e2e)', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  let send: Send;

  const assign = async (caseId: string, body: Record<string, unknown>): Promise<{ occurrences: Occurrence[] }> => {
    const response = await send('POST', `/api/v1/cases/${caseId}/assignments`, world.counselor.headers, body);
    if (response.statusCode !== 201) throw new Error(`assign answered ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const occurrenceUrl = (caseId: string, id: string, rest = '') => `/api/v1/cases/${caseId}/occurrences/${id}${rest}`;
  const unread = async (headers: Record<string, string>) =>
    (await send('GET', '/api/v1/notifications/unread-count', headers)).json<{ unread: number }>().unread;
  const checkIns = async (caseId: string, headers: Record<string, string>) =>
    (await send('GET', `/api/v1/cases/${caseId}/safety-check-ins`, headers)).json<{ checkIns: CheckIn[] }>().checkIns;
  const changePhase = async (caseId: string, toPhase: string) => {
    const response = await send('POST', `/api/v1/cases/${caseId}/plan/phase`, world.counselor.headers, {
      toPhase,
      reason: 'Synthetic phase reason',
    });
    expect(response.statusCode).toBe(201);
  };
  const outboxJobs = (caseSubmissionId: string) =>
    api.app
      .get(UnitOfWork)
      .run(world.clinicId, (tx) =>
        tx.query<{ job_name: string }>(
          `select job_name from outbox where clinic_id = $1 and payload ->> 'submissionId' = $2`,
          [tx.clinicId, caseSubmissionId],
        ),
      );

  beforeAll(async () => {
    api = await startIdentityApp();
    api.clock.set(NOW);
    world = await createCaseWorld(api);
    send = sender(api);
  });
  afterAll(() => api.close());

  describe('homework submission', () => {
    it('a tier-1 free-text answer shows the author the crisis resources at once; the alert still goes through the queue', async () => {
      const caseId = await freshCase(api, world);
      const { occurrences } = await assign(caseId, {
        exerciseRef: 'E03',
        recipients: [{ clientId: world.partnerB.clientId }],
        schedule: once,
      });
      const { key } = textField('E03');
      const answers = { ...sampleAnswers('E03'), [key]: `Synthetic start. ${TIER_1_TEXT} Synthetic end.` };
      const submitted = await send(
        'POST',
        occurrenceUrl(caseId, occurrences[0].id, '/submit'),
        world.partnerB.headers,
        { answers },
      );
      expect(submitted.statusCode).toBe(200);
      const body = submitted.json<{ safety: SafetyBody | null; submission: { id: string }; answers: unknown }>();
      expect(body.answers).toEqual(answers);
      expect(body.safety).toMatchObject({ level: 'immediate', stopFlow: true });
      expect(body.safety?.message).toMatch(/not monitored around the clock/);
      // London timezone: the UK list, marked as needing local verification.
      expect(body.safety?.crisisResources).toMatchObject({ country: 'GB', needsLocalVerification: true });
      expect(body.safety?.crisisResources.resources.map((resource) => resource.contact)).toContain('999');
      expect(JSON.stringify(body.safety)).not.toMatch(/kill|rule|tier|SUI-/i);
      // The alert is raised by the safety worker from the outbox job of this very submission.
      expect((await outboxJobs(body.submission.id)).map((row) => row.job_name)).toEqual(['safety.scan-submission']);
      // Nothing reaches the partner: the item stays invisible (404) and no notification was written.
      expect((await send('GET', occurrenceUrl(caseId, occurrences[0].id), world.partnerA.headers)).statusCode).toBe(
        404,
      );
      expect(await unread(world.partnerA.headers)).toBe(0);
    });

    it('an ordinary answer carries no safety response', async () => {
      const caseId = await freshCase(api, world);
      const { occurrences } = await assign(caseId, {
        exerciseRef: 'E03',
        recipients: [{ clientId: world.partnerB.clientId }],
        schedule: once,
      });
      const submitted = await send(
        'POST',
        occurrenceUrl(caseId, occurrences[0].id, '/submit'),
        world.partnerB.headers,
        { answers: sampleAnswers('E03') },
      );
      expect(submitted.statusCode).toBe(200);
      expect(submitted.json<{ safety: unknown }>().safety).toBeNull();
    });

    it('scans the saved draft when the submit request carries no answers', async () => {
      const caseId = await freshCase(api, world);
      const { occurrences } = await assign(caseId, {
        exerciseRef: 'E03',
        recipients: [{ clientId: world.partnerB.clientId }],
        schedule: once,
      });
      const { key } = textField('E03');
      const url = occurrenceUrl(caseId, occurrences[0].id);
      const draft = await send('PUT', `${url}/draft`, world.partnerB.headers, {
        version: 0,
        answers: { ...sampleAnswers('E03'), [key]: TIER_1_TEXT },
      });
      expect(draft.statusCode).toBe(200);
      const submitted = await send('POST', `${url}/submit`, world.partnerB.headers, {});
      expect(submitted.json<{ safety: SafetyBody | null }>().safety?.level).toBe('immediate');
    });
  });

  describe('re-screening at phase transitions', () => {
    it('offers each participant a new private check-in unless one of theirs is open', async () => {
      const caseId = await freshCase(api, world);
      expect(await checkIns(caseId, world.counselor.headers)).toEqual([]);
      await changePhase(caseId, 'P1');
      const first = await checkIns(caseId, world.counselor.headers);
      expect(first.map((checkIn) => [checkIn.clientId, checkIn.status]).sort()).toEqual(
        [
          [world.partnerA.clientId, 'offered'],
          [world.partnerB.clientId, 'offered'],
        ].sort(),
      );
      // Each partner sees only their own.
      const mineA = await checkIns(caseId, world.partnerA.headers);
      expect(mineA.map((checkIn) => checkIn.clientId)).toEqual([world.partnerA.clientId]);
      expect((await checkIns(caseId, world.partnerB.headers)).map((checkIn) => checkIn.clientId)).toEqual([
        world.partnerB.clientId,
      ]);
      // Both still open: the next transition offers nothing new.
      await changePhase(caseId, 'P2');
      expect(await checkIns(caseId, world.counselor.headers)).toHaveLength(2);
      // Partner A answers theirs (all "no"); the next transition re-offers A only.
      const answers = Object.fromEntries(
        mineA[0].questions.filter((question) => question.kind === 'yes_no').map((question) => [question.id, false]),
      );
      const answered = await send(
        'POST',
        `/api/v1/cases/${caseId}/safety-check-ins/${mineA[0].id}/responses`,
        world.partnerA.headers,
        { answers },
      );
      expect(answered.statusCode).toBe(201);
      await changePhase(caseId, 'P1');
      const after = await checkIns(caseId, world.counselor.headers);
      expect(after).toHaveLength(3);
      expect(
        after
          .filter((checkIn) => checkIn.status === 'offered')
          .map((checkIn) => checkIn.clientId)
          .sort(),
      ).toEqual([world.partnerA.clientId, world.partnerB.clientId].sort());
      const audit = await api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
        tx.query<{ count: number }>(
          `select count(*)::int as count from audit_events
              where action = 'safety_check_in.offer' and metadata ->> 'caseId' = $1
                and metadata ->> 'occasion' = 'phase_transition'`,
          [caseId],
        ),
      );
      expect(audit[0].count).toBe(3);
    });
  });

  describe('safety hold', () => {
    it('suspends shared and reveal homework with one neutral message, and partner notifications, revealing nothing', async () => {
      const caseId = await freshCase(api, world);
      const shared = await assign(caseId, {
        exerciseRef: 'E07',
        recipients: [{ clientId: world.partnerA.clientId }],
        schedule: once,
      });
      const reveal = await assign(caseId, {
        exerciseRef: 'E08',
        recipients: [{ clientId: world.partnerA.clientId }, { clientId: world.partnerB.clientId }],
        schedule: once,
      });
      const revealOf = (clientId: string) => reveal.occurrences.find((occurrence) => occurrence.clientId === clientId)!;
      const revealA = revealOf(world.partnerA.clientId);
      const revealB = revealOf(world.partnerB.clientId);
      const submitA = await send('POST', occurrenceUrl(caseId, revealA.id, '/submit'), world.partnerA.headers, {
        answers: sampleAnswers('E08'),
      });
      expect(submitA.statusCode).toBe(200);

      // A tier-1 alert (raised by hand) and a tier-2 one (B's check-in "yes") suggest the hold; tier 3 does not.
      const alertsBefore = await send('POST', `/api/v1/cases/${caseId}/safety-alerts`, world.counselor.headers, {
        tier: 1,
        subjectClientId: world.partnerA.clientId,
        reason: 'Synthetic manual reason',
      });
      expect(alertsBefore.statusCode).toBe(201);
      expect(alertsBefore.json<{ suggestSafetyHold: boolean }>().suggestSafetyHold).toBe(true);
      const offered = await send('POST', `/api/v1/cases/${caseId}/safety-check-ins`, world.counselor.headers, {
        clientId: world.partnerB.clientId,
      });
      const checkIn = offered.json<CheckIn>();
      const yes = Object.fromEntries(
        checkIn.questions.filter((question) => question.kind === 'yes_no').map((question) => [question.id, true]),
      );
      expect(
        (
          await send(
            'POST',
            `/api/v1/cases/${caseId}/safety-check-ins/${checkIn.id}/responses`,
            world.partnerB.headers,
            {
              answers: yes,
            },
          )
        ).statusCode,
      ).toBe(201);
      const tier3 = await send('POST', `/api/v1/cases/${caseId}/safety-alerts`, world.counselor.headers, { tier: 3 });
      const alerts = (await send('GET', `/api/v1/cases/${caseId}/safety-alerts`, world.counselor.headers)).json<{
        alerts: { id: string; tier: number; suggestSafetyHold: boolean }[];
      }>().alerts;
      expect(alerts.map((alert) => [alert.tier, alert.suggestSafetyHold]).sort()).toEqual([
        [1, true],
        [2, true],
        [3, false],
      ]);
      expect(alerts.find((alert) => alert.tier === 3)?.id).toBe(tier3.json<{ id: string }>().id);

      // Notifications reach a participant before the hold …
      const disclose = () =>
        api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
          api.app.get(DisclosureLog).record(tx, {
            caseId,
            itemType: 'plan.need',
            itemId: randomUUID(),
            authorClientId: world.partnerA.clientId,
            disclosedByMembershipId: world.counselor.member.membershipId,
            mode: 'shared_by_care_team',
          }),
        );
      const unreadBefore = await unread(world.partnerA.headers);
      await disclose();
      expect(await unread(world.partnerA.headers)).toBe(unreadBefore + 1);

      const hold = await send('PUT', `/api/v1/cases/${caseId}/safety`, world.counselor.headers, {
        status: 'safety_hold',
        reason: 'Synthetic hold reason',
      });
      expect(hold.statusCode).toBe(200);

      // … and not during it: the disclosure is logged, the participant is not notified.
      const countsA = await unread(world.partnerA.headers);
      const countsB = await unread(world.partnerB.headers);
      const during = await disclose();
      expect(await unread(world.partnerA.headers)).toBe(countsA);
      expect(await unread(world.partnerB.headers)).toBe(countsB);
      const notificationRows = await api.app
        .get(UnitOfWork)
        .run(world.clinicId, (tx) =>
          tx.query<{ count: number }>(
            `select count(*)::int as count from notifications where clinic_id = $1 and subject_id = $2`,
            [tx.clinicId, during.id],
          ),
        );
      expect(notificationRows[0].count).toBe(0);
      // Staff still are: a new alert during the hold still suggests it and is listed for the care team.
      const duringAlert = await send('POST', `/api/v1/cases/${caseId}/safety-alerts`, world.counselor.headers, {
        tier: 2,
      });
      expect(duringAlert.json<{ suggestSafetyHold: boolean }>().suggestSafetyHold).toBe(true);

      // Shared and reveal homework: one neutral answer, the same for both partners and every item.
      const neutral: string[] = [];
      for (const [occurrenceId, headers] of [
        [shared.occurrences[0].id, world.partnerA.headers],
        [shared.occurrences[0].id, world.partnerB.headers],
        [revealA.id, world.partnerA.headers],
        [revealB.id, world.partnerB.headers],
      ] as const) {
        const response = await send('GET', occurrenceUrl(caseId, occurrenceId), headers);
        expect(response.statusCode).toBe(409);
        neutral.push(response.body);
      }
      const submitB = await send('POST', occurrenceUrl(caseId, revealB.id, '/submit'), world.partnerB.headers, {
        answers: sampleAnswers('E08'),
      });
      expect(submitB.statusCode).toBe(409);
      neutral.push(submitB.body);
      const [first] = neutral;
      expect(JSON.parse(first)).toMatchObject({ code: 'shared_space_paused' });
      const stable = (body: string) => {
        const { correlationId: _id, instance: _url, ...rest } = JSON.parse(body) as Record<string, unknown>;
        return rest;
      };
      for (const body of neutral) expect(stable(body)).toEqual(stable(first));
      expect(first).not.toMatch(/alert|risk|safety_hold|reason|Synthetic|tier|check-in/i);

      // The case view and the notification list tell both partners the same thing, and nothing about why.
      const caseViews = await Promise.all(
        [world.partnerA.headers, world.partnerB.headers].map(async (headers) =>
          JSON.stringify((await send('GET', `/api/v1/cases/${caseId}`, headers)).json()),
        ),
      );
      for (const view of caseViews) expect(view).not.toMatch(/Synthetic hold reason|alert|risk|check_in/i);
      for (const partner of [world.partnerA, world.partnerB]) {
        const list = await send('GET', '/api/v1/notifications?limit=100', partner.headers);
        expect(list.body).not.toMatch(/safety|alert/i);
      }

      // Lifted: notifications resume.
      const lifted = await send('PUT', `/api/v1/cases/${caseId}/safety`, world.counselor.headers, { status: 'normal' });
      expect(lifted.statusCode).toBe(200);
      await disclose();
      expect(await unread(world.partnerA.headers)).toBe(countsA + 1);
    });
  });
});
