import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';

import type { MembershipRole } from '@mend/contracts';
import { createLogger, UnitOfWork } from '@mend/core';
import type { IdentityServices } from '@mend/identity';

import { AUTHORIZATION_MATRIX, type MatrixCase } from '../../authorization/authorization-matrix.js';
import {
  AuthorizationWorld,
  memberOf,
  ROLES,
  type Caller,
  type ClinicLabel,
} from '../../authorization/support/authorization-world.js';
import { assertRegistryCovers, FixtureRegistry, kindOf } from './fixture-registry.js';
import {
  fillPath,
  matchPath,
  operationsOf,
  queryOf,
  type HttpMethod,
  type OpenApiDocument,
  type Operation,
} from './openapi.js';

/** Everything the application logged while the suite ran (the run's log file gets it too). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    for (const line of String(chunk).split('\n')) if (line !== '') this.lines.push(line);
    callback();
  }

  /** Lines logged since `mark` (an index from `this.lines.length`). */
  since(mark: number): string[] {
    return this.lines.slice(mark);
  }
}

/** A PostgreSQL error the application's own connections met (the admin connection of the test is excluded). */
export interface SqlError {
  readonly code: string;
  readonly message: string;
}

/** One request as the suites send it: the body as a JSON value or as raw text. */
export interface WireRequest {
  readonly method: HttpMethod | 'HEAD';
  /** Path and query, already encoded. */
  readonly url: string;
  readonly body?: unknown;
  /** Raw body text (malformed JSON, prototype keys, deep nesting); wins over `body`. */
  readonly rawBody?: string;
  /** Defaults to application/json when a body is sent. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A member (or nobody) sending requests: a login session of its own, renewed when a request ends it. */
export interface Actor {
  readonly name: string;
  readonly role: MembershipRole | null;
  readonly clinic: ClinicLabel | null;
  accessToken: string | null;
  /** How often a request of the suite ended this actor's login session (logout, password change…). */
  renewals: number;
}

/** A valid request of an operation taken from the authorization matrix, and whose ids it names. */
export interface Seed {
  readonly operation: Operation;
  readonly pathValues: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly body: unknown;
  /** The role the matrix allows (the seed's request succeeds for it). */
  readonly role: MembershipRole | null;
  /** `matrix`: built by the authorization matrix; `registry`: ids from the fixture registry (no matrix entry). */
  readonly source: 'matrix' | 'registry';
  /** The roles the matrix lets succeed on this route (every role when it has no entry). */
  readonly allowedRoles: readonly MembershipRole[];
}

const STAFF: readonly MembershipRole[] = ['clinic_admin', 'supervisor', 'counselor'];

/**
 * The application as the security suites attack it: the authorization world
 * (two clinics, a signed-in member per role) booted with a logger the suites
 * read, a hook that records every PostgreSQL error of the application's
 * connections, a count of unhandled promise rejections, the OpenAPI operations,
 * the fixture registry, and seeds (valid requests) for every operation.
 */
export class SecurityWorld {
  readonly logs = new LogCapture();
  readonly sqlErrors: SqlError[] = [];
  readonly unhandled: string[] = [];
  operations!: readonly Operation[];
  document!: OpenApiDocument;
  registry!: FixtureRegistry;
  world!: AuthorizationWorld;
  private readonly actors = new Map<string, Actor>();
  /** Every access token the suite used (the log scan looks for each). */
  private readonly issuedTokens = new Set<string>();
  private sequence = 0;
  private restore: (() => void)[] = [];

  static async start(): Promise<SecurityWorld> {
    const security = new SecurityWorld();
    try {
      await security.boot();
    } catch (error) {
      await security.close();
      throw error;
    }
    return security;
  }

  private async boot(): Promise<void> {
    this.watchProcess();
    // Into memory only: the suites scan it themselves (for the psychotherapy-note canary too), and
    // tens of thousands of synchronous writes to the run's log file would cost a millisecond each.
    const logger: Logger = createLogger('trace', 'test', { destination: this.logs });
    this.world = await AuthorizationWorld.start({ DATABASE_POOL_SIZE: '8' }, { logger });
    this.watchSql(this.world.admin);
    const docs = await this.world.inject({ method: 'GET', url: '/api/docs-json' }, this.world.anonymous);
    if (docs.statusCode !== 200) throw new Error(`/api/docs-json answered ${docs.statusCode}`);
    this.document = docs.json<OpenApiDocument>();
    this.operations = operationsOf(this.document);
    assertRegistryCovers(this.operations);
    this.registry = new FixtureRegistry(this.world.admin);
  }

