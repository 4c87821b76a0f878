import { connectAs } from '@mend/testing';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { day, fullPlan, planUrl, send, setSafetyHold } from './support/plan-fixtures.js';

interface Item {
  id: string;
}

interface Plan {
  revision: number;
  phase: string;
  content: {
    breachAssessment: (Item & { text: string; visibility: string })[];
    goals: (Item & { title: string; objectives: Item[] })[];
    commitments: (Item & { what: string; cadence: string })[];
    boundaries: Item[];
    needs: (Item & { text: string; visibility: string; clientId: string; proposedByClientId: string | null })[];
    contingencyPlans: Item[];
    reviewDate: string | null;
  };
}

/** The repair plan: revisions, diff, the rules on input, optimistic concurrency, phases, participants' part. */
describe('repair plan', () => {
  let api: IdentityApp;
  let world: CaseWorld;

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
  });
  afterAll(() => api.close());

  const counselor = () => world.counselor.headers;
  const current = async (headers = counselor()): Promise<Plan> => {
    const response = await send(api, 'GET', planUrl(world.caseId), headers);
    expect(response.statusCode).toBe(200);
    return response.json<Plan>();
  };

  describe('revisions and diff', () => {
    it('starts at revision 0, then every write makes a new immutable revision readable later, with a structured diff', async () => {
      const empty = await current();
      expect(empty).toMatchObject({ revision: 0, phase: 'P0', content: { goals: [], reviewDate: null } });

      const created = await send(api, 'PUT', planUrl(world.caseId), counselor(), {
        expectedRevision: 0,
        changeNote: 'First plan after intake',
        content: fullPlan(world),
      });
      expect(created.statusCode).toBe(200);
      const first = created.json<Plan>();
      expect(first.revision).toBe(1);
      expect(first.content.commitments[0].id).toMatch(/^[0-9a-f-]{36}$/);
      expect(first.content.needs).toHaveLength(3);

      // PATCH one section: change a commitment, drop the contingency plan, add a goal; the rest stays.
      const commitment = { ...fullPlan(world).commitments[0], id: first.content.commitments[0].id, cadence: 'weekly' };
      const patched = await send(api, 'PATCH', planUrl(world.caseId), counselor(), {
        expectedRevision: 1,
        content: {
          commitments: [commitment],
          contingencyPlans: [],
          goals: [
            { ...first.content.goals[0] },
            { title: 'Understand the context', status: 'not_started', objectives: [] },
          ],
        },
      });
      expect(patched.statusCode).toBe(200);
      const second = patched.json<Plan>();
      expect(second.revision).toBe(2);
      expect(second.content.commitments[0]).toMatchObject({ id: commitment.id, cadence: 'weekly' });
      expect(second.content.needs).toEqual(first.content.needs);
      expect(second.content.goals[0].id).toBe(first.content.goals[0].id);
      expect(second.content.goals[0].objectives[0].id).toBe(first.content.goals[0].objectives[0].id);

      const revisions = await send(api, 'GET', planUrl(world.caseId, '/revisions'), counselor());
      expect(revisions.json()).toEqual([
        expect.objectContaining({
          revision: 1,
          authorMembershipId: world.counselor.member.membershipId,
          changeNote: 'First plan after intake',
        }),
        expect.objectContaining({ revision: 2, changeNote: null }),
      ]);
      const old = await send(api, 'GET', planUrl(world.caseId, '/revisions/1'), counselor());
      expect(old.statusCode).toBe(200);
      expect(old.json<Plan>().content.contingencyPlans).toHaveLength(1);
      expect(old.json<Plan>().content.commitments[0]).toMatchObject({ cadence: 'daily' });

      const diff = await send(api, 'GET', planUrl(world.caseId, '/diff?from=1&to=2'), counselor());
      expect(diff.statusCode).toBe(200);
      const body = diff.json<{
        from: number;
        to: number;
        changeCount: number;
        reviewDate: unknown;
        sections: Record<string, { added: { id: string }[]; removed: { id: string }[]; changed: unknown[] }>;
      }>();
      expect(body).toMatchObject({ from: 1, to: 2, changeCount: 3, reviewDate: null });
      expect(body.sections.commitments.changed).toEqual([
        { id: commitment.id, fields: ['cadence'], before: { cadence: 'daily' }, after: { cadence: 'weekly' } },
      ]);
      expect(body.sections.contingencyPlans.removed).toEqual([first.content.contingencyPlans[0]]);
      expect(body.sections.goals.added).toEqual([expect.objectContaining({ title: 'Understand the context' })]);
      expect(body.sections.needs).toEqual({ added: [], removed: [], changed: [] });

      const fromEmpty = await send(api, 'GET', planUrl(world.caseId, '/diff?from=0&to=1'), counselor());
      expect(fromEmpty.json<{ sections: { needs: { added: unknown[] } } }>().sections.needs.added).toHaveLength(3);
      expect((await send(api, 'GET', planUrl(world.caseId, '/revisions/9'), counselor())).statusCode).toBe(404);
      const backwards = await send(api, 'GET', planUrl(world.caseId, '/diff?from=2&to=1'), counselor());
      expect(backwards.statusCode).toBe(422);
      expect(backwards.json()).toMatchObject({ errors: [{ field: 'from', rule: 'before_to' }] });
    });
  });

  describe('optimistic concurrency', () => {
    it('answers a stale write 409 with the current revision and writes nothing', async () => {
      const before = await current();
      const stale = await send(api, 'PATCH', planUrl(world.caseId), counselor(), {
        expectedRevision: before.revision - 1,
        content: { contingencyPlans: [] },
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({
        code: 'plan_revision_conflict',
        errors: [{ field: 'expectedRevision', rule: 'stale', message: `current revision: ${before.revision}` }],
      });
      expect((await current()).revision).toBe(before.revision);
    });

    it('lets exactly one of several concurrent writers of the same revision win; the others get 409', async () => {
      const before = await current();
      const writers = Array.from({ length: 5 }, (_, index) =>
        send(api, 'PATCH', planUrl(world.caseId), counselor(), {
          expectedRevision: before.revision,
          content: { contingencyPlans: [{ trigger: `Writer ${index}`, response: 'Pause and call' }] },
        }),
      );
      const answers = await Promise.all(writers);
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
      const after = await current();
      expect(after.revision).toBe(before.revision + 1);
      const winner = answers.find((answer) => answer.statusCode === 200)?.json<Plan>();
      expect(after.content.contingencyPlans).toEqual(winner?.content.contingencyPlans);
      for (const loser of answers.filter((answer) => answer.statusCode === 409)) {
        expect(loser.json()).toMatchObject({ errors: [{ message: `current revision: ${after.revision}` }] });
      }
    });

    it('lets exactly one of two concurrent first writers create the plan', async () => {
      const fresh = await createCaseWorld(api);
      const answers = await Promise.all(
        [0, 1].map(() =>
          send(api, 'PUT', planUrl(fresh.caseId), fresh.counselor.headers, {
            expectedRevision: 0,
            content: fullPlan(fresh),
          }),
        ),
      );
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
      const revisions = await send(api, 'GET', planUrl(fresh.caseId, '/revisions'), fresh.counselor.headers);
      expect(revisions.json()).toHaveLength(1);
    });
  });

  describe('bad input', () => {
    it('answers 400 naming the field and the rule', async () => {
      const plan = fullPlan(world);
      const answer = await send(api, 'PUT', planUrl(world.caseId), counselor(), {
        content: {
          ...plan,
          needs: [{ ...plan.needs[0], visibility: 'private' }],
          commitments: [{ ...plan.commitments[0], cadence: 'hourly', participantClientIds: [] }],
          reviewDate: '2026-02-30',
        },
      });
      expect(answer.statusCode).toBe(400);
      const errors = answer.json<{ errors: { field: string; rule: string }[] }>().errors;
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'expectedRevision', rule: 'isInt' }),
          expect.objectContaining({ field: 'content.needs[0].visibility', rule: 'isIn' }),
          expect.objectContaining({ field: 'content.commitments[0].cadence', rule: 'isIn' }),
          expect.objectContaining({ field: 'content.commitments[0].participantClientIds', rule: 'arrayMinSize' }),
          expect.objectContaining({ field: 'content.reviewDate', rule: 'isIso8601' }),
        ]),
      );
      const unknownField = await send(api, 'PATCH', planUrl(world.caseId), counselor(), {
        expectedRevision: 1,
        content: { phase: 'P3' },
      });
      expect(unknownField.statusCode).toBe(400);
      expect(unknownField.json()).toMatchObject({ errors: [{ field: 'content.phase', rule: 'whitelistValidation' }] });
      const badPhase = await send(api, 'POST', planUrl(world.caseId, '/phase'), counselor(), { toPhase: 'P5' });
      expect(badPhase.json<{ errors: { field: string; rule: string }[] }>().errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'toPhase', rule: 'isIn' }),
          expect.objectContaining({ field: 'reason', rule: 'isString' }),
        ]),
      );
      expect((await send(api, 'GET', planUrl(world.caseId, '/diff?from=a&to=1'), counselor())).statusCode).toBe(400);
    });

    it('answers 422 for rules a DTO cannot check, naming each field, and writes nothing', async () => {
      const before = await current();
      const plan = fullPlan(world);
      const answer = await send(api, 'PUT', planUrl(world.caseId), counselor(), {
        expectedRevision: before.revision,
        content: {
          ...plan,
          goals: [
            {
              ...plan.goals[0],
              objectives: [{ ...plan.goals[0].objectives[0], targetDate: day(-400) }],
            },
          ],
          commitments: [
            { ...plan.commitments[0], startDate: day(20), endDate: day(10) },
            { ...plan.commitments[0], id: '00000000-0000-4000-8000-000000000000' },
          ],
          needs: [{ ...plan.needs[0], clientId: world.otherCounselor.member.membershipId }],
          boundaries: [{ ...plan.boundaries[0], participantClientIds: [world.clinicId] }],
          reviewDate: day(-1),
        },
      });
      expect(answer.statusCode).toBe(422);
      expect(answer.json()).toMatchObject({ code: 'plan_rule_violated' });
      expect(answer.json<{ errors: { field: string; rule: string }[] }>().errors.map((e) => [e.field, e.rule])).toEqual(
        expect.arrayContaining([
          ['goals[0].objectives[0].targetDate', 'before_plan_start'],
          ['commitments[0].endDate', 'not_before_start'],
          ['commitments[1].id', 'unknown_id'],
          ['needs[0].clientId', 'not_a_participant'],
          ['boundaries[0].participantClientIds[0]', 'not_a_participant'],
          ['reviewDate', 'not_in_past'],
        ]),
      );
      expect(answer.body).not.toContain('synthetic');
      expect((await current()).revision).toBe(before.revision);
    });

    it('refuses an id used twice in the plan', async () => {
      const before = await current();
      const commitment = before.content.commitments[0];
      const answer = await send(api, 'PATCH', planUrl(world.caseId), counselor(), {
        expectedRevision: before.revision,
        content: { commitments: [commitment, commitment] },
      });
      expect(answer.statusCode).toBe(422);
      expect(answer.json()).toMatchObject({ errors: [{ field: 'commitments[1].id', rule: 'duplicate_id' }] });
    });
  });

  describe('phase', () => {
    it('moves freely in both directions, dated, with a reason the participants do not see', async () => {
      const forward = await send(api, 'POST', planUrl(world.caseId, '/phase'), counselor(), {
        toPhase: 'P2',
        reason: 'Stable enough to explore the context',
      });
      expect(forward.statusCode).toBe(201);
      const back = await send(api, 'POST', planUrl(world.caseId, '/phase'), counselor(), {
        toPhase: 'P1',
        reason: 'A trigger brought the couple back to stabilising',
      });
      expect(back.statusCode).toBe(201);
      expect(back.json()).toMatchObject({ fromPhase: 'P2', toPhase: 'P1' });
      expect((await current()).phase).toBe('P1');
      const same = await send(api, 'POST', planUrl(world.caseId, '/phase'), counselor(), {
        toPhase: 'P1',
        reason: 'x',
      });
      expect(same.statusCode).toBe(422);
      expect(same.json()).toMatchObject({ code: 'plan_phase_unchanged', errors: [{ field: 'toPhase' }] });

      const careTeamView = await send(api, 'GET', planUrl(world.caseId, '/phase-changes'), counselor());
      expect(careTeamView.json()).toEqual([
        expect.objectContaining({ fromPhase: 'P0', toPhase: 'P2', reason: 'Stable enough to explore the context' }),
        expect.objectContaining({ fromPhase: 'P2', toPhase: 'P1' }),
      ]);
      const partnerView = await send(api, 'GET', planUrl(world.caseId, '/phase-changes'), world.partnerB.headers);
      expect(partnerView.json()).toEqual([
        expect.objectContaining({ toPhase: 'P2', reason: null }),
        expect.objectContaining({ toPhase: 'P1', reason: null }),
      ]);
      const byPartner = await send(api, 'POST', planUrl(world.caseId, '/phase'), world.partnerA.headers, {
        toPhase: 'P3',
        reason: 'I feel ready',
      });
      expect(byPartner.statusCode).toBe(403);
      const bySupervisor = await send(api, 'POST', planUrl(world.caseId, '/phase'), world.supervisor.headers, {
        toPhase: 'P3',
        reason: 'x',
      });
      expect(bySupervisor.statusCode).toBe(403);
    });
  });

  describe("participants' own needs", () => {
    it('lets a participant propose needs seen by them and the care team until the counselor shares one', async () => {
      const before = await current(world.partnerA.headers);
      const proposed = await send(api, 'PUT', planUrl(world.caseId, '/my-needs'), world.partnerA.headers, {
        expectedRevision: before.revision,
        needs: [{ text: 'PROPOSED-A reassurance at night' }],
      });
      expect(proposed.statusCode).toBe(200);
      const mine = proposed.json<Plan>().content.needs.find((need) => need.text.startsWith('PROPOSED-A'));
      expect(mine).toMatchObject({
        visibility: 'clinician',
        clientId: world.partnerA.clientId,
        proposedByClientId: world.partnerA.clientId,
      });
      expect(JSON.stringify(await current(world.partnerB.headers))).not.toContain('PROPOSED-A');
      const careTeam = await current();
      const seenByCounselor = careTeam.content.needs.find((need) => need.id === mine?.id);
      expect(seenByCounselor).toBeDefined();

      // The counselor shares it (keeping who proposed it); now partner B sees it.
      const shared = await send(api, 'PATCH', planUrl(world.caseId), counselor(), {
        expectedRevision: careTeam.revision,
        content: {
          needs: careTeam.content.needs.map(({ proposedByClientId: _p, ...need }) =>
            need.id === mine?.id ? { ...need, visibility: 'shared' } : need,
          ),
        },
      });
      expect(shared.statusCode).toBe(200);
      const partnerB = await current(world.partnerB.headers);
      expect(partnerB.content.needs.find((need) => need.id === mine?.id)).toMatchObject({
        visibility: 'shared',
        proposedByClientId: world.partnerA.clientId,
      });

      // Sharing partner A's own words is a disclosure: logged, and A (only A) is told in-app.
      const disclosures = await send(api, 'GET', `/api/v1/cases/${world.caseId}/disclosures`, counselor());
      expect(
        disclosures.json<{ disclosures: { itemType: string; itemId: string; mode: string }[] }>().disclosures,
      ).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ itemType: 'plan.need', itemId: mine?.id, mode: 'shared_by_care_team' }),
        ]),
      );
      const unread = async (headers: Record<string, string>) =>
        (await send(api, 'GET', '/api/v1/notifications/unread-count', headers)).json<{ unread: number }>().unread;
      expect(await unread(world.partnerA.headers)).toBeGreaterThanOrEqual(1);
      expect(await unread(world.partnerB.headers)).toBe(0);
      const timelineKinds = async (headers: Record<string, string>) =>
        (await send(api, 'GET', `/api/v1/cases/${world.caseId}/timeline`, headers))
          .json<{ entries: { kind: string }[] }>()
          .entries.map((entry) => entry.kind);
      expect(await timelineKinds(world.partnerA.headers)).toContain('disclosure.made');
      expect(await timelineKinds(world.partnerB.headers)).not.toContain('disclosure.made');

      // A participant cannot touch a need the care team wrote.
      const theirs = partnerB.content.needs.find((need) => need.text.startsWith('SHARED-NEED-B'));
      const foreign = await send(api, 'PUT', planUrl(world.caseId, '/my-needs'), world.partnerB.headers, {
        expectedRevision: partnerB.revision,
        needs: [{ id: theirs?.id, text: 'rewritten' }],
      });
      expect(foreign.statusCode).toBe(422);
      expect(foreign.json()).toMatchObject({ errors: [{ field: 'needs[0].id', rule: 'unknown_id' }] });
      // Nor write the plan itself.
      const put = await send(api, 'PATCH', planUrl(world.caseId), world.partnerB.headers, {
        expectedRevision: partnerB.revision,
        content: { contingencyPlans: [] },
      });
      expect(put.statusCode).toBe(403);
    });

    it('suspends what participants do with the plan while the case is on a safety hold; the care team goes on', async () => {
      await setSafetyHold(api, world, true);
      try {
        const plan = await current();
        for (const [method, path, body] of [
          ['GET', '', undefined],
          ['GET', '/revisions', undefined],
          ['PUT', '/my-needs', { expectedRevision: plan.revision, needs: [] }],
        ] as const) {
          const answer = await send(api, method, planUrl(world.caseId, path), world.partnerA.headers, body);
          expect({ path, status: answer.statusCode, code: answer.json<{ code: string }>().code }).toEqual({
            path,
            status: 409,
            code: 'shared_space_paused',
          });
          expect(answer.body).not.toContain('synthetic reason');
        }
        const careTeamWrite = await send(api, 'PATCH', planUrl(world.caseId), counselor(), {
          expectedRevision: plan.revision,
          content: { reviewDate: day(45) },
        });
        expect(careTeamWrite.statusCode).toBe(200);
      } finally {
        await setSafetyHold(api, world, false);
      }
      expect((await send(api, 'GET', planUrl(world.caseId), world.partnerA.headers)).statusCode).toBe(200);
    });
  });
  describe('audit', () => {
    it('records every read and change of the plan, with ids and counts only', async () => {
      const admin = await connectAs('admin');
      try {
        const { rows } = await admin.query<{ action: string; actor_membership_id: string; metadata: unknown }>(
          `select action, actor_membership_id, metadata from audit_events
            where clinic_id = $1 and target_id = $2 and action like 'case.plan.%'`,
          [world.clinicId, world.caseId],
        );
        const actions = new Set(rows.map((row) => row.action));
        for (const action of [
          'case.plan.read',
          'case.plan.update',
          'case.plan.revision.list',
          'case.plan.revision.read',
          'case.plan.diff.read',
          'case.plan.phase_change',
          'case.plan.phase_change.list',
          'case.plan.needs_propose',
        ]) {
          expect({ action, recorded: actions.has(action) }).toEqual({ action, recorded: true });
        }
        expect(rows.some((row) => row.actor_membership_id === world.partnerA.member.membershipId)).toBe(true);
        const trail = JSON.stringify(rows);
        for (const text of ['SHARED-NEED', 'CLIN-NEED', 'PROPOSED-A', 'First plan after intake', 'Stable enough']) {
          expect(trail).not.toContain(text);
        }
      } finally {
        await admin.end();
      }
    });
  });
});
