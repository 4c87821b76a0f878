import { randomUUID } from 'node:crypto';

import { AUTHORIZATION_MATRIX, expectedStatus } from './authorization-matrix.js';
import {
  AuthorizationWorld,
  memberOf,
  routeKey,
  type Caller,
  type RequestSpec,
} from './support/authorization-world.js';
import { deniedCounts, rowChecksums } from './support/row-checksums.js';

interface Call {
  readonly label: string;
  readonly caller: Caller;
  readonly spec: RequestSpec;
  readonly expected: number;
  /** A member refused by the access policy (403/404 on a route that is not public): audited as authz.denied. */
  readonly isPolicyRefusal: boolean;
}

/** Runs calls a few at a time; returns "label: expected X, got Y (code)" for every mismatch. */
async function runAll(world: AuthorizationWorld, calls: readonly Call[], concurrency = 4): Promise<string[]> {
  const mismatches: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const call = calls[next];
      next += 1;
      const response = await world.inject(call.spec, call.caller);
      if (response.statusCode !== call.expected) {
        const code = String(response.headers['content-type']).includes('json')
          ? response.json<{ code?: string }>().code
          : '';
        mismatches.push(`${call.label}: expected ${call.expected}, got ${response.statusCode} ${code ?? ''}`.trim());
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return mismatches.sort();
}

/**
 * ISO-2: every route the application registers (read from its router) has an
 * entry in the authorization matrix, and every caller — anonymous, and a clinic
 * admin, supervisor, counselor and client of each of two clinics — gets exactly
 * the answer the matrix states. Refused calls change no row and each leaves an
 * `authz.denied` audit row.
 */
describe('authorization matrix', () => {
  let world: AuthorizationWorld;

  beforeAll(async () => {
    world = await AuthorizationWorld.start();
  }, 120_000);
  afterAll(() => world?.close());

  /** Registered routes, a HEAD that Fastify derives from a GET counted with its GET. */
  function routesToCover(): string[] {
    const gets = new Set(world.routes.filter((route) => route.method === 'GET').map((route) => route.path));
    return world.routes
      .filter((route) => !(route.method === 'HEAD' && gets.has(route.path)))
      .map(routeKey)
      .sort();
  }

  it('has an entry for every registered route, and none for a route that does not exist', () => {
    const registered = routesToCover();
    const listed = Object.keys(AUTHORIZATION_MATRIX).sort();
    expect({
      registeredButNotInMatrix: registered.filter((key) => !listed.includes(key)),
      inMatrixButNotRegistered: listed.filter((key) => !registered.includes(key)),
    }).toEqual({ registeredButNotInMatrix: [], inMatrixButNotRegistered: [] });
    // Every route Nest's controllers registered (seen by the onRoute hook) is among them.
    const all = new Set(world.routes.map(routeKey));
    expect(world.hookedRoutes.filter((route) => route.path.startsWith('/api/v1'))).not.toHaveLength(0);
    expect(world.hookedRoutes.map(routeKey).filter((key) => !all.has(key))).toEqual([]);
    expect(registered.length).toBeGreaterThanOrEqual(30);
    console.log(`authorization matrix: ${registered.length} routes registered, ${listed.length} matrix entries`);
  });

  it('answers every route, for every caller, as the matrix states; refusals change nothing and are audited', async () => {
    const calls: Call[] = [];
    for (const [key, entry] of Object.entries(AUTHORIZATION_MATRIX)) {
      for (const entryCase of entry.cases) {
        for (const caller of world.callers()) {
          calls.push({
            label: `${key} [${entryCase.name}] as ${caller.name}`,
            caller,
            spec: await entryCase.build(world, caller),
            expected: expectedStatus(entryCase, caller),
            isPolicyRefusal:
              entryCase.allow !== 'everyone' &&
              caller.role !== null &&
              [403, 404].includes(expectedStatus(entryCase, caller)),
          });
        }
      }
    }
    // A HEAD derived from a GET is guarded like the GET.
    for (const [key, entry] of Object.entries(AUTHORIZATION_MATRIX)) {
      if (!key.startsWith('GET ') || entry.cases[0].allow === 'everyone') continue;
      const spec = await entry.cases[0].build(world, world.anonymous);
      calls.push({
        label: `HEAD of ${key} as anonymous`,
        caller: world.anonymous,
        spec: { ...spec, method: 'HEAD' },
        expected: 401,
        isPolicyRefusal: false,
      });
    }

    const clinicIds = [world.clinics.A.clinicId, world.clinics.B.clinicId];
    const refused = calls.filter((call) => call.expected >= 400);
    const allowed = calls.filter((call) => call.expected < 400);
    const rowsBefore = await rowChecksums(world.admin, clinicIds);
    const deniedBefore = await deniedCounts(world.admin, clinicIds);

    const mismatches = await runAll(world, refused);
    expect(mismatches).toEqual([]);

    expect(await rowChecksums(world.admin, clinicIds)).toEqual(rowsBefore);
    const deniedAfter = await deniedCounts(world.admin, clinicIds);
    // The access policy's refusals (403/404 to a member) are audited; a public route's own 4xx is not a refusal.
    const membersRefused = refused.filter((call) => call.isPolicyRefusal);
    for (const label of ['A', 'B'] as const) {
      const clinicId = world.clinics[label].clinicId;
      const expectedDenials = membersRefused.filter((call) => call.caller.clinic?.label === label).length;
      expect({ clinic: label, audited: deniedAfter[clinicId] - deniedBefore[clinicId] }).toEqual({
        clinic: label,
        audited: expectedDenials,
      });
    }

    mismatches.push(...(await runAll(world, allowed)));
    expect(mismatches).toEqual([]);
    console.log(
      `authorization matrix: ${calls.length} calls (${allowed.length} allowed, ${refused.length} refused, ` +
        `${membersRefused.length} of them by members and audited)`,
    );
  }, 120_000);

  it('answers a record the caller may not see with the very body of a record that does not exist', async () => {
    const counselor = world.clinics.A.callers.counselor;
    const admin = world.clinics.A.callers.clinic_admin;
    const colleague = await world.member(world.clinics.A.clinicId, ['client']);
    const hidden = await world.inject(
      { method: 'PATCH', url: `/api/v1/users/${colleague.membershipId}`, body: { status: 'disabled' } },
      counselor,
    );
    const missing = await world.inject(
      { method: 'PATCH', url: `/api/v1/users/${randomUUID()}`, body: { status: 'disabled' } },
      admin,
    );
    const elsewhere = await world.inject(
      {
        method: 'PATCH',
        url: `/api/v1/users/${memberOf(world.clinics.B.callers.client).membershipId}`,
        body: { status: 'disabled' },
      },
      admin,
    );
    const comparable = (body: Record<string, unknown>) => {
      const { instance: _instance, correlationId: _correlationId, ...rest } = body;
      return rest;
    };
    expect(hidden.statusCode).toBe(404);
    expect(comparable(hidden.json())).toEqual(comparable(missing.json()));
    expect(comparable(elsewhere.json())).toEqual(comparable(missing.json()));
    expect(comparable(missing.json())).toMatchObject({ status: 404, code: 'not_found' });
  });
});
