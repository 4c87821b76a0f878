import { WorkerStartupError } from '../worker-startup.error.js';

/** One discovered `@JobHandler` class. */
export interface HandlerRegistration<T> {
  readonly jobName: string;
  /** The class name, for the refusal message. */
  readonly handlerName: string;
  readonly instance: T;
}

/**
 * Every problem with the handler set, in a stable order: a declared job with
 * no handler, a job with two or more, a handler naming an undeclared job.
 * Empty means the worker may start.
 */
export function findJobHandlerProblems(
  declaredJobNames: readonly string[],
  registrations: readonly Pick<HandlerRegistration<unknown>, 'jobName' | 'handlerName'>[],
): string[] {
  const declared = new Set(declaredJobNames);
  const handlersByJob = new Map<string, string[]>();
  for (const registration of registrations) {
    const names = handlersByJob.get(registration.jobName) ?? [];
    names.push(registration.handlerName);
    handlersByJob.set(registration.jobName, names);
  }
  const problems: string[] = [];
  for (const jobName of declaredJobNames) {
    const handlers = handlersByJob.get(jobName) ?? [];
    if (handlers.length === 0) problems.push(`job "${jobName}" has no handler`);
    if (handlers.length > 1) problems.push(`job "${jobName}" has ${handlers.length} handlers (${handlers.join(', ')})`);
  }
  for (const [jobName, handlers] of handlersByJob) {
    if (!declared.has(jobName)) {
      problems.push(`${handlers.join(', ')} handles "${jobName}", which is not declared in JOB_DEFINITIONS`);
    }
  }
  return problems;
}

/**
 * The handler of each declared job, or a {@link WorkerStartupError} naming
 * every problem on one line.
 */
export function resolveJobHandlers<T>(
  declaredJobNames: readonly string[],
  registrations: readonly HandlerRegistration<T>[],
): Map<string, T> {
  const problems = findJobHandlerProblems(declaredJobNames, registrations);
  if (problems.length > 0) {
    throw new WorkerStartupError(`Worker refuses to start: ${problems.join('; ')}.`);
  }
  return new Map(registrations.map((registration) => [registration.jobName, registration.instance]));
}
