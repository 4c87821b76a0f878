import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger, type LoggerOptions as LoggerSettings } from 'pino';

import { currentContext } from '../context/request-context.js';

export interface LoggerOptions {
  /**
   * Write stdout asynchronously (off the event loop) in batches instead of one
   * blocking write per line: lines are written once 4 KiB have gathered or
   * 250 ms after the last write, whichever comes first (before, a write began as
   * soon as the previous one ended, often with a line or two: batching saved
   * ~7 µs of API CPU per GET /me in an A/B run). For the API, which logs every
   * request; the lines are still written on exit, also after a crash (pino
   * flushes synchronously then), but not after SIGKILL.
   */
  readonly asyncOutput?: boolean;
  /** Tests: every line to this stream instead of stdout (the canary checks read them). */
  readonly destination?: DestinationStream;
}

/**
 * JSON lines with the correlation, clinic, user and job ids of the work in
 * progress. Request bodies, headers and query strings are never logged; paths
 * are logged without their query string.
 */
export function createLogger(level: string, name: string, options: LoggerOptions = {}): Logger {
  const settings: LoggerSettings = {
    name,
    level,
    base: { pid: process.pid },
    timestamp: isoTimeOncePerMillisecond(),
    redact: {
      paths: ['req.headers', 'req.body', 'res.headers', 'password', '*.password', 'token', '*.token', 'authorization'],
      remove: true,
    },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        method: req.method,
        path: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
    // One object shape for every line (pino leaves out the undefined ids): building it from
    // conditional spreads cost ~3 µs per line between this and pino's merge of it (CPU profile of GET /me).
    mixin: () => {
      const context = currentContext();
      if (context === undefined) return {};
      return {
        correlationId: context.correlationId,
        clinicId: context.clinicId,
        userId: context.userId,
        jobId: context.jobId,
      };
    },
  };
  if (options.destination !== undefined) return pino(settings, options.destination);
  if (options.asyncOutput !== true) return pino(settings);
  return pino(settings, pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 }));
}

/**
 * pino's `isoTime` (`,"time":"<ISO 8601>"`), formatted once per millisecond: the
 * API writes a line per request, several within one millisecond under load, and
 * formatting the date was ~1 % of a `GET /me` request's CPU.
 */
export function isoTimeOncePerMillisecond(now: () => number = Date.now): () => string {
  let formattedAt = Number.NaN;
  let text = '';
  return () => {
    const millis = now();
    if (millis !== formattedAt) {
      formattedAt = millis;
      text = `,"time":"${new Date(millis).toISOString()}"`;
    }
    return text;
  };
}

/** Nest's logger on top of pino. */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
