/**
 * A reason the worker refuses to start. `main` prints its message as one line
 * (no stack trace) and exits with code 1: these are configuration mistakes an
 * operator fixes, not crashes to debug.
 */
export class WorkerStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerStartupError';
  }
}
