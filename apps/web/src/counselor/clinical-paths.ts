/** Addresses of the clinical pages of the counselor workspace (sessions, notes, measures, safety). */
import { COUNSELOR_BASE } from './paths';

export const clinicalPaths = {
  alerts: () => `${COUNSELOR_BASE}/alerts`,
  noteQueue: () => `${COUNSELOR_BASE}/notes`,
  sessions: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/sessions`,
  notes: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/notes`,
  note: (caseId: string, noteId: string) => `${COUNSELOR_BASE}/cases/${caseId}/notes/${noteId}`,
  privateNotes: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/private-notes`,
  measures: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/measures`,
  safety: (caseId: string) => `${COUNSELOR_BASE}/cases/${caseId}/safety`,
};
