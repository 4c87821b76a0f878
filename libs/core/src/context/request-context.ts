import { AsyncLocalStorage } from 'node:async_hooks';

/** What logs carry for the work in progress: never content, only ids. */
export interface RequestContext {
  correlationId?: string;
  clinicId?: string;
  userId?: string;
  jobId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Adds ids to the current context (e.g. once the token names the clinic). */
export function enrichContext(values: Partial<RequestContext>): void {
  const store = storage.getStore();
  if (store !== undefined) Object.assign(store, values);
}
