import createClient, { type Middleware } from 'openapi-fetch';

import { CSRF_HEADER, csrfToken, isUnsafeMethod } from './csrf';
import { ApiError, NetworkError, type Problem } from './errors';
import { sessionExpiry } from './session-expiry';
import type { paths } from './types';

/**
 * The one API client: openapi-fetch typed by the generated `paths`, so every
 * path, parameter, body and answer is checked against the OpenAPI document.
 *
 *   const { data } = await api.GET('/api/v1/me/assignments');          // raw
 *   const today = await call(api.GET('/api/v1/me/assignments'));        // data or throws ApiError
 *
 * Cookies carry the tokens (same origin); the middleware adds X-CSRF-Token to
 * unsafe methods, and on a 401 refreshes the login session once and retries; if
 * the refresh fails, the request waits for the sign-in dialog (session-expiry.ts).
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

/** Paths whose 401 is an answer (wrong password, bad code), never "your session expired". */
const AUTH_PATHS = /\/api\/v1\/(auth\/(login|mfa\/|refresh|logout|password-reset|forgot-password)|invitations\/accept)/;

let refreshing: Promise<boolean> | undefined;

/** POST /auth/refresh with the refresh cookie; one at a time (two tabs are handled by the API's grace window). */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const token = csrfToken();
      if (token !== undefined) headers[CSRF_HEADER] = token;
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers,
        body: '{}',
        credentials: 'same-origin',
      });
      // Read the body: an unread one keeps the request open in the browser.
      await response.text();
      return response.ok;
    } catch {
      return false;
    } finally {
      setTimeout(() => (refreshing = undefined), 0);
    }
  })();
  return refreshing;
}

const originals = new WeakMap<Request, Request>();

const authMiddleware: Middleware = {
  onRequest({ request }) {
    if (isUnsafeMethod(request.method)) {
      const token = csrfToken();
      if (token !== undefined) request.headers.set(CSRF_HEADER, token);
    }
    // Keep an unread copy: a retry after refresh or re-authentication needs the body again.
    const copy = request.clone();
    originals.set(request, copy);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || AUTH_PATHS.test(new URL(request.url, location.href).pathname)) {
      if (response.ok) sessionExpiry.markSignedIn();
      return response;
    }
    const retry = async (): Promise<Response> => {
      const original = originals.get(request) ?? request;
      const again = original.clone();
      if (isUnsafeMethod(again.method)) {
        const token = csrfToken();
        if (token !== undefined) again.headers.set(CSRF_HEADER, token);
      }
      return fetch(again);
    };
    if (await refreshSession()) {
      void response.body?.cancel();
      const retried = await retry();
      if (retried.status !== 401) return retried;
    }
    // Not signed in at all (first load): the caller shows the sign-in page.
    if (!sessionExpiry.snapshot().hadSession) return response;
    void response.body?.cancel();
    await sessionExpiry.waitForSignIn();
    return retry();
  },
};

api.use(authMiddleware);

/**
 * Awaits an openapi-fetch call and returns its data, or throws ApiError (with the
 * problem+json body) or NetworkError. For query functions and mutations.
 */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!result.response.ok) {
    const problem = isProblem(result.error) ? result.error : undefined;
    throw new ApiError(result.response.status, problem);
  }
  return result.data as T;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'code' in value;
}
