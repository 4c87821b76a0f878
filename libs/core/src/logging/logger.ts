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
    // What pino's `redact` did with the paths 'password', 'token', 'authorization', '*.password' and
    // '*.token' (removed), at a tenth of its cost: it parsed every path again on every line, ~3 µs of
    // each request's log line. Headers and bodies of requests and responses never reach a line: the
    // req and res serializers below keep the method, the path and the status only.
    formatters: { log: withoutSecrets },
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

/** Removed from every line: at its top level, and one level down (except `authorization`). */
const SECRET_KEYS = new Set(['password', 'token', 'authorization']);
const NESTED_SECRET_KEYS = ['password', 'token'] as const;

/**
 * A log line's fields without secrets: `password`, `token` and `authorization`
 * at the top level, and `password` and `token` in any object one level down
 * (an Error included: its copy keeps its class, message and stack for the err
 * serializer). What holds no secret is passed on as it is, uncopied.
 */
export function withoutSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  let result = fields;
  for (const key of Object.keys(fields)) {
    if (SECRET_KEYS.has(key)) {
      if (result === fields) result = { ...fields };
      delete result[key];
      continue;
    }
    const value = fields[key];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    if (!NESTED_SECRET_KEYS.some((secret) => Object.hasOwn(value, secret))) continue;
    // Every property copied as configurable, so that a frozen object's secrets can be removed from the copy.
    const descriptors = Object.getOwnPropertyDescriptors(value);
    for (const descriptor of Object.values(descriptors)) descriptor.configurable = true;
    const copy = Object.create(Object.getPrototypeOf(value) as object | null, descriptors) as Record<string, unknown>;
    for (const secret of NESTED_SECRET_KEYS) delete copy[secret];
    if (result === fields) result = { ...fields };
    result[key] = copy;
  }
  return result;
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
