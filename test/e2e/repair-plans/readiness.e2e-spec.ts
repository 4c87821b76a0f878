import { AccessResourceLoader, caseViewerOf } from '@mend/access';
import { UnitOfWork } from '@mend/core';
import { planTimelineEntries, readinessTimelineEntries } from '@mend/repair-plans';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld, type Partner } from '../cases/support/case-world.js';
import { day, fullPlan, planUrl, readinessUrl, send } from './support/plan-fixtures.js';

interface Assessment {
  id: string;
  counselorRating: number | null;
  counselorNote: string | null;
  outcome: string | null;
  closedCase: boolean;
  ratings: { clientId: string; rating: number }[];
}

/** Readiness assessments (S27) and the plan's and readiness' timeline entries. */
describe('readiness assessments', () => {
  let api: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp();
  });
  afterAll(() => api.close());

  async function caseRow(world: CaseWorld) {
    return api.app.get(UnitOfWork).run(world.clinicId, async (tx) => ({
      case: (
        await tx.query<{ status: string; outcome: string | null }>(
          'select status, outcome from cases where clinic_id = $1 and id = $2',
          [world.clinicId, world.caseId],
        )
      )[0],
      changes: await tx.query<{ from_status: string; to_status: string; outcome: string; reason: string | null }>(
        'select from_status, to_status, outcome, reason from case_status_changes where clinic_id = $1 and case_id = $2',
        [world.clinicId, world.caseId],
      ),
    }));
  }

  it('records a pending assessment, takes each participant’s own rating, shows each only their part, and closes the case with `end`', async () => {
    const world = await createCaseWorld(api);
    const recorded = await send(api, 'POST', readinessUrl(world.caseId), world.counselor.headers, {
      assessedOn: day(0),
      counselorRating: 4,
      counselorNote: 'COUNSELOR-NOTE ambivalent about continuing',
    });
    expect(recorded.statusCode).toBe(201);
    const assessment = recorded.json<Assessment>();
    expect(assessment).toMatchObject({ counselorRating: 4, outcome: null, closedCase: false, ratings: [] });

    const rate = (partner: Partner, rating: number) =>
      send(api, 'PUT', readinessUrl(world.caseId, `/${assessment.id}/my-rating`), partner.headers, {
        rating,
        note: `RATING-NOTE ${rating}`,
      });
    expect((await rate(world.partnerA, 3)).statusCode).toBe(200);
    expect((await rate(world.partnerB, 8)).statusCode).toBe(200);
    const replaced = await rate(world.partnerA, 2);
    expect(replaced.json<Assessment>().ratings).toEqual([
      expect.objectContaining({ clientId: world.partnerA.clientId, rating: 2 }),
    ]);
    const byCounselor = await send(
      api,
      'PUT',
      readinessUrl(world.caseId, `/${assessment.id}/my-rating`),
      world.counselor.headers,
      {
        rating: 5,
      },
    );
    expect(byCounselor.statusCode).toBe(403);

    const asA = await send(api, 'GET', readinessUrl(world.caseId, `/${assessment.id}`), world.partnerA.headers);
    expect(asA.json<Assessment>()).toMatchObject({
      counselorRating: null,
      counselorNote: null,
      ratings: [{ clientId: world.partnerA.clientId, rating: 2 }],
    });
    expect(asA.body).not.toContain('COUNSELOR-NOTE');
    expect(asA.body).not.toContain('RATING-NOTE 8');
    const asSupervisor = await send(api, 'GET', readinessUrl(world.caseId), world.supervisor.headers);
    expect(asSupervisor.json<Assessment[]>()[0].ratings).toHaveLength(2);
    expect((await send(api, 'GET', readinessUrl(world.caseId), world.admin.headers)).statusCode).toBe(404);
    expect((await send(api, 'GET', readinessUrl(world.caseId), world.otherCounselor.headers)).statusCode).toBe(404);

    // `continue` does not close a case.
    const wrong = await send(
      api,
      'POST',
      readinessUrl(world.caseId, `/${assessment.id}/outcome`),
      world.counselor.headers,
      {
        outcome: 'continue',
        closeCase: true,
      },
    );
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ errors: [{ field: 'closeCase', rule: 'requires_redefine_or_end' }] });

    const ended = await send(
      api,
      'POST',
      readinessUrl(world.caseId, `/${assessment.id}/outcome`),
      world.counselor.headers,
      {
        outcome: 'end',
        outcomeReason: 'Both chose to part with respect',
        closeCase: true,
      },
    );
    expect(ended.statusCode).toBe(200);
    expect(ended.json<Assessment>()).toMatchObject({ outcome: 'end', closedCase: true });
    expect(await caseRow(world)).toEqual({
      case: { status: 'closed', outcome: 'end' },
      changes: [{ from_status: 'active', to_status: 'closed', outcome: 'end', reason: null }],
    });
    const again = await send(
      api,
      'POST',
      readinessUrl(world.caseId, `/${assessment.id}/outcome`),
      world.counselor.headers,
      {
        outcome: 'redefine',
      },
    );
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'case_closed' });
    // The outcome is the participants' to see; the plan of a closed case stays readable, not writable.
    expect(
      (await send(api, 'GET', readinessUrl(world.caseId), world.partnerB.headers)).json<Assessment[]>()[0],
    ).toMatchObject({
      outcome: 'end',
      closedCase: true,
    });
    const write = await send(api, 'PUT', planUrl(world.caseId), world.counselor.headers, {
      expectedRevision: 0,
      content: fullPlan(world),
    });
    expect(write.statusCode).toBe(422);
    expect(write.json()).toMatchObject({ code: 'case_closed' });
    expect((await send(api, 'GET', planUrl(world.caseId), world.partnerB.headers)).statusCode).toBe(200);
  });

  it('closes the case at once with `redefine` when recorded with closeCase, and refuses impossible dates', async () => {
    const world = await createCaseWorld(api);
    const future = await send(api, 'POST', readinessUrl(world.caseId), world.counselor.headers, {
      assessedOn: day(3),
      counselorRating: 7,
    });
    expect(future.statusCode).toBe(422);
    expect(future.json()).toMatchObject({ errors: [{ field: 'assessedOn', rule: 'not_in_future' }] });
    const before = await send(api, 'POST', readinessUrl(world.caseId), world.counselor.headers, {
      assessedOn: day(-30),
      counselorRating: 7,
    });
    expect(before.json()).toMatchObject({ errors: [{ field: 'assessedOn', rule: 'not_before_case' }] });
    const bad = await send(api, 'POST', readinessUrl(world.caseId), world.counselor.headers, {
      assessedOn: 'yesterday',
      counselorRating: 11,
      outcome: 'maybe',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string; rule: string }[] }>().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'assessedOn', rule: 'matches' }),
        expect.objectContaining({ field: 'counselorRating', rule: 'max' }),
        expect.objectContaining({ field: 'outcome', rule: 'isIn' }),
      ]),
    );
    const byPartner = await send(api, 'POST', readinessUrl(world.caseId), world.partnerA.headers, {
      assessedOn: day(0),
      counselorRating: 7,
    });
    expect(byPartner.statusCode).toBe(403);
    const redefined = await send(api, 'POST', readinessUrl(world.caseId), world.counselor.headers, {
      assessedOn: day(0),
      counselorRating: 6,
      outcome: 'redefine',
      closeCase: true,
    });
    expect(redefined.statusCode).toBe(201);
    expect((await caseRow(world)).case).toEqual({ status: 'closed', outcome: 'redefine' });
  });

  it('lists timeline entries filtered for the viewer, with content-free summaries', async () => {
    const world = await createCaseWorld(api);
    const headers = world.counselor.headers;
    const first = await send(api, 'PUT', planUrl(world.caseId), headers, {
      expectedRevision: 0,
      content: fullPlan(world),
    });
    const needs = first.json<{
      content: {
        needs: { id: string; clientId: string; text: string; visibility: string; proposedByClientId: string | null }[];
      };
    }>().content.needs;
    // Revision 2 changes only the clinician need: not on a participant's timeline.
    await send(api, 'PATCH', planUrl(world.caseId), headers, {
      expectedRevision: 1,
      content: {
        needs: needs.map(({ proposedByClientId: _proposed, ...need }) => ({
          ...need,
          text: need.visibility === 'clinician' ? 'CLIN changed' : need.text,
        })),
      },
    });
    await send(api, 'POST', planUrl(world.caseId, '/phase'), headers, { toPhase: 'P1', reason: 'REASON-TEXT' });
    const assessment = await send(api, 'POST', readinessUrl(world.caseId), headers, {
      assessedOn: day(0),
      counselorRating: 6,
    });
    await send(
      api,
      'PUT',
      readinessUrl(world.caseId, `/${assessment.json<Assessment>().id}/my-rating`),
      world.partnerA.headers,
      {
        rating: 5,
      },
    );
    await send(
      api,
      'PUT',
      readinessUrl(world.caseId, `/${assessment.json<Assessment>().id}/my-rating`),
      world.partnerB.headers,
      {
        rating: 9,
      },
    );

    const timelineOf = (membershipId: string, roles: ('counselor' | 'client')[], userId: string) =>
      api.app.get(UnitOfWork).run(world.clinicId, async (tx) => {
        const resource = await new AccessResourceLoader().load(tx, { kind: 'case', caseId: world.caseId });
        if (resource?.kind !== 'case') throw new Error('no case');
        const viewer = caseViewerOf({ clinicId: world.clinicId, userId, membershipId, roles }, resource);
        return [...(await planTimelineEntries(tx, viewer)), ...(await readinessTimelineEntries(tx, viewer))];
      });
    const kinds = (entries: { kind: string; refs: Readonly<Record<string, string | number | null>> }[]) =>
      entries
        .map(
          (entry) => `${entry.kind}:${String(entry.refs.revision ?? entry.refs.toPhase ?? entry.refs.clientId ?? '')}`,
        )
        .sort();

    const careTeam = await timelineOf(
      world.counselor.member.membershipId,
      ['counselor'],
      world.counselor.member.userId,
    );
    expect(kinds(careTeam)).toEqual(
      [
        'plan.revised:1',
        'plan.revised:2',
        'plan.phase_changed:P1',
        'readiness.assessed:',
        `readiness.rated:${world.partnerA.clientId}`,
        `readiness.rated:${world.partnerB.clientId}`,
      ].sort(),
    );
    const partnerA = await timelineOf(world.partnerA.member.membershipId, ['client'], world.partnerA.member.userId);
    expect(kinds(partnerA)).toEqual(
      [
        'plan.revised:1',
        'plan.phase_changed:P1',
        'readiness.assessed:',
        `readiness.rated:${world.partnerA.clientId}`,
      ].sort(),
    );
    const text = JSON.stringify([...careTeam, ...partnerA]);
    expect(text).not.toContain('REASON-TEXT');
    expect(text).not.toContain('CLIN');
  });
});
