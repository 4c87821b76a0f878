import { randomBytes, randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';

import type { MembershipRole } from '@mend/contracts';
import { createLogger, Database, UnitOfWork, type TenantTransaction } from '@mend/core';
import { ManualClock, OPERATOR, type IdentityServices, type TokenPair } from '@mend/identity';
import { connectAs, testConfig, testLogger } from '@mend/testing';

import { IDENTITY_SERVICES } from '../../../../apps/api/src/auth/identity.tokens.js';
import { createApiApplication } from '../../../../apps/api/src/bootstrap.js';
import {
  fakeSecondFactor,
  newCredentials,
  signIn,
  type IdentityApp,
  type Member,
  type Tokens,
} from '../../auth/support/identity-app.js';
import { insertCase, insertClient } from '../../cases/support/case-world.js';

export const ROLES: readonly MembershipRole[] = ['clinic_admin', 'supervisor', 'counselor', 'client'];
export type ClinicLabel = 'A' | 'B';

/** Someone calling the API: anonymous, or a signed-in member of clinic A or B with one role. */
export interface Caller {
  readonly name: string;
  readonly clinic: ClinicFixtures | null;
  readonly role: MembershipRole | null;
  readonly member: Member | null;
  readonly tokens: Tokens | null;
}

export interface ClinicFixtures {
  readonly label: ClinicLabel;
  readonly clinicId: string;
  readonly callers: Readonly<Record<MembershipRole, Caller>>;
  /** The client record of the clinic's `client` caller (their portal membership is linked to it). */
  readonly clientId: string;
}

/** A fresh couple case: the clinic's counselor is its primary counselor, the clinic's client caller partner A. */
export interface CaseFixture {
  readonly caseId: string;
  /** Partner A: the client caller's own client record. */
  readonly partnerAClientId: string;
  /** Partner B: a client without a portal account. */
  readonly partnerBClientId: string;
}

/** One route as the router has it: `GET /api/v1/users/:membershipId`. */
export interface RegisteredRoute {
  readonly method: string;
  readonly path: string;
}

export const routeKey = (route: RegisteredRoute): string => `${route.method} ${route.path}`;

/**
 * Every route the router serves, read from Fastify's own route tree
 * (`printRoutes`), which also holds the routes plugins registered before any
 * hook could see them (Swagger UI). Each parsed route is checked back with
 * `hasRoute`, so a parsing mistake fails loudly instead of hiding a route.
 */
export function registeredRoutes(fastify: FastifyInstance): RegisteredRoute[] {
  const tree = fastify.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: RegisteredRoute[] = [];
  for (const line of tree.split('\n')) {
    const branch = line.search(/[├└]── /);
    if (branch < 0) continue;
    const depth = branch / 4;
    const match = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(branch + 4));
    if (match === null) throw new Error(`Unreadable route line: ${line}`);
    stack.length = depth;
    stack.push(match[1]);
    if (match[2] === undefined) continue;
    const path = stack.join('');
    for (const method of match[2].split(', ')) {
      // find-my-way prints `/prefix/*` as the node `/prefix` with a child `*`.
      const candidates = path.endsWith('*') && !path.endsWith('/*') ? [`${path.slice(0, -1)}/*`, path] : [path];
      const url = candidates.find((candidate) => fastify.hasRoute({ method, url: candidate }));
      if (url === undefined) throw new Error(`Parsed route ${method} ${path} is not known to the router`);
      routes.push({ method, path: url });
    }
  }
  return routes;
}

export interface RequestSpec {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
  /** Send the request with these tokens instead of the caller's (a stand-in of the same role). */
  readonly as?: Tokens | null;
  /** Client address (Fastify inject's remoteAddress): spreads throttled public routes over addresses. */
  readonly ip?: string;
}

/**
 * The application under test, two clinics with one signed-in member per role,
 * and factories of fresh records (each call makes new ones, so a request that
 * changes or ends a record never disturbs another check).
 */
export class AuthorizationWorld {
  readonly anonymous: Caller = { name: 'anonymous', clinic: null, role: null, member: null, tokens: null };
  clinics!: Readonly<Record<ClinicLabel, ClinicFixtures>>;
  routes!: readonly RegisteredRoute[];
  /** Routes Nest registered, as seen by an onRoute hook before init (cross-checks the parsed tree). */
  readonly hookedRoutes: RegisteredRoute[] = [];
  identity!: IdentityServices;
  admin!: pg.Client;
  private app!: NestFastifyApplication;
  private fastify!: FastifyInstance;
  private readonly clock = new ManualClock(new Date('2026-06-01T08:00:00Z'));

