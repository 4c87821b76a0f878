import type { IdentityApp } from '../../auth/support/identity-app.js';
import type { CaseWorld } from '../../cases/support/case-world.js';

interface PlanBody {
  revision: number;
  content: { commitments: Record<string, unknown>[]; boundaries: Record<string, unknown>[] };
}

let sequence = 0;

async function addItem(
  api: IdentityApp,
  world: CaseWorld,
  section: 'commitments' | 'boundaries',
  item: Record<string, unknown>,
): Promise<string> {
  const url = `/api/v1/cases/${world.caseId}/plan`;
  const plan = (await api.inject({ method: 'GET', url, headers: world.counselor.headers })).json<PlanBody>();
  sequence += 1;
  const marker = `Synthetic ${section} item ${sequence}`;
  const written = await api.inject({
    method: 'PATCH',
    url,
    headers: { ...world.counselor.headers, 'content-type': 'application/json' },
    payload: JSON.stringify({
      expectedRevision: plan.revision,
      content: { [section]: [...plan.content[section], { ...item, [markerField(section)]: marker }] },
    }),
  });
  if (written.statusCode !== 200) throw new Error(`adding a plan item answered ${written.statusCode}: ${written.body}`);
  const added = written
    .json<PlanBody>()
    .content[section].find((candidate) => candidate[markerField(section)] === marker);
  if (added === undefined) throw new Error('the new plan item is missing');
  return added.id as string;
}

const markerField = (section: 'commitments' | 'boundaries') => (section === 'commitments' ? 'what' : 'description');

/** A commitment of the case's plan made by these participants (the ledger only accepts entries about real ones). */
export function addCommitment(api: IdentityApp, world: CaseWorld, participantClientIds: readonly string[]) {
  return addItem(api, world, 'commitments', {
    participantClientIds,
    cadence: 'daily',
    verification: 'Self-reported in the ledger',
  });
}

/** A boundary of the case's plan, for everyone. */
export function addBoundary(api: IdentityApp, world: CaseWorld) {
  return addItem(api, world, 'boundaries', {
    participantClientIds: [],
    consequence: 'Synthetic consequence',
    restorativeResponse: 'Synthetic restorative response',
  });
}
