import { randomBytes } from 'node:crypto';

import type { DataSource } from 'typeorm';

import {
  createDataSource,
  type EnvelopeEncryption,
  masterKeyEnvelope,
  preparedStatementByWireName,
  UnitOfWork,
} from '@mend/core';
import { PasswordHasher } from '@mend/identity';
import { ENTITIES } from '@mend/platform';
import { testConfig, testEnvironment } from '@mend/testing';

import { adminUrlOnDatabase } from '../../../apps/cli/src/commands/scale.commands.js';
import { emailOf, seedScale } from '../../../apps/cli/src/scale/scale-generator.js';
import { createOwnDatabase, type OwnDatabase } from '../../integration/worker/support/own-database.js';
import { bearer, signIn, startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { call } from '../cases/support/http.js';

jest.setTimeout(180_000);

type Headers = Record<string, string>;

/** A statement as the API sent it: through pg's extended protocol, or an `EXECUTE` of an SQL-prepared statement. */
type Captured =
  | { readonly kind: 'bound'; readonly text: string; readonly values: readonly unknown[] }
  | { readonly kind: 'execute'; readonly name: string; readonly literals: string };

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  /** A Bitmap Heap Scan's condition: its Bitmap Index Scan's, checked again on the rows. */
  'Recheck Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

/** `EXECUTE name(literals)` inside a simple-protocol message; literals may hold quoted `)` and `;`. */
const EXECUTE = /EXECUTE (mend_sql_[a-z0-9_]+)\(((?:E?'(?:[^'\\]|''|\\.)*'|[^)'])*)\)/g;
const PREPARE = /^PREPARE (mend_sql_[a-z0-9_]+)(\([^)]*\))? AS ([\s\S]*)$/;
/** What is worth planning: reads and writes (not BEGIN, COMMIT, the SET LOCAL settings). */
const PLANNED = /^\s*(select|with|insert|update|delete)\b/i;
const SEED = 'listidx';

/**
 * Clinic-wide scans that are the point of the route, each with its reason: a
 * directory of the whole clinic read a page at a time in the index's order, where
 * the filter drops few rows.
 */
const ACCEPTED: Readonly<Record<string, string>> = {
  'GET /clients:clients':
    "the clinic admin's client directory: every client of the clinic in name order (clients_display_name_idx), a page at a time; the filter only drops clients who are not active",
  'GET /cases:supervision_links':
    "the caseload's supervision scope (the counselors a supervisor sees), in the page's generic plan: this clinic has one supervisor, so its statistics say every link of the clinic is that supervisor's and the counselor index on the clinic reads the same rows as the primary key; with several supervisors (the 10,000-client bench clinic: 13) the generic plan takes supervision_links_pkey",
  'GET /clients:invitations':
    "whether a listed client's invitation is pending (an EXISTS in the select list): planned as two alternatives, a primary-key probe per client or one hashed pass over the clinic's pending invitations, and the executor picks by the number of rows; the plan shows the hashed one",
};
const PASSWORD = 'list-index-passphrase-2026';

/**
 * Every list route reads through an index (issue 12, item 4). A clinic of 300
 * generated clients with six months of history (the scale generator) is analysed,
 * then each route is called as the person who uses it and every SQL statement it
 * sent is planned again as the runtime role in that clinic (row-level security
 * on) with sequential scans disabled. Two things fail the route: a Seq Scan
 * (PostgreSQL keeps one only when no index can serve the statement), and an index
 * scan whose condition is the clinic alone followed by a filter (every tenant key
 * starts with clinic_id, so that reads the clinic's whole table).
 */
