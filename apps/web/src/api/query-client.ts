import { QueryClient } from '@tanstack/react-query';

import { ApiError } from './errors';

/**
 * Server state lives in TanStack Query. Conventions:
 * - query keys start with the resource: ['me'], ['me', 'assignments'], ['case', caseId, 'ledger'];
 * - query functions use `call(api.GET(...))` so errors are ApiError / NetworkError;
 * - 4xx answers are not retried (they will not change); network and 5xx errors are, twice.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
}
