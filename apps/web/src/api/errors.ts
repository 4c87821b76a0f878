import type { Schemas } from './types';

export type Problem = Schemas['ProblemResponse'];
export type FieldProblem = Schemas['FieldProblemResponse'];

/** A failed API call: the HTTP status and the problem+json body (when there was one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `The server answered ${status}`);
    this.name = 'ApiError';
  }

  get code(): string | undefined {
    return this.problem?.code;
  }

  /** Field-level problems keyed by field path (`story`, `rows[0].note`), first message per field. */
  fieldErrors(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const error of this.problem?.errors ?? []) result[error.field] ??= error.message;
    return result;
  }
}

/** The network failed (offline, server down): no answer at all. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Mend could not be reached. Check your connection and try again.', { cause });
    this.name = 'NetworkError';
  }
}

/** A sentence for a person: what went wrong, never a stack trace; quote the correlation id on 5xx. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status >= 500) {
      const id = error.problem?.correlationId;
      return `Something went wrong on our side. Please try again in a moment${id ? ` (reference ${id})` : ''}.`;
    }
    if (error.status === 403) return 'You do not have access to this.';
    if (error.status === 404) return 'This could not be found. It may have been removed, or it is not shared with you.';
    if (error.status === 429) return 'Too many attempts. Please wait a moment and try again.';
    return error.message;
  }
  if (error instanceof NetworkError) return error.message;
  return 'Something unexpected went wrong. Please reload the page.';
}
