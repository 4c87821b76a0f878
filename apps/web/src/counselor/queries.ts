/**
 * The counselor workspace's server state: one hook per API read, keyed
 * ['case', caseId, …] (src/api/query-client.ts conventions), and the
 * invalidation each write needs. Every call goes through the typed client.
 */
import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';

export type CaseView = Schemas['CaseResponse'];
export type CaseListQuery = {
  status?: ('intake' | 'active' | 'on_hold' | 'closed')[];
  phase?: 'P0' | 'P1' | 'P2' | 'P3' | 'P4';
  q?: string;
  cursor?: string;
};

export const counselorKeys = {
  caseload: (query: CaseListQuery) => ['cases', 'list', query] as const,
  case: (caseId: string) => ['case', caseId] as const,
  overview: (caseId: string, weeks: number) => ['case', caseId, 'homework', 'overview', weeks] as const,
  plan: (caseId: string) => ['case', caseId, 'plan'] as const,
  revisions: (caseId: string) => ['case', caseId, 'plan', 'revisions'] as const,
  diff: (caseId: string, from: number, to: number) => ['case', caseId, 'plan', 'diff', from, to] as const,
  phaseChanges: (caseId: string) => ['case', caseId, 'plan', 'phase-changes'] as const,
  ledger: (caseId: string) => ['case', caseId, 'ledger'] as const,
  ledgerSummary: (caseId: string) => ['case', caseId, 'ledger', 'summary'] as const,
  boundaryEvents: (caseId: string) => ['case', caseId, 'boundary-events'] as const,
  readiness: (caseId: string) => ['case', caseId, 'readiness'] as const,
  timeline: (caseId: string) => ['case', caseId, 'timeline'] as const,
  disclosures: (caseId: string) => ['case', caseId, 'disclosures'] as const,
  assignments: (caseId: string) => ['case', caseId, 'homework', 'assignments'] as const,
  assignment: (caseId: string, assignmentId: string) =>
    ['case', caseId, 'homework', 'assignments', assignmentId] as const,
  occurrence: (caseId: string, occurrenceId: string) =>
    ['case', caseId, 'homework', 'occurrences', occurrenceId] as const,
  secretsPolicy: (caseId: string) => ['case', caseId, 'secrets-policy'] as const,
  exercises: ['exercises', 'list'] as const,
  exercise: (ref: string) => ['exercises', ref] as const,
  openAlerts: ['safety-alerts', 'open'] as const,
};

export function useCaseload(query: CaseListQuery) {
  return useQuery({
    queryKey: counselorKeys.caseload(query),
    queryFn: () =>
      call(
        api.GET('/api/v1/cases', {
          params: {
            query: {
              ...(query.status !== undefined && query.status.length > 0 && { status: query.status }),
              ...(query.phase !== undefined && { phase: query.phase }),
              ...(query.q !== undefined && query.q.trim() !== '' && { q: query.q.trim() }),
              ...(query.cursor !== undefined && { cursor: query.cursor }),
              // Each care-team case's homework counts in the same request (no overview request per card).
              include: ['homework'],
              limit: 25,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useCase(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.case(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}', { params: { path: { caseId } } })),
  });
}

export function useHomeworkOverview(caseId: string, weeks = 4, enabled = true) {
  return useQuery({
    queryKey: counselorKeys.overview(caseId, weeks),
    queryFn: () =>
      call(
        api.GET('/api/v1/cases/{caseId}/homework/overview', {
          params: { path: { caseId }, query: { weeks } },
        }),
      ),
    enabled,
  });
}

/** The open safety alerts of the caller's caseload, counted per case (the caseload's flag). */
export function useOpenAlertCounts() {
  return useQuery({
    queryKey: counselorKeys.openAlerts,
    queryFn: async () => {
      const data = await call(api.GET('/api/v1/safety-alerts', { params: { query: { status: 'open', limit: 200 } } }));
      const counts = new Map<string, number>();
      const alerts = (data as { alerts?: unknown }).alerts;
      if (Array.isArray(alerts)) {
        for (const alert of alerts as { caseId?: unknown; status?: unknown }[]) {
          if (typeof alert.caseId === 'string' && alert.status === 'open')
            counts.set(alert.caseId.toLowerCase(), (counts.get(alert.caseId.toLowerCase()) ?? 0) + 1);
        }
      }
      return counts;
    },
    staleTime: 30_000,
  });
}

export function usePlan(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.plan(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/plan', { params: { path: { caseId } } })),
  });
}

export function usePlanRevisions(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.revisions(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/plan/revisions', { params: { path: { caseId } } })),
  });
}

export function usePlanDiff(caseId: string, from: number, to: number, enabled: boolean) {
  return useQuery({
    queryKey: counselorKeys.diff(caseId, from, to),
    queryFn: () =>
      call(api.GET('/api/v1/cases/{caseId}/plan/diff', { params: { path: { caseId }, query: { from, to } } })),
    enabled,
  });
}

export function usePhaseChanges(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.phaseChanges(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/plan/phase-changes', { params: { path: { caseId } } })),
  });
}

export function useLedger(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.ledger(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/ledger', { params: { path: { caseId } } })),
  });
}

export function useLedgerSummary(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.ledgerSummary(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/ledger/summary', { params: { path: { caseId } } })),
  });
}

export function useBoundaryEvents(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.boundaryEvents(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/boundary-events', { params: { path: { caseId } } })),
  });
}

