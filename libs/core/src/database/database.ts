import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

import { DependencyUnavailableError } from '../errors/problem.js';
import { initializeDataSource } from './data-source.factory.js';

/**
 * Owns the runtime data source. Connects in the background with backoff, so a
 * process started while PostgreSQL is down serves 503s and a one-line message
 * per attempt instead of crashing.
 */
export class Database {
  private isReady = false;
  private isClosing = false;
  private wakeUp: (() => void) | undefined;
  private readonly ready: Promise<void>;

  constructor(
    readonly dataSource: DataSource,
    private readonly logger: Logger,
    options: { readonly maxAttempts?: number } = {},
  ) {
    this.ready = this.connect(options.maxAttempts ?? Number.POSITIVE_INFINITY);
    this.ready.catch(() => undefined);
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** The data source, or a 503 when PostgreSQL has not been reached yet. */
  connected(): DataSource {
    if (!this.isReady) throw new DependencyUnavailableError('database');
    return this.dataSource;
  }

  async close(): Promise<void> {
    this.isClosing = true;
    this.wakeUp?.();
    // A connection attempt still under way would otherwise open a pool after we closed.
    await this.ready.catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async connect(maxAttempts: number): Promise<void> {
    for (let attempt = 1; !this.isClosing; attempt += 1) {
      try {
        await initializeDataSource(this.dataSource, (error) =>
          this.logger.warn(
            { code: (error as { code?: string }).code },
            'PostgreSQL connection lost; the pool will reconnect',
          ),
        );
        this.isReady = true;
        if (attempt > 1) this.logger.info('PostgreSQL reachable again');
        return;
      } catch (error) {
        const delay = Math.min(500 * 2 ** (attempt - 1), 5_000);
        const reason = describeConnectionError(error);
        if (attempt >= maxAttempts) {
          throw new Error(`PostgreSQL unreachable after ${attempt} attempts (${reason})`, { cause: error });
        }
        this.logger.warn(`PostgreSQL unreachable (${reason}); retrying in ${delay} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}

/** A short reason without hosts, users or passwords. */
export function describeConnectionError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}
