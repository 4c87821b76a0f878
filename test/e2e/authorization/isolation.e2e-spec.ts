import { randomUUID } from 'node:crypto';

import { seededFaker, testSeed } from '@mend/testing';

import { AUTHORIZATION_MATRIX, type IdKind, type IsolationSpec } from './authorization-matrix.js';
import {
  AuthorizationWorld,
  memberOf,
  ROLES,
  type Caller,
  type ClinicLabel,
  type RequestSpec,
} from './support/authorization-world.js';
import { deniedCounts, rowChecksums } from './support/row-checksums.js';

/** ≥ 5,000 per CI run (reliability.md ISO-1); MEND_ISOLATION_ATTEMPTS raises it for a nightly run. */
const ATTEMPTS = Math.max(5_000, Number(process.env.MEND_ISOLATION_ATTEMPTS ?? 0));
const CONCURRENCY = 8;

interface Attempt {
  readonly route: string;
  readonly attacker: Caller;
  readonly spec: RequestSpec;
  readonly expected: number;
  /** Refused by the access policy (403/404 on an authenticated route): audited as authz.denied. */
  readonly isAudited: boolean;
  /** A list that must come back empty (a filter naming another clinic's ids). */
  readonly emptyList?: string;
}

const ID_QUERIES: Readonly<Record<IdKind, string>> = {
  membership: 'select id from memberships where clinic_id = $1',
  user: 'select user_id as id from memberships where clinic_id = $1',
  login_session: 'select id from login_sessions where clinic_id = $1',
  invitation: 'select id from invitations where clinic_id = $1',
  refresh_token: 'select id from refresh_tokens where clinic_id = $1',
  password_reset: 'select id from password_resets where clinic_id = $1',
  client: 'select id from clients where clinic_id = $1',
  case: 'select id from cases where clinic_id = $1',
};

/**
 * ISO-1: every route of the matrix that names a record (path parameters, body
 * fields, the row id inside a token) is called by members of the other clinic —
 * clinic admin, supervisor, counselor, client — with real ids of the victim
 * clinic, random uuids, and mixes with the attacker's own ids. Every attempt
 * gets the matrix's answer — 404 on authenticated routes, like an unknown id
 * (never 403, never 2xx); the public token routes' own refusal; 403 from the
 * audit-trail query to members who may not read the trail at all, and for its
 * admins an empty list — and no row of either clinic changes; each refusal of an
 * authenticated route is in the attacker's own audit trail.
 */