  /** `logger`: the application's logger instead of the run's log file (the security suites read what it logs). */
  static async start(env: Record<string, string> = {}, options: { logger?: Logger } = {}): Promise<AuthorizationWorld> {
    const world = new AuthorizationWorld();
    await world.boot(env, options.logger);
    return world;
  }

  private async boot(env: Record<string, string>, logger: Logger | undefined): Promise<void> {
    // MEND_TEST_LOG_LEVEL=error shows the cause of an unexpected 500 while debugging.
    this.app = await createApiApplication(
      testConfig(env),
      // Otherwise the run's log file (trace), scanned for the psychotherapy-note canary after the suite.
      logger ??
        (process.env.MEND_TEST_LOG_LEVEL === undefined
          ? testLogger('test')
          : createLogger(process.env.MEND_TEST_LOG_LEVEL, 'test')),
      {
        // Frozen time: nothing moves by itself (idle limits, last-seen writes) while rows are compared.
        identity: { clock: this.clock, secondFactor: fakeSecondFactor() },
      },
    );
    this.fastify = this.app.getHttpAdapter().getInstance();
    this.fastify.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (!this.hookedRoutes.some((seen) => seen.method === method && seen.path === route.url)) {
          this.hookedRoutes.push({ method, path: route.url });
        }
      }
    });
    await this.app.init();
    await this.fastify.ready();
    await this.app.get(Database).whenReady();
    this.identity = this.app.get<IdentityServices>(IDENTITY_SERVICES);
    // The union of both views: the tree misses nothing registered before the hook, the hook
    // sees routes the tree prints folded into a sibling (a wildcard under a wildcard's prefix).
    const parsed = registeredRoutes(this.fastify);
    const seen = new Set(parsed.map(routeKey));
    this.routes = [...parsed, ...this.hookedRoutes.filter((route) => !seen.has(routeKey(route)))];
    for (const route of this.routes) {
      if (!this.fastify.hasRoute({ method: route.method, url: route.path })) {
        throw new Error(`${routeKey(route)} is not known to the router`);
      }
    }
    this.admin = await connectAs('admin');
    const [a, b] = await Promise.all([this.seedClinic('A'), this.seedClinic('B')]);
    this.clinics = { A: a, B: b };
  }

  async close(): Promise<void> {
    await this.admin?.end();
    await this.app?.close();
  }

  /** The IdentityApp shape the auth e2e helpers (signIn) expect. */
  get api(): IdentityApp {
    return {
      app: this.app,
      identity: this.identity,
      clock: this.clock,
      inject: (options: InjectOptions) => this.fastify.inject(options),
      close: () => this.app.close(),
    };
  }

  /** The members of every clinic's callers, anonymous first. */
  callers(): Caller[] {
    return [
      this.anonymous,
      ...(['A', 'B'] as const).flatMap((label) => ROLES.map((r) => this.clinics[label].callers[r])),
    ];
  }

  private async seedClinic(label: ClinicLabel): Promise<ClinicFixtures> {
    const adminCredentials = newCredentials(`admin-${label.toLowerCase()}`);
    const created = await this.identity.provisioning.createClinic({
      name: `Authorization Clinic ${label}`,
      admin: { ...adminCredentials, displayName: `Synthetic Admin ${label}` },
    });
    const clinicId = created.clinicId;
    const shell = { label, clinicId } as ClinicFixtures;
    const callers = {} as Record<MembershipRole, Caller>;
    for (const role of ROLES) {
      const member: Member =
        role === 'clinic_admin'
          ? { ...adminCredentials, userId: created.userId, membershipId: created.membershipId, clinicId }
          : await this.member(clinicId, [role]);
      callers[role] = {
        name: `${label}.${role}`,
        clinic: shell,
        role,
        member,
        tokens: await signIn(this.api, member),
      };
    }
    // The supervisor of each clinic supervises its counselor: the relationship exists in every run.
    await this.link(clinicId, memberOf(callers.supervisor).membershipId, memberOf(callers.counselor).membershipId);
    const clientId = await this.client(clinicId, memberOf(callers.client).membershipId);
    return Object.assign(shell, { callers, clientId });
  }

  inject(spec: RequestSpec, caller: Caller): Promise<LightMyRequestResponse> {
    const tokens = spec.as === undefined ? caller.tokens : spec.as;
    const headers: Record<string, string> = {};
    if (tokens !== null) headers.authorization = `Bearer ${tokens.accessToken}`;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    return this.fastify.inject({
      method: spec.method,
      url: spec.url,
      headers,
      ...(spec.body !== undefined && { payload: JSON.stringify(spec.body) }),
      ...(spec.ip !== undefined && { remoteAddress: spec.ip }),
    });
  }

  // ---- fresh records ---------------------------------------------------------------------------

  async member(clinicId: string, roles: MembershipRole[]): Promise<Member> {
    const credentials = newCredentials(roles[0]);
    const created = await this.identity.provisioning.ensureMember(clinicId, { ...credentials, roles });
    return { ...credentials, userId: created.userId, membershipId: created.membershipId, clinicId };
  }

  /** A signed-in member with the caller's role in the caller's clinic (for routes that change the caller). */
  async standIn(caller: Caller): Promise<{ readonly tokens: Tokens; readonly password: string } | null> {
    if (caller.clinic === null || caller.role === null) return null;
    const member = await this.member(caller.clinic.clinicId, [caller.role]);
    return { tokens: await signIn(this.api, member), password: member.password };
  }

  /** A client record (fixture rows: the clients API is under test elsewhere). */
  client(clinicId: string, membershipId: string | null = null): Promise<string> {
    return insertClient(this.api, clinicId, { membershipId });
  }

  /** A fresh couple case of the clinic (see {@link CaseFixture}). */
  async couple(clinic: ClinicFixtures): Promise<CaseFixture> {
    const partnerBClientId = await this.client(clinic.clinicId);
    const caseId = await insertCase(this.api, clinic.clinicId, {
      primaryMembershipId: memberOf(clinic.callers.counselor).membershipId,
      participants: [
        { clientId: clinic.clientId, role: 'harmed' },
        { clientId: partnerBClientId, role: 'harming' },
      ],
    });
    return { caseId, partnerAClientId: clinic.clientId, partnerBClientId };
  }

  async link(clinicId: string, supervisorMembershipId: string, counselorMembershipId: string): Promise<void> {
    await this.unitOfWork(clinicId, (identity, tx) =>
      identity.memberships.linkSupervisor(tx, OPERATOR, supervisorMembershipId, counselorMembershipId),
    );
  }

  async invitation(clinicId: string): Promise<{ invitationId: string; token: string }> {
    const issued = await this.unitOfWork(clinicId, (identity, tx) =>
      identity.invitations.create(tx, OPERATOR, { email: newCredentials('invitee').email, roles: ['client'] }),
    );
    return { invitationId: issued.invitationId, token: tokenOfLink(issued.link) };
  }

  async passwordReset(clinicId: string): Promise<{ token: string; member: Member }> {
    const member = await this.member(clinicId, ['client']);
    const issued = await this.identity.passwordResets.issueByEmail(clinicId, member.email);
    return { token: tokenOfLink(issued.link), member };
  }

  /** A new login session (with its refresh token) of a member, as a sign-in would start. */
  async loginSession(member: Member, roles: readonly MembershipRole[]): Promise<TokenPair> {
    return this.unitOfWork(
      member.clinicId,
      (identity, tx) =>
        identity.sessions.start(
          tx,
          { userId: member.userId, membershipId: member.membershipId, roles, amr: ['pwd'] },
          { userAgent: 'authorization-matrix' },
        ),
      member.userId,
    );
  }

  private unitOfWork<T>(
    clinicId: string,
    work: (identity: IdentityServices, tx: TenantTransaction) => Promise<T>,
    userId?: string,
  ): Promise<T> {
    return this.app.get(UnitOfWork).run(clinicId, (tx) => work(this.identity, tx), { userId });
  }
}

export function memberOf(caller: Caller): Member {
  if (caller.member === null) throw new Error(`${caller.name} is not a member`);
  return caller.member;
}

export function tokenOfLink(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (token === null) throw new Error('A link without a token');
  return token;
}

/** `<clinicId>.<rowId>.<secret>` with a secret nobody was given: names a real row, proves nothing. */
export function forgedToken(clinicId: string, rowId: string): string {
  return `${clinicId}.${rowId}.${randomBytes(32).toString('base64url')}`;
}

export const randomId = (): string => randomUUID();
