import type { LightMyRequestResponse } from 'fastify';

import type { IdentityApp } from '../../auth/support/identity-app.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One API call with a signed-in member's headers (and a JSON body when given). */
export function call(
  api: IdentityApp,
  method: Method,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  return api.inject({
    method,
    url: `/api/v1${url}`,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: { field: string; rule: string; message: string }[];
}