describe('list routes read through indexes (EXPLAIN with enable_seqscan off)', () => {
  let api: IdentityApp;
  let admin: DataSource;
  let database: OwnDatabase;
  let clinicId: string;
  let caseId: string;
  const people: Record<'client' | 'counselor' | 'admin', { headers: Headers; userId: string }> = {} as never;
  const prepared = new Map<string, { types: string; text: string }>();

  function envelopeOf(masterKey: string): EnvelopeEncryption {
    const envelope = masterKeyEnvelope(testConfig({ MASTER_KEY: masterKey }));
    if (envelope === null) throw new Error('The test configuration has no master key');
    return envelope;
  }

  beforeAll(async () => {
    const masterKey = randomBytes(32).toString('base64');
    // A database of its own: the test analyzes the whole database for its plans, and the test server runs
    // without autovacuum, so in the shared database those statistics stayed as they were for the files
    // after it — tables that then grew by thousands of rows were planned as if they held a handful (the
    // refresh-token families test went from 20 s to over ten minutes behind it in CI).
    database = await createOwnDatabase('list_indexes');
    api = await startIdentityApp({
      env: { MASTER_KEY: masterKey, DATABASE_URL: database.runtimeUrl, DATABASE_OWNER_URL: database.ownerUrl },
    });
    const environment = testEnvironment();
    admin = await createDataSource({
      url: adminUrlOnDatabase(environment.adminUrl, database.runtimeUrl),
      entities: ENTITIES,
      poolSize: 2,
      applicationName: 'list-indexes-test',
    }).initialize();
    const passwordHash = await new PasswordHasher('test').hash(PASSWORD);
    const seeded = await seedScale(new UnitOfWork({ connected: () => admin }), envelopeOf(masterKey), {
      clinics: 1,
      clientsPerClinic: 300,
      months: 6,
      seed: SEED,
      until: '2026-11-20',
      passwordHash,
    });
    clinicId = seeded.clinics[0].clinicId;
    await admin.query('analyze');
    api.clock.set(new Date('2026-11-20T12:00:00Z'));
    for (const [role, person] of [
      ['client', 'client1'],
      ['counselor', 'counselor1'],
      ['admin', 'admin'],
    ] as const) {
      const email = emailOf(SEED, 0, person);
      const tokens = await signIn(api, { email, password: PASSWORD });
      const [user] = await admin.query<{ id: string }[]>('select id from users where email = $1', [email]);
      people[role] = { headers: bearer(tokens.accessToken), userId: user.id };
    }
    // The counselor's active couple case with the longest history.
    const [row] = await admin.query<{ id: string }[]>(
      `select k.id from cases k
         join case_care_team t on t.clinic_id = k.clinic_id and t.case_id = k.id and t.is_primary
         join memberships m on m.clinic_id = t.clinic_id and m.id = t.membership_id
         join users u on u.id = m.user_id
        where u.email = $1 and k.status = 'active' and k.type = 'couple'
        order by k.created_at limit 1`,
      [emailOf(SEED, 0, 'counselor1')],
    );
    caseId = row.id;
  });
  afterAll(async () => {
    await admin?.destroy();
    await api?.close();
    await database?.drop();
  });

  /** The statements one request sends (and remembers the SQL `PREPARE`s seen, by name). */
  async function capture(url: string, headers: Headers): Promise<Captured[]> {
    const { default: pg } = await import('pg');
    const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = prototype.query;
    const statements: Captured[] = [];
    prototype.query = function (this: unknown, ...args: unknown[]) {
      const [first, second] = args;
      if (typeof first === 'string') {
        const preparing = PREPARE.exec(first);
        if (preparing !== null) {
          prepared.set(preparing[1], { types: preparing[2] ?? '', text: preparing[3] });
        } else if (Array.isArray(second) && second.length > 0) {
          statements.push({ kind: 'bound', text: first, values: second });
        } else {
          for (const match of first.matchAll(EXECUTE)) {
            statements.push({ kind: 'execute', name: match[1], literals: match[2] });
          }
          if (!first.includes('EXECUTE ') && !first.includes(';'))
            statements.push({ kind: 'bound', text: first, values: [] });
        }
      } else if (
        typeof first === 'object' &&
        first !== null &&
        typeof (first as { text?: unknown }).text === 'string'
      ) {
        const config = first as { text: string; values?: unknown[] };
        statements.push({ kind: 'bound', text: config.text, values: config.values ?? [] });
      }
      return original.apply(this, args);
    };
    try {
      const response = await call(api, 'GET', url, headers);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    } finally {
      prototype.query = original;
    }
    return statements;
  }

  /**
   * The scans that read a table without an index narrowing them: a Seq Scan, or an
   * index scan whose condition names the clinic only and then filters rows (every
   * tenant key starts with clinic_id, so such a scan reads the whole clinic's table)
   * — unless the filter tests a column that an index leads with after clinic_id
   * (the planner may still prefer the clinic prefix on a table this small; the
   * index is there for when it grows).
   */
  function seqScans(node: PlanNode, indexed: Map<string, Set<string>>, found: string[] = []): string[] {
    const type = node['Node Type'];
    const relation = node['Relation Name'] ?? '(unknown)';
    if (type === 'Seq Scan') found.push(relation);
    // An index scan, or a bitmap scan (its heap scan holds the filter, its Bitmap Index Scan the index).
    const condition = /Index/.test(type)
      ? node['Index Cond']
      : type === 'Bitmap Heap Scan'
        ? node['Recheck Cond']
        : undefined;
    const indexName =
      node['Index Name'] ?? node.Plans?.find((child) => child['Index Name'] !== undefined)?.['Index Name'];
    if (node.Filter !== undefined && condition !== undefined) {
      const conditionColumns = [...condition.matchAll(/\b([a-z_]+)\s*(?:=|<|>|<=|>=|@>|&&|~~)/g)].map((m) => m[1]);
      // Compared with a value, or with a column of the row it is looked up for (a fenced per-row lookup).
      const filterColumns = [...node.Filter.matchAll(/\(([a-z_]+) = (?:ANY )?\(?(?:'|[a-z_0-9]+\.[a-z_]+\))/g)].map(
        (m) => m[1],
      );
      const served = filterColumns.some((column) => indexed.get(relation)?.has(column) === true);
      if (conditionColumns.every((column) => column === 'clinic_id') && !served) {
        found.push(`${relation} (clinic-wide via ${indexName ?? 'an index'}, filter ${node.Filter})`);
      }
    }
    for (const child of node.Plans ?? []) seqScans(child, indexed, found);
    return found;
  }

  /** Per table, the columns some index has right after clinic_id (or first). */
  async function indexedColumns(): Promise<Map<string, Set<string>>> {
    const rows = await admin.query<{ relation: string; column: string }[]>(
      `select t.relname as relation, a.attname as column
         from pg_index i
         join pg_class t on t.oid = i.indrelid
         join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
         join pg_attribute a on a.attrelid = t.oid
          and a.attnum = case when (select attname from pg_attribute where attrelid = t.oid and attnum = i.indkey[0]) = 'clinic_id'
                              then i.indkey[1] else i.indkey[0] end`,
    );
    const map = new Map<string, Set<string>>();
    for (const row of rows) {
      if (!map.has(row.relation)) map.set(row.relation, new Set());
      map.get(row.relation)!.add(row.column);
    }
    return map;
  }

  /** The tables each statement would scan sequentially, planned as the runtime role in the caller's clinic. */
  async function plan(
    statements: readonly Captured[],
    userId: string,
    settings: readonly string[] = [],
  ): Promise<{ statement: string; seqScans: string[] }[]> {
    const results: { statement: string; seqScans: string[] }[] = [];
    const indexed = await indexedColumns();
    await api.app.get(UnitOfWork).run(
      clinicId,
      async (tx) => {
        await tx.query('set local enable_seqscan = off');
        for (const setting of settings) await tx.query(`set local ${setting}`);
        let n = 0;
        for (const statement of statements) {
          let rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[];
          let label: string;
          if (statement.kind === 'bound') {
            if (!PLANNED.test(statement.text)) continue;
            label = statement.text.replace(/\s+/g, ' ').slice(0, 120);
            rows = await tx.query(`explain (format json) ${statement.text}`, [...statement.values]);
          } else {
            const declared = preparedStatementByWireName(statement.name);
            const source =
              prepared.get(statement.name) ??
              (declared === undefined
                ? undefined
                : {
                    types: declared.parameterTypes.length === 0 ? '' : `(${declared.parameterTypes.join(', ')})`,
                    text: declared.text,
                  });
            if (source === undefined) throw new Error(`${statement.name} was executed but is not a declared statement`);
            if (!PLANNED.test(source.text)) continue;
            n += 1;
            const name = `explain_list_${n}`;
            label = `${statement.name}: ${source.text.replace(/\s+/g, ' ').slice(0, 100)}`;
            await tx.query(`prepare ${name}${source.types} as ${source.text}`);
            // A statement declared `plan: 'generic'` runs its generic plan: that is the plan to check.
            const generic = declared?.plan === 'generic';
            if (generic) await tx.query('set local plan_cache_mode = force_generic_plan');
            rows = await tx.query(`explain (format json) execute ${name}(${statement.literals})`);
            if (generic) await tx.query('set local plan_cache_mode to default');
            await tx.query(`deallocate ${name}`);
          }
          results.push({ statement: label, seqScans: seqScans(rows[0]['QUERY PLAN'][0].Plan, indexed) });
        }
      },
      { userId },
    );
    return results;
  }

  const routes: readonly [string, () => { url: string; who: keyof typeof people }][] = [
    ['GET /me', () => ({ url: '/me', who: 'client' })],
    ['GET /me/assignments (today)', () => ({ url: '/me/assignments', who: 'client' })],
    ['GET /notifications', () => ({ url: '/notifications?limit=50', who: 'client' })],
    ['GET /cases (caseload)', () => ({ url: '/cases?limit=50', who: 'counselor' })],
    ['GET /cases (caseload with homework)', () => ({ url: '/cases?limit=50&include=homework', who: 'counselor' })],
    ['GET /cases/:id/timeline', () => ({ url: `/cases/${caseId}/timeline`, who: 'counselor' })],
    ['GET /cases/:id/notes', () => ({ url: `/cases/${caseId}/notes`, who: 'counselor' })],
    ['GET /cases/:id/sessions', () => ({ url: `/cases/${caseId}/sessions`, who: 'counselor' })],
    ['GET /cases/:id/ledger', () => ({ url: `/cases/${caseId}/ledger`, who: 'counselor' })],
    [
      'GET /cases/:id/homework/overview',
      () => ({ url: `/cases/${caseId}/homework/overview?weeks=3`, who: 'counselor' }),
    ],
    ['GET /cases/:id/safety-alerts', () => ({ url: `/cases/${caseId}/safety-alerts`, who: 'counselor' })],
    ['GET /safety-alerts', () => ({ url: '/safety-alerts', who: 'counselor' })],
    ['GET /me/note-queue', () => ({ url: '/me/note-queue', who: 'counselor' })],
    ['GET /reports', () => ({ url: '/reports', who: 'counselor' })],
    ['GET /clients', () => ({ url: '/clients?limit=100', who: 'admin' })],
    ['GET /audit-events', () => ({ url: '/audit-events?limit=100', who: 'admin' })],
  ];

  it('sees a sequential scan where no index serves the statement (the check itself)', async () => {
    const planned = await plan(
      [{ kind: 'bound', text: 'select id from notifications where title = $1', values: ['Synthetic title'] }],
      people.client.userId,
    );
    expect(planned.map((entry) => entry.seqScans.map((scan) => scan.split(' ')[0]))).toEqual([['notifications']]);
    // The planner may read the clinic's rows by a bitmap of an index on the clinic instead: that is caught too.
    const bitmap = await plan(
      [{ kind: 'bound', text: 'select id from notifications where title = $1', values: ['Synthetic title'] }],
      people.client.userId,
      ['enable_indexscan = off', 'enable_indexonlyscan = off'],
    );
    expect(bitmap.map((entry) => entry.seqScans.map((scan) => scan.split(' ')[0]))).toEqual([['notifications']]);
    expect(bitmap[0].seqScans[0]).toMatch(/clinic-wide via notifications_\w+, filter/);
  });

  it("gives each care-team case on the caseload the homework counts of that case's overview (generated clinic)", async () => {
    interface Summary {
      due: number;
      overdue: number;
      awaitingReview: number;
      nextDue: { dueOn: string } | null;
    }
    const page = await call(api, 'GET', '/cases?limit=50&include=homework', people.counselor.headers);
    expect(page.statusCode).toBe(200);
    const items = page
      .json<{ items: { id: string; view: string; homework?: Summary }[] }>()
      .items.filter((item) => item.view === 'care_team');
    expect(items.length).toBeGreaterThan(10);
    let compared = 0;
    for (const item of items) {
      const response = await call(api, 'GET', `/cases/${item.id}/homework/overview?weeks=1`, people.counselor.headers);
      expect(response.statusCode).toBe(200);
      const participants = response.json<{
        participants: { counts: Record<'due' | 'overdue' | 'awaitingReview', number>; due: { dueOn: string }[] }[];
      }>().participants;
      const sum = (key: 'due' | 'overdue' | 'awaitingReview') =>
        participants.reduce((total, participant) => total + participant.counts[key], 0);
      expect({ id: item.id, due: item.homework?.due, overdue: item.homework?.overdue }).toEqual({
        id: item.id,
        due: sum('due'),
        overdue: sum('overdue'),
      });
      expect({ id: item.id, awaitingReview: item.homework?.awaitingReview }).toEqual({
        id: item.id,
        awaitingReview: sum('awaitingReview'),
      });
      // Something open now is due no later than the earliest of the overview's open items.
      const openDays = participants.flatMap((participant) => participant.due.map((due) => due.dueOn)).sort();
      if (openDays.length > 0) expect((item.homework?.nextDue?.dueOn ?? '9999-12-31') <= openDays[0]).toBe(true);
      if (sum('awaitingReview') + sum('due') + sum('overdue') > 0) compared += 1;
    }
    // The generated history gives most cases homework in every state: the comparison is not of zeros.
    expect(compared).toBeGreaterThan(items.length / 2);
  });

  it.each(routes)('%s uses an index for every table it reads', async (name, route) => {
    const { url, who } = route();
    const { headers, userId } = people[who];
    const statements = await capture(url, headers);
    const planned = (await plan(statements, userId)).map((entry) => ({
      ...entry,
      seqScans: entry.seqScans.filter((scan) => ACCEPTED[`${name.split(' (')[0]}:${scan.split(' ')[0]}`] === undefined),
    }));
    expect(planned.length).toBeGreaterThan(0);
    process.stdout.write(
      `INDEXES ${url.split('?')[0]}: ${planned.length} statements planned, 0 sequential scans expected\n`,
    );
    expect(planned.filter((entry) => entry.seqScans.length > 0)).toEqual([]);
  });
});
