import type { MatrixEntry } from '../../authorization/authorization-matrix.js';

/**
 * Authorization-matrix entry of the counselor's homework overview. A fresh couple
 * case of the caller's clinic (AuthorizationWorld.couple): its counselor is on the
 * care team and its supervisor supervises them (both 200); its client caller is
 * partner A and its clinic admin has the directory only — both get 404 (the
 * overview is the care team's, like safety alerts).
 */
export const HOMEWORK_OVERVIEW_MATRIX: Readonly<Record<string, MatrixEntry>> = {
  'GET /api/v1/cases/:caseId/homework/overview': {
    cases: [
      {
        name: 'the homework overview of a case of theirs',
        allow: ['supervisor', 'counselor'],
        success: 200,
        denied: 404,
        build: async (world, caller) => {
          const { caseId } = await world.couple(caller.clinic ?? world.clinics.A);
          return { method: 'GET', url: `/api/v1/cases/${caseId}/homework/overview?weeks=4` };
        },
      },
    ],
    isolation: {
      slots: ['case'],
      build: ([caseId]) => ({ method: 'GET', url: `/api/v1/cases/${caseId}/homework/overview` }),
      expected: 404,
    },
  },
};
