import { diffPlans } from './plan-diff.js';
import { EMPTY_PLAN_DOCUMENT, type PlanDocument } from './plan-document.js';
import { projectPlanFor } from './plan-visibility.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

const plan = (needText: string, reviewDate: string | null = null): PlanDocument => ({
  ...EMPTY_PLAN_DOCUMENT,
  needs: [
    { id: 'n1', clientId: A, text: needText, visibility: 'clinician', proposedByClientId: null },
    { id: 'n2', clientId: B, text: 'shared', visibility: 'shared', proposedByClientId: null },
    { id: 'n3', clientId: A, text: 'mine', visibility: 'clinician', proposedByClientId: A },
  ],
  reviewDate,
});

describe('plan diff and visibility', () => {
  it('matches items by id and names the changed fields', () => {
    const diff = diffPlans(plan('before'), plan('after', '2030-01-01'));
    expect(diff.sections.needs).toEqual({
      added: [],
      removed: [],
      changed: [{ id: 'n1', fields: ['text'], before: { text: 'before' }, after: { text: 'after' } }],
    });
    expect(diff.reviewDate).toEqual({ from: null, to: '2030-01-01' });
    expect(diff.changeCount).toBe(2);
  });

  it("hides a counselor's clinician need from both partners, and shows a participant their own proposal", () => {
    const case_ = { kind: 'case', participants: [] } as never;
    const principal = { clinicId: 'c', userId: 'u', membershipId: 'm', roles: ['client'] } as const;
    const seenBy = (clientId: string) =>
      projectPlanFor({ kind: 'participant', principal, case: case_, clientId }, plan('x')).needs.map((n) => n.id);
    expect(seenBy(A)).toEqual(['n2', 'n3']);
    expect(seenBy(B)).toEqual(['n2']);
    const participantDiff = diffPlans(
      projectPlanFor({ kind: 'participant', principal, case: case_, clientId: B }, plan('before')),
      projectPlanFor({ kind: 'participant', principal, case: case_, clientId: B }, plan('after')),
    );
    expect(participantDiff.changeCount).toBe(0);
  });
});