export function useReadiness(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.readiness(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/readiness-assessments', { params: { path: { caseId } } })),
  });
}

export function useDisclosures(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.disclosures(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/disclosures', { params: { path: { caseId } } })),
  });
}

export function useAssignments(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.assignments(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/assignments', { params: { path: { caseId } } })),
  });
}

export function useAssignment(caseId: string, assignmentId: string | undefined) {
  return useQuery({
    queryKey: counselorKeys.assignment(caseId, assignmentId ?? ''),
    queryFn: () =>
      call(
        api.GET('/api/v1/cases/{caseId}/assignments/{assignmentId}', {
          params: { path: { caseId, assignmentId: assignmentId ?? '' } },
        }),
      ),
    enabled: assignmentId !== undefined,
  });
}

export function useOccurrence(caseId: string, occurrenceId: string) {
  return useQuery({
    queryKey: counselorKeys.occurrence(caseId, occurrenceId),
    queryFn: () =>
      call(
        api.GET('/api/v1/cases/{caseId}/occurrences/{occurrenceId}', {
          params: { path: { caseId, occurrenceId } },
        }),
      ),
  });
}

export function useSecretsPolicy(caseId: string) {
  return useQuery({
    queryKey: counselorKeys.secretsPolicy(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/secrets-policy', { params: { path: { caseId } } })),
  });
}

export function useExerciseLibrary() {
  return useQuery({
    queryKey: counselorKeys.exercises,
    queryFn: () => call(api.GET('/api/v1/exercises', { params: { query: { status: 'active' } } })),
    staleTime: 5 * 60_000,
  });
}

export function useExercise(ref: string | undefined) {
  return useQuery({
    queryKey: counselorKeys.exercise(ref ?? ''),
    queryFn: () => call(api.GET('/api/v1/exercises/{exerciseRef}', { params: { path: { exerciseRef: ref ?? '' } } })),
    enabled: ref !== undefined,
    staleTime: 5 * 60_000,
  });
}

/**
 * After a homework write: the case's homework views, and the caseload (its cards
 * show each case's homework counts).
 */
export async function invalidateHomework(client: QueryClient, caseId: string): Promise<void> {
  await client.invalidateQueries({ queryKey: ['case', caseId, 'homework'] });
  await client.invalidateQueries({ queryKey: ['cases', 'list'] });
}

/** Invalidate everything under a case (after a write whose effects reach several views). */
export function useInvalidateCase(caseId: string): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: counselorKeys.case(caseId) });
    await client.invalidateQueries({ queryKey: ['cases', 'list'] });
  };
}