describe('cross-clinic isolation (from the authorization matrix)', () => {
  let world: AuthorizationWorld;
  const pools: Record<ClinicLabel, Record<IdKind, string[]>> = { A: emptyPools(), B: emptyPools() };

  function emptyPools(): Record<IdKind, string[]> {
    return {
      membership: [],
      user: [],
      login_session: [],
      invitation: [],
      refresh_token: [],
      password_reset: [],
      client: [],
      case: [],
    };
  }

  beforeAll(async () => {
    world = await AuthorizationWorld.start({ DATABASE_POOL_SIZE: '10' });
    // Each clinic gets live records of every kind, so that a request that slipped
    // through would change something the checksums see.
    for (const label of ['A', 'B'] as const) {
      const clinicId = world.clinics[label].clinicId;
      for (let index = 0; index < 3; index += 1) {
        await world.invitation(clinicId);
        await world.passwordReset(clinicId);
        const member = await world.member(clinicId, [ROLES[index]]);
        await world.loginSession(member, [ROLES[index]]);
        await world.couple(world.clinics[label]);
      }
      for (const kind of Object.keys(ID_QUERIES) as IdKind[]) {
        const { rows } = await world.admin.query<{ id: string }>(ID_QUERIES[kind], [clinicId]);
        pools[label][kind] = rows.map((row) => row.id);
        expect({ label, kind, enough: rows.length >= 3 }).toEqual({ label, kind, enough: true });
      }
    }
  }, 120_000);
  afterAll(() => world?.close());

  it(`refuses ${ATTEMPTS}+ cross-clinic attempts with the matrix's answer and changes no row`, async () => {
    const seed = testSeed();
    const faker = seededFaker(seed);
    const routes = Object.entries(AUTHORIZATION_MATRIX).filter(
      (entry): entry is [string, { cases: never; isolation: IsolationSpec }] => entry[1].isolation !== undefined,
    );
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const totalWeight = routes.reduce((sum, [, entry]) => sum + (entry.isolation.weight ?? 1), 0);

    const attempts: Attempt[] = [];
    const perRoute: Record<string, number> = {};
    let sequence = 0;
    for (const [route, { isolation }] of routes) {
      const count = Math.ceil((ATTEMPTS * (isolation.weight ?? 1)) / totalWeight);
      perRoute[route] = count;
      for (let index = 0; index < count; index += 1) {
        sequence += 1;
        const attackerLabel: ClinicLabel = sequence % 2 === 0 ? 'A' : 'B';
        const victimLabel: ClinicLabel = attackerLabel === 'A' ? 'B' : 'A';
        const attacker = world.clinics[attackerLabel].callers[ROLES[Math.floor(sequence / 2) % ROLES.length]];
        // At least one id names the victim clinic (or nothing at all); the others may be the attacker's own.
        const anchor = faker.number.int({ min: 0, max: isolation.slots.length - 1 });
        const ids = isolation.slots.map((kind, slot) => {
          const roll = faker.number.float();
          if (slot !== anchor && roll < 0.3) return faker.helpers.arrayElement(pools[attackerLabel][kind]);
          return roll < 0.85 ? faker.helpers.arrayElement(pools[victimLabel][kind]) : randomUUID();
        });
        const spec = isolation.build(ids, {
          victimClinicId: world.clinics[victimLabel].clinicId,
          attacker: memberOf(attacker),
        });
        // One client address per attempt: the per-address sign-in limits must not answer in place of the check.
        const ip = `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}`;
        const role = attacker.role ?? 'client';
        const expected = isolation.expectedFor?.[role] ?? isolation.expected;
        attempts.push({
          route,
          attacker,
          spec: { ...spec, ip },
          expected,
          isAudited: isolation.isPublic !== true && (expected === 403 || expected === 404),
          emptyList: isolation.emptyList,
        });
      }
    }
    expect(attempts.length).toBeGreaterThanOrEqual(ATTEMPTS);

    const clinicIds = [world.clinics.A.clinicId, world.clinics.B.clinicId];
    // Allowed audit-trail queries record themselves (audit.read): counted below, not fingerprinted.
    const uncounted = ['authz.denied', 'audit.read'];
    const rowsBefore = await rowChecksums(world.admin, clinicIds, uncounted);
    const deniedBefore = await deniedCounts(world.admin, clinicIds);
    const readsBefore = await deniedCounts(world.admin, clinicIds, 'audit.read');
    const started = Date.now();

    const wrong: string[] = [];
    const statuses: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < attempts.length) {
        const attempt = attempts[next];
        next += 1;
        const response = await world.inject(attempt.spec, attempt.attacker);
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        const code =
          response.statusCode === 404 ? response.json<{ code?: string }>().code : String(response.statusCode);
        const listed =
          attempt.emptyList !== undefined && response.statusCode === 200
            ? response.json<Record<string, unknown[]>>()[attempt.emptyList]
            : [];
        if (listed.length > 0) wrong.push(`${attempt.spec.url} by ${attempt.attacker.name}: listed ${listed.length}`);
        if (response.statusCode !== attempt.expected || (response.statusCode === 404 && code !== 'not_found')) {
          wrong.push(
            `${attempt.spec.method} ${attempt.spec.url} (${attempt.route}) by ${attempt.attacker.name}: ` +
              `expected ${attempt.expected}, got ${response.statusCode} ${code ?? ''}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsedMs = Date.now() - started;

    expect(wrong.slice(0, 20)).toEqual([]);
    expect(await rowChecksums(world.admin, clinicIds, uncounted)).toEqual(rowsBefore);
    const deniedAfter = await deniedCounts(world.admin, clinicIds);
    const readsAfter = await deniedCounts(world.admin, clinicIds, 'audit.read');
    for (const label of ['A', 'B'] as const) {
      const clinicId = world.clinics[label].clinicId;
      const ofItsMembers = attempts.filter((attempt) => attempt.attacker.clinic?.label === label);
      expect({
        clinic: label,
        refusalsAudited: deniedAfter[clinicId] - deniedBefore[clinicId],
        trailReads: readsAfter[clinicId] - readsBefore[clinicId],
      }).toEqual({
        clinic: label,
        refusalsAudited: ofItsMembers.filter((attempt) => attempt.isAudited).length,
        trailReads: ofItsMembers.filter((attempt) => attempt.emptyList !== undefined && attempt.expected === 200)
          .length,
      });
    }
    console.log(
      `isolation: ${attempts.length} cross-clinic attempts in ${(elapsedMs / 1000).toFixed(1)} s ` +
        `(seed ${seed}), all answered as the matrix states, no row changed; statuses ${JSON.stringify(statuses)}; per route ${JSON.stringify(perRoute)}`,
    );
  }, 180_000);
});
