/** Where the counselor workspace lives in the app; every link is built here. */
export const COUNSELOR_BASE = '/counselor';

export const counselorPaths = {
  caseload: () => COUNSELOR_BASE,
  case: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}`,
  plan: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/plan`,
  planEdit: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/plan/edit`,
  planHistory: (caseId: string, from?: number, to?: number) =>
    `${COUNSELOR_BASE}/cases/${caseId}/plan/history${from !== undefined && to !== undefined ? `?from=${from}&to=${to}` : ''}`,
  ledger: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/ledger`,
  boundaries: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/boundaries`,
  readiness: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/readiness`,
  timeline: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/timeline`,
  homework: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/homework`,
  assign: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/homework/assign`,
  assignment: (caseId: string, assignmentId: string) =>
    `${COUNSELOR_BASE}/cases/${caseId}/homework/assignments/${assignmentId}`,
  review: (caseId: string, occurrenceId: string) =>
    `${COUNSELOR_BASE}/cases/${caseId}/homework/occurrences/${occurrenceId}`,
  disclosures: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/disclosures`,
};
