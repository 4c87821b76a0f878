import { useQuery } from '@tanstack/react-query';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';

export type CaseView = Schemas['CaseResponse'];
export type MyOccurrence = Schemas['MyOccurrenceResponse'];
export type ClientRecord = Schemas['ClientResponse'];

/** Query keys of the portal (invalidate by prefix after a change). */
export const portalKeys = {
  cases: ['portal', 'cases'] as const,
  client: (clientId: string) => ['portal', 'client', clientId] as const,
  today: ['me', 'assignments'] as const,
  occurrence: (caseId: string, occurrenceId: string) => ['case', caseId, 'occurrence', occurrenceId] as const,
  assignments: (caseId: string) => ['case', caseId, 'assignments'] as const,
  ledger: (caseId: string) => ['case', caseId, 'ledger'] as const,
  plan: (caseId: string) => ['case', caseId, 'plan'] as const,
  secretsPolicy: (caseId: string) => ['case', caseId, 'secrets-policy'] as const,
  disclosures: (caseId: string) => ['case', caseId, 'disclosures'] as const,
};

/** The signed-in client's cases (the API returns only cases they take part in). */
export function useMyCases() {
  return useQuery({
    queryKey: portalKeys.cases,
    queryFn: async () => (await call(api.GET('/api/v1/cases', { params: { query: { limit: 50 } } }))).items,
  });
}

/** The client's own record (timezone, reminder preferences). */
export function useMyClientRecord(clientId: string | undefined) {
  return useQuery({
    queryKey: portalKeys.client(clientId ?? ''),
    queryFn: () => call(api.GET('/api/v1/clients/{clientId}', { params: { path: { clientId: clientId ?? '' } } })),
    enabled: clientId !== undefined,
    staleTime: 5 * 60_000,
  });
}

/** The client's timezone (from their own record; the browser's until it loads). */
export function useMyTimezone(): string {
  const cases = useMyCases();
  const clientId = cases.data?.find((item) => item.yourClientId !== undefined)?.yourClientId;
  const client = useMyClientRecord(clientId);
  return client.data?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "Today": open occurrences across the client's cases, with drafts. */
export function useToday() {
  return useQuery({
    queryKey: portalKeys.today,
    queryFn: async () => (await call(api.GET('/api/v1/me/assignments'))).occurrences,
    refetchInterval: 60_000,
  });
}
