import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { fullPlan, planUrl, send } from './support/plan-fixtures.js';

interface Need {
  id: string;
  text: string;
  visibility: string;
  clientId: string;
}

/**
 * The plan part of the per-partner privacy matrix (PRODUCT.md, Who sees what):
 * partner A's need marked `clinician` (and a clinician breach-assessment item),
 * and what partner B, partner A, the counselor, another counselor, the
 * supervisor and the clinic admin each see in the current plan, the revisions
 * and the diffs.
 */
describe('plan privacy matrix', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  let needIds: { clinicianA: string; sharedA: string };

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
    const headers = world.counselor.headers;
    // Revision 1: the full plan. Revision 2: only the clinician need of A is reworded.
    // Revision 3: a shared item changes (the contingency plan).
    const first = await send(api, 'PUT', planUrl(world.caseId), headers, {
      expectedRevision: 0,
      changeNote: 'NOTE-CLIN initial formulation',
      content: fullPlan(world),
    });
    const needs = first.json<{ content: { needs: Need[] } }>().content.needs;
    const clinicianA = needs.find((need) => need.text.startsWith('CLIN-NEED-A'));
    const sharedA = needs.find((need) => need.text.startsWith('SHARED-NEED-A'));
    if (clinicianA === undefined || sharedA === undefined) throw new Error('fixture plan without its needs');
    needIds = { clinicianA: clinicianA.id, sharedA: sharedA.id };
    const second = await send(api, 'PATCH', planUrl(world.caseId), headers, {
      expectedRevision: 1,
      changeNote: 'NOTE-CLIN reworded',
      content: {
        needs: needs.map(({ id, text, visibility, clientId }) => ({
          id,
          clientId,
          visibility,
          text: id === clinicianA.id ? 'CLIN-NEED-A reworded by the counselor' : text,
        })),
      },
    });
    expect(second.statusCode).toBe(200);
    const third = await send(api, 'PATCH', planUrl(world.caseId), headers, {
      expectedRevision: 2,
      content: { contingencyPlans: [{ trigger: 'Late night arguments', response: 'Pause until morning' }] },
    });
    expect(third.statusCode).toBe(200);
  });
  afterAll(() => api.close());

  const viewers = () =>
    ({
      partnerB: world.partnerB.headers,
      partnerA: world.partnerA.headers,
      counselor: world.counselor.headers,
      otherCounselor: world.otherCounselor.headers,
      supervisor: world.supervisor.headers,
      admin: world.admin.headers,
    }) as const;

  /** What one viewer gets from every plan read route. */
  async function seenBy(headers: Record<string, string>) {
    const plan = await send(api, 'GET', planUrl(world.caseId), headers);
    const revisions = await send(api, 'GET', planUrl(world.caseId, '/revisions'), headers);
    const revision2 = await send(api, 'GET', planUrl(world.caseId, '/revisions/2'), headers);
    const revision1 = await send(api, 'GET', planUrl(world.caseId, '/revisions/1'), headers);
    const diff = await send(api, 'GET', planUrl(world.caseId, '/diff?from=1&to=3'), headers);
    const body = [plan, revisions, revision1, revision2, diff].map((answer) => answer.body).join('\n');
    return {
      status: {
        plan: plan.statusCode,
        revisions: revisions.statusCode,
        revision1: revision1.statusCode,
        revision2: revision2.statusCode,
        diff: diff.statusCode,
      },
      needIds:
        plan.statusCode === 200
          ? plan
              .json<{ content: { needs: Need[] } }>()
              .content.needs.map((need) => need.id)
              .sort()
          : null,
      revisionNumbers:
        revisions.statusCode === 200 ? revisions.json<{ revision: number }[]>().map((row) => row.revision) : null,
      needsDiff: diff.statusCode === 200 ? diff.json<{ sections: { needs: unknown } }>().sections.needs : null,
      seesClinicianNeed: body.includes('CLIN-NEED-A') || body.includes(needIds.clinicianA),
      seesClinicianBreach: body.includes('CLIN-BREACH'),
      seesChangeNotes: body.includes('NOTE-CLIN'),
    };
  }

  it('shows each viewer exactly their part', async () => {
    const all = viewers();
    const results = Object.fromEntries(
      await Promise.all(
        (Object.keys(all) as (keyof typeof all)[]).map(async (name) => [name, await seenBy(all[name])] as const),
      ),
    );
    const participantView = {
      status: { plan: 200, revisions: 200, revision1: 200, revision2: 404, diff: 200 },
      revisionNumbers: [1, 3],
      needsDiff: { added: [], removed: [], changed: [] },
      seesClinicianNeed: false,
      seesClinicianBreach: false,
      seesChangeNotes: false,
    };
    const careTeamView = {
      status: { plan: 200, revisions: 200, revision1: 200, revision2: 200, diff: 200 },
      revisionNumbers: [1, 2, 3],
      seesClinicianNeed: true,
      seesClinicianBreach: true,
      seesChangeNotes: true,
    };
    const hidden = {
      status: { plan: 404, revisions: 404, revision1: 404, revision2: 404, diff: 404 },
      needIds: null,
      revisionNumbers: null,
      needsDiff: null,
      seesClinicianNeed: false,
      seesClinicianBreach: false,
      seesChangeNotes: false,
    };
    expect(results).toEqual({
      // Partner B: the shared needs of both, not A's clinician need, not even that it changed.
      partnerB: { ...participantView, needIds: expect.not.arrayContaining([needIds.clinicianA]) },
      // Partner A: the same: a clinician need the counselor wrote is the care team's, also about A.
      partnerA: { ...participantView, needIds: expect.arrayContaining([needIds.sharedA]) },
      counselor: {
        ...careTeamView,
        needIds: expect.arrayContaining([needIds.clinicianA, needIds.sharedA]),
        needsDiff: {
          added: [],
          removed: [],
          changed: [expect.objectContaining({ id: needIds.clinicianA, fields: ['text'] })],
        },
      },
      otherCounselor: hidden,
      supervisor: {
        ...careTeamView,
        needIds: expect.arrayContaining([needIds.clinicianA]),
        needsDiff: expect.objectContaining({ changed: [expect.objectContaining({ id: needIds.clinicianA })] }),
      },
      // The clinic admin keeps the directory (the case exists) but sees nothing of the plan.
      admin: hidden,
    });
    expect(results.partnerB.needIds).toHaveLength(2);
    expect(results.partnerA.needIds).toEqual(results.partnerB.needIds);
  });

  it('keeps clinician items out of a participant diff even across a hidden revision', async () => {
    const diff = await send(api, 'GET', planUrl(world.caseId, '/diff?from=0&to=3'), world.partnerB.headers);
    const body = diff.json<{ sections: { breachAssessment: { added: { text: string }[] } } }>();
    expect(body.sections.breachAssessment.added.map((item) => item.text)).toEqual([
      expect.stringMatching(/^SHARED-BREACH/),
    ]);
    // A hidden revision cannot be named in a diff either.
    const named = await send(api, 'GET', planUrl(world.caseId, '/diff?from=1&to=2'), world.partnerB.headers);
    expect(named.statusCode).toBe(404);
  });
});
