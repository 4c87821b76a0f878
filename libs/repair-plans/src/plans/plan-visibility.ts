import type { CaseViewer } from '@mend/access';

import type { PlanDocument } from './plan-document.js';

/**
 * What a viewer may see of a plan document (PRODUCT.md, Who sees what: plan
 * parts). The care team (and the supervisors of its members) see everything.
 * A participant sees the shared parts (goals, commitments, boundaries with their
 * consequences and restorative responses, contingency plans, review date), the
 * `shared` items of the breach assessment and of the needs, and the needs they
 * proposed themselves while the counselor keeps them `clinician`. A `clinician`
 * item the care team wrote is for the care team only — also when it is about
 * that participant. The directory view (a clinic admin off the care team) sees
 * nothing: the access policy refuses it before this runs, and this returns an
 * empty document as a second line.
 */
export function projectPlanFor(viewer: CaseViewer, document: PlanDocument): PlanDocument {
  switch (viewer.kind) {
    case 'care_team':
      return document;
    case 'participant': {
      const self = viewer.clientId.toLowerCase();
      return {
        ...document,
        breachAssessment: document.breachAssessment.filter((item) => item.visibility === 'shared'),
        needs: document.needs.filter(
          (need) => need.visibility === 'shared' || need.proposedByClientId?.toLowerCase() === self,
        ),
      };
    }
    case 'directory':
      return {
        breachAssessment: [],
        goals: [],
        commitments: [],
        boundaries: [],
        needs: [],
        contingencyPlans: [],
        reviewDate: null,
      };
  }
}

/** Stable JSON (sorted keys) for comparing two projections. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
