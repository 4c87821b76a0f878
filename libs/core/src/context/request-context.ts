import { AsyncLocalStorage } from 'node:async_hooks';

/** What logs carry for the work in progress: never content, only ids. */
export interface RequestContext {
  correlationId?: string;
  clinicId?: string;
  userId?: string;
  jobId?: string;
  /**
   * The API's authenticated request scope (its transaction and caller: apps/api
   * request-scope.ts), carried in this context rather than in an
   * AsyncLocalStorage of its own. Never logged (the logger copies the ids only).
   */
  scope?: unknown;
  /**
   * The HTTP request being served (the API sets it when the request arrives):
   * the unit of work around each route handler takes the verified token from it.
   * Never logged.
   */
  request?: unknown;
}

/**
 * The process's one AsyncLocalStorage. Each instance costs every promise of the
 * process a hook call and a property (Node 20 tracks them with async hooks:
 * ~7 µs per 100 promises here, and a request makes about 100), so what else
 * must follow a request's async work travels in this context too.
 */
const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** Runs `work` in a copy of the current context (or a new one) with `values` added: for a narrower scope inside a request. */
export function runWithinContext<T>(values: Partial<RequestContext>, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...values }, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Adds ids to the current context (e.g. once the token names the clinic). */
export function enrichContext(values: Partial<RequestContext>): void {
  const store = storage.getStore();
  if (store !== undefined) Object.assign(store, values);
}