  async close(): Promise<void> {
    for (const undo of this.restore.reverse()) undo();
    this.restore = [];
    await this.world?.close();
    // Into the run's log directory in one write, so that the canary and credential scan after the
    // whole run (test/support/psychotherapy-canary-check.ts) reads what this application logged too.
    const directory = process.env.MEND_TEST_LOG_DIR;
    if (directory !== undefined && directory !== '' && this.logs.lines.length > 0) {
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, `security-${process.pid}-${randomUUID()}.log`), `${this.logs.lines.join('\n')}\n`);
    }
  }

  /** What the application logged for a 500's error id: the error's type, message and first frames (for reports). */
  causeOf(responseBody: string): string | undefined {
    const errorId = /"errorId":"([0-9a-f-]{36})"/.exec(responseBody)?.[1];
    if (errorId === undefined) return undefined;
    const line = this.logs.lines.find((candidate) => candidate.includes(errorId));
    if (line === undefined) return 'not logged';
    const entry = JSON.parse(line) as { err?: { type?: string; message?: string; stack?: string } };
    const frames = (entry.err?.stack ?? '')
      .split('\n')
      .filter((frame) => frame.trim().startsWith('at '))
      .slice(0, 3)
      .map((frame) =>
        frame
          .trim()
          .replace(/^at /, '')
          .replace(/\(\/work\/main\//, '('),
      )
      .join(' < ');
    return `${entry.err?.type ?? 'Error'}: ${entry.err?.message ?? ''} @ ${frames}`;
  }

  get identity(): IdentityServices {
    return this.world.identity;
  }

  clinicId(label: ClinicLabel): string {
    return this.world.clinics[label].clinicId;
  }

  // ---- process and database watch ------------------------------------------------------------

  private watchProcess(): void {
    const onRejection = (reason: unknown) => {
      this.unhandled.push(`unhandledRejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
    };
    const onException = (error: Error) => {
      this.unhandled.push(`uncaughtException: ${error.stack ?? error.message}`);
    };
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    this.restore.push(() => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    });
  }

  /**
   * Records the SQLSTATE of every error a query of the application's connections
   * gets (the promise and the callback forms of pg's Client#query), without
   * changing what the caller sees. Test-side instrumentation only.
   */
  private watchSql(exclude: pg.Client): void {
    const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = prototype.query;
    const errors = this.sqlErrors;
    const record = (client: unknown, error: unknown) => {
      if (client === exclude || error === null || error === undefined) return;
      const { code, message } = error as { code?: unknown; message?: unknown };
      errors.push({ code: typeof code === 'string' ? code : 'none', message: String(message) });
    };
    prototype.query = function query(this: unknown, ...args: unknown[]): unknown {
      const last = args.length - 1;
      if (last >= 0 && typeof args[last] === 'function') {
        const callback = args[last] as (error: unknown, result: unknown) => unknown;
        args[last] = (error: unknown, result: unknown) => {
          record(this, error);
          return callback(error, result);
        };
        return original.apply(this, args);
      }
      const result = original.apply(this, args);
      if (result instanceof Promise) result.then(undefined, (error: unknown) => record(this, error));
      return result;
    };
    this.restore.push(() => {
      prototype.query = original;
    });
  }

  // ---- actors --------------------------------------------------------------------------------

  /** The members of clinic A with one role each, and anonymous. */
  actorsOfClinicA(): Actor[] {
    return [...ROLES.map((role) => this.actor('A', role)), this.anonymousActor()];
  }

  anonymousActor(): Actor {
    let actor = this.actors.get('anonymous');
    if (actor === undefined) {
      actor = { name: 'anonymous', role: null, clinic: null, accessToken: null, renewals: 0 };
      this.actors.set('anonymous', actor);
    }
    return actor;
  }

  actor(clinic: ClinicLabel, role: MembershipRole): Actor {
    const name = `${clinic}.${role}`;
    let actor = this.actors.get(name);
    if (actor === undefined) {
      const caller = this.world.clinics[clinic].callers[role];
      actor = { name, role, clinic, accessToken: caller.tokens?.accessToken ?? null, renewals: 0 };
      this.actors.set(name, actor);
      if (caller.tokens !== null) {
        this.issuedTokens.add(caller.tokens.accessToken);
        this.issuedTokens.add(caller.tokens.refreshToken);
      }
    }
    return actor;
  }

  caller(actor: Actor): Caller {
    if (actor.clinic === null || actor.role === null) return this.world.anonymous;
    return this.world.clinics[actor.clinic].callers[actor.role];
  }

  /** A new login session of the actor's member (no password round: straight from the session service). */
  async renew(actor: Actor): Promise<void> {
    if (actor.clinic === null || actor.role === null) return;
    const member = memberOf(this.caller(actor));
    const role = actor.role;
    const pair = await this.world.api.app.get(UnitOfWork).run(
      member.clinicId,
      (tx) =>
        this.identity.sessions.start(
          tx,
          {
            userId: member.userId,
            membershipId: member.membershipId,
            roles: [role],
            amr: STAFF.includes(role) ? ['pwd', 'otp'] : ['pwd'],
          },
          { userAgent: 'security-suite' },
        ),
      { userId: member.userId },
    );
    actor.accessToken = pair.accessToken;
    this.issuedTokens.add(pair.accessToken);
    this.issuedTokens.add(pair.refreshToken);
    actor.renewals += 1;
  }

  // ---- canaries and secrets in the logs ------------------------------------------------------

  /**
   * Log lines (since `mark`) holding what a log must never hold (reliability.md
   * DP-6, ISO-7): the clinical canary the suites store, a psychotherapy-note
   * canary, a password of the world's members or one sent in a seed, an access or
   * refresh token the suite used, anything shaped like a JWT, a Bearer header.
   */
  logLeaks(mark: number, extraSecrets: readonly string[] = []): string[] {
    const secrets = new Set<string>([...this.issuedTokens, ...extraSecrets]);
    for (const label of ['A', 'B'] as const) {
      for (const caller of Object.values(this.world.clinics[label].callers)) {
        if (caller.member !== null) secrets.add(caller.member.password);
        if (caller.tokens !== null) {
          secrets.add(caller.tokens.accessToken);
          secrets.add(caller.tokens.refreshToken);
        }
      }
    }
    const patterns = [
      /MENDCANARY-clinical/,
      /CANARY-psychotherapy-/,
      /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\./,
      /Bearer [\w.~+/=-]{20,}/,
    ];
    return this.logs
      .since(mark)
      .filter(
        (line) =>
          patterns.some((pattern) => pattern.test(line)) ||
          [...secrets].some((secret) => secret.length >= 8 && line.includes(secret)),
      );
  }

  /** Passwords and tokens the seeds carry in their bodies (sign-in, reset, invitation requests). */
  seedSecrets(seeds: Iterable<Seed>): string[] {
    const found: string[] = [];
    const visit = (value: unknown, key: string) => {
      if (typeof value === 'string' && /password|token|code/i.test(key)) found.push(value);
      else if (value !== null && typeof value === 'object') {
        for (const [child, item] of Object.entries(value)) visit(item, child);
      }
    };
    for (const seed of seeds) visit(seed.body, '');
    return found;
  }

  // ---- requests ------------------------------------------------------------------------------

  /** Sends a request as an actor, exactly as given (no checks). */
  raw(request: WireRequest, actor: Actor): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...request.headers };
    if (actor.accessToken !== null) headers.authorization = `Bearer ${actor.accessToken}`;
    const payload =
      request.rawBody ?? (request.body === undefined ? undefined : (JSON.stringify(request.body) ?? 'null'));
    if (payload !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
    // One client address per request: the per-address sign-in throttles must not answer in place of the handlers.
    this.sequence += 1;
    const remoteAddress = `10.${(this.sequence >> 16) & 255}.${(this.sequence >> 8) & 255}.${this.sequence & 255}`;
    return this.world.api.inject({
      method: request.method,
      url: request.url,
      headers,
      remoteAddress,
      ...(payload !== undefined && { payload }),
    });
  }

  /**
   * Sends a request as an actor. A 401 to a member on a route that needs sign-in
   * is checked: if the actor's own login session has ended (an earlier request of
   * the suite logged it out), the session is renewed and the request sent again,
   * so the suites keep reaching the handlers.
   */
  async send(request: WireRequest, actor: Actor, operation: Operation): Promise<LightMyRequestResponse> {
    const token = actor.accessToken;
    const response = await this.raw(request, actor);
    if (response.statusCode !== 401 || token === null || operation.isPublic) return response;
    // Another request running at the same time may have renewed the session already.
    if (actor.accessToken === token) {
      const me = await this.raw({ method: 'GET', url: '/api/v1/me' }, actor);
      if (me.statusCode !== 401) return response;
      if (actor.accessToken === token) await this.renew(actor);
    }
    return this.raw(request, actor);
  }

  // ---- seeds ---------------------------------------------------------------------------------

  /**
   * A valid request of the operation: the authorization matrix builds one for the
   * first role its first restricted case allows (fresh records of clinic A, so the
   * ids belong together); an operation without a matrix entry gets ids from the
   * fixture registry and no body (the fuzzer generates bodies from the schema).
   */
  async seed(operation: Operation, clinic: ClinicLabel = 'A'): Promise<Seed> {
    const entry = AUTHORIZATION_MATRIX[operation.key];
    const allowedRoles =
      entry === undefined
        ? ROLES
        : ROLES.filter((role) =>
            entry.cases.some(
              (candidate) =>
                candidate.success < 300 &&
                (candidate.allow === 'everyone' || candidate.allow === 'members' || candidate.allow.includes(role)),
            ),
          );
    const matrixCase: MatrixCase | undefined =
      entry?.cases.find((candidate) => candidate.allow !== 'everyone' && candidate.success < 300) ??
      entry?.cases.find((candidate) => candidate.success < 300) ??
      entry?.cases[0];
    if (matrixCase !== undefined) {
      const role =
        matrixCase.allow === 'everyone' ? null : matrixCase.allow === 'members' ? 'counselor' : matrixCase.allow[0];
      const caller = role === null ? this.world.anonymous : this.world.clinics[clinic].callers[role];
      const spec = await matrixCase.build(this.world, caller);
      const pathValues = matchPath(operation, spec.url);
      if (pathValues !== undefined && spec.method === operation.method) {
        return {
          operation,
          pathValues,
          query: queryOf(spec.url),
          body: spec.body,
          role,
          source: 'matrix',
          allowedRoles,
        };
      }
    }
    const pathValues: Record<string, string> = {};
    for (const parameter of operation.pathParams) {
      const ids = await this.registry.ids(operation, parameter.name, this.clinicId(clinic));
      pathValues[parameter.name] = ids[0];
    }
    return { operation, pathValues, query: {}, body: undefined, role: 'counselor', source: 'registry', allowedRoles };
  }

  /** The seeds of every operation (of clinic A unless told), a few at a time. */
  async seeds(operations: readonly Operation[], clinic: ClinicLabel = 'A'): Promise<Map<string, Seed>> {
    const seeds = new Map<string, Seed>();
    let next = 0;
    const worker = async () => {
      while (next < operations.length) {
        const operation = operations[next];
        next += 1;
        seeds.set(operation.key, await this.seed(operation, clinic));
      }
    };
    await Promise.all(Array.from({ length: 3 }, worker));
    this.registry.refresh();
    return seeds;
  }

  /**
   * Per uuid path parameter of an operation: ids that name nothing its caller may
   * see — random uuids, the same kind of record of clinic B (seed clinic B first),
   * and clinic A's records of other kinds.
   */
  async foreignIds(operation: Operation, seeds: ReadonlyMap<string, Seed>): Promise<Record<string, string[]>> {
    const foreign: Record<string, string[]> = {};
    for (const parameter of operation.pathParams) {
      if (parameter.schema.format !== 'uuid') continue;
      const kind = kindOf(operation, parameter.name);
      const others = new Set<string>();
      for (const seed of seeds.values()) {
        for (const other of seed.operation.pathParams) {
          const value = seed.pathValues[other.name];
          if (other.schema.format === 'uuid' && value !== undefined && kindOf(seed.operation, other.name) !== kind) {
            others.add(value);
          }
        }
      }
      const ofClinicB = await this.registry.ids(operation, parameter.name, this.clinicId('B')).catch(() => []);
      foreign[parameter.name] = [
        '00000000-0000-4000-8000-000000000000',
        'ffffffff-ffff-4fff-bfff-ffffffffffff',
        randomUUID(),
        ...ofClinicB.slice(0, 4),
        ...[...others].slice(0, 4),
      ];
    }
    return foreign;
  }

  /** The URL of a seed with other path values or query. */
  url(
    seed: Seed,
    pathValues = seed.pathValues,
    query: Readonly<Record<string, readonly string[]>> = seed.query,
  ): string {
    const search = new URLSearchParams();
    for (const [name, values] of Object.entries(query)) for (const value of values) search.append(name, value);
    const text = search.toString();
    return `${fillPath(seed.operation, pathValues)}${text === '' ? '' : `?${text}`}`;
  }
}
