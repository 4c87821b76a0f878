import { randomBytes, randomUUID } from 'node:crypto';

import type pg from 'pg';

import { AuditSealer } from '@mend/audit';
import { enqueueJob } from '@mend/core';
import { createIdentityServices, OPERATOR, type IdentityServices } from '@mend/identity';
import { connectAs, openTestDatabase, testConfig, type TestDatabase } from '@mend/testing';

import { seedCaseDomain } from './support/seed-case-domain.js';

/** One member of a seeded clinic. */
interface Seeded {
  readonly clinicId: string;
  readonly adminUserId: string;
  readonly memberUserIds: string[];
}

interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  readonly isIdentity: boolean;
}

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/** A literal of the column's type, so that a generated row fails on nothing but its clinic. */
function literalFor(column: ColumnInfo, clinicId: string): string {
  if (column.name === 'clinic_id') return `'${clinicId}'::uuid`;
  const type = column.type;
  if (type === 'uuid') return 'gen_random_uuid()';
  if (type.endsWith('[]')) return `'{}'::${type}`;
  if (type.startsWith('timestamp') || type === 'date') return 'now()';
  if (['integer', 'bigint', 'smallint', 'numeric', 'real', 'double precision'].includes(type)) return `1::${type}`;
  if (type === 'boolean') return 'false';
  if (type === 'jsonb' || type === 'json') return `'{}'::${type}`;
  if (type === 'bytea') return `'\\x00'::bytea`;
  if (type === 'inet') return `'192.0.2.1'::inet`;
  if (type === 'xid8') return 'pg_current_xact_id()';
  return `'x'::${type}`;
}

/**
 * ISO-3, the database backstop: connected directly as the runtime role (plain
 * SQL, no application code, no test-only switch), with clinic A set in the
 * transaction, every tenant table — enumerated from the catalog, so a table
 * added later is covered the day it lands — shows nothing of clinic B, and no
 * row labelled B can be inserted, updated or deleted. The global tables show a
 * user their own rows and, for `users`, the members of the current clinic only.
 */
describe('row-level security backstop (runtime role, raw SQL, every table)', () => {
  let database: TestDatabase;
  let identity: IdentityServices;
  let admin: pg.Client;
  let runtime: pg.Client;
  let a: Seeded;
  let b: Seeded;
  let tenantTables: string[];
  let columns: Map<string, ColumnInfo[]>;

  /** Gives a clinic rows in every tenant table, through the code that writes them in the product. */
  async function seedClinic(label: string): Promise<Seeded> {
    const password = `backstop-${randomUUID()}`;
    const email = (role: string) => `${label}-${role}-${randomUUID().slice(0, 8)}@test.mend.example`;
    const created = await identity.provisioning.createClinic({
      name: `Backstop ${label}`,
      admin: { email: email('admin'), password },
    });
    const clinicId = created.clinicId;
    const supervisor = await identity.provisioning.ensureMember(clinicId, {
      email: email('supervisor'),
      password,
      roles: ['supervisor'],
    });
    const counselor = await identity.provisioning.ensureMember(clinicId, {
      email: email('counselor'),
      password,
      roles: ['counselor'],
    });
    const client = await identity.provisioning.ensureMember(clinicId, {
      email: email('client'),
      password,
      roles: ['client'],
    });
    await database.unitOfWork.run(clinicId, async (tx) => {
      await identity.memberships.linkSupervisor(tx, OPERATOR, supervisor.membershipId, counselor.membershipId);
      await identity.invitations.create(tx, OPERATOR, { email: email('invitee'), roles: ['client'] });
      await identity.sessions.start(
        tx,
        { userId: client.userId, membershipId: client.membershipId, roles: ['client'], amr: ['pwd'] },
        {},
      );
      const outboxId = await enqueueJob(tx, 'system.probe', {});
      // As the worker's probe handler records a delivery.
      await tx.query('insert into probe_receipts (clinic_id, outbox_id, enqueued_at) values ($1, $2, now())', [
        clinicId,
        outboxId,
      ]);
    });
    const clientEmail = (await admin.query<{ email: string }>('select email from users where id = $1', [client.userId]))
      .rows[0].email;
    await identity.passwordResets.issueByEmail(clinicId, clientEmail);
    await seedCaseDomain(database.unitOfWork, clinicId, {
      counselorMembershipId: counselor.membershipId,
      clientMembershipId: client.membershipId,
      clientUserId: client.userId,
    });
    await new AuditSealer().sealClinic(database.unitOfWork, clinicId);
    // Recovery codes are written by MFA enrolment; an operator's insert stands in for it here.
    for (const userId of [created.userId, counselor.userId]) {
      await admin.query('insert into user_recovery_codes (user_id, id, code_hash) values ($1, $2, $3)', [
        userId,
        randomUUID(),
        randomBytes(32).toString('hex'),
      ]);
    }
    return {
      clinicId,
      adminUserId: created.userId,
      memberUserIds: [created.userId, supervisor.userId, counselor.userId, client.userId],
    };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    identity = createIdentityServices({
      unitOfWork: database.unitOfWork,
      config: testConfig(),
      jwtSecret: randomBytes(32),
    });
    admin = await connectAs('admin');
    a = await seedClinic('a');
    b = await seedClinic('b');
    runtime = await connectAs('runtime');

    const { rows } = await admin.query<{
      table_name: string;
      column_name: string;
      type: string;
      not_null: boolean;
      has_default: boolean;
      is_identity: boolean;
    }>(`
      select c.relname as table_name, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type,
             a.attnotnull as not_null, a.atthasdef as has_default, a.attidentity <> '' as is_identity
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       where n.nspname = 'public' and c.relkind in ('r', 'p')
       order by c.relname, a.attnum`);
    columns = new Map();
    for (const row of rows) {
      const list = columns.get(row.table_name) ?? [];
      list.push({
        name: row.column_name,
        type: row.type,
        notNull: row.not_null,
        hasDefault: row.has_default,
        isIdentity: row.is_identity,
      });
      columns.set(row.table_name, list);
    }
    tenantTables = [...columns.entries()]
      .filter(([, list]) => list.some((column) => column.name === 'clinic_id'))
      .map(([table]) => table);
  }, 60_000);

  afterAll(async () => {
    await runtime?.end();
    await admin?.end();
    await database?.close();
  });

  /** Runs `work` in a transaction of the runtime role with the settings given, always rolled back. */
  async function asRuntime<T>(settings: { clinicId?: string; userId?: string }, work: () => Promise<T>): Promise<T> {
    await runtime.query('begin');
    try {
      if (settings.clinicId !== undefined) {
        await runtime.query("select set_config('app.clinic_id', $1, true)", [settings.clinicId]);
      }
      if (settings.userId !== undefined)
        await runtime.query("select set_config('app.user_id', $1, true)", [settings.userId]);
      return await work();
    } finally {
      await runtime.query('rollback');
    }
  }

  /** One statement in its own savepoint: its row count, or the error it raised. */
  async function attempt(sql: string, parameters: unknown[] = []): Promise<{ rows: number } | { error: string }> {
    await runtime.query('savepoint attempt');
    try {
      const result = await runtime.query(sql, parameters);
      await runtime.query('release savepoint attempt');
      return { rows: result.rowCount ?? 0 };
    } catch (error) {
      await runtime.query('rollback to savepoint attempt');
      return { error: (error as Error).message };
    }
  }

  it('finds the tenant tables in the catalog, and both clinics have rows in every one of them', async () => {
    expect(tenantTables.length).toBeGreaterThanOrEqual(10);
    const empty: string[] = [];
    for (const table of tenantTables) {
      for (const clinic of [a, b]) {
        const { rows } = await admin.query<{ n: number }>(
          `select count(*)::int as n from ${quote(table)} where clinic_id = $1`,
          [clinic.clinicId],
        );
        if (rows[0].n === 0) empty.push(`${table} (${clinic === a ? 'A' : 'B'})`);
      }
    }
    // A table without rows of B would pass the checks below vacuously: seed it in seedClinic().
    expect(empty).toEqual([]);
    console.log(`RLS backstop: ${tenantTables.length} tenant tables: ${tenantTables.join(', ')}`);
  });

  it('shows clinic A nothing of clinic B in any tenant table (and all of its own rows)', async () => {
    const leaks: string[] = [];
    for (const table of tenantTables) {
      const own = await admin.query<{ n: number }>(
        `select count(*)::int as n from ${quote(table)} where clinic_id = $1`,
        [a.clinicId],
      );
      const seen = await asRuntime({ clinicId: a.clinicId, userId: a.adminUserId }, async () => {
        const privilege = await runtime.query<{ ok: boolean }>(
          "select has_table_privilege(current_user, $1, 'SELECT') as ok",
          [table],
        );
        if (!privilege.rows[0].ok) return null;
        const { rows } = await runtime.query<{ foreign: number; total: number }>(
          `select count(*) filter (where clinic_id <> $1)::int as foreign, count(*)::int as total from ${quote(table)}`,
          [a.clinicId],
        );
        const byId = await runtime.query(`select 1 from ${quote(table)} where clinic_id = $1`, [b.clinicId]);
        return { foreign: rows[0].foreign + byId.rows.length, total: rows[0].total };
      });
      // A table the runtime role cannot read at all leaks nothing either.
      if (seen === null) continue;
      if (seen.foreign !== 0) leaks.push(`${table}: ${seen.foreign} rows of another clinic`);
      if (seen.total !== own.rows[0].n) leaks.push(`${table}: sees ${seen.total} of its own ${own.rows[0].n} rows`);
    }
    expect(leaks).toEqual([]);
    // clinics itself: only the current clinic.
    const clinics = await asRuntime({ clinicId: a.clinicId }, async () =>
      (await runtime.query<{ id: string }>('select id from clinics')).rows.map((row) => row.id),
    );
    expect(clinics).toEqual([a.clinicId]);
  });

  it('refuses, in every tenant table, a row labelled clinic B: insert, relabel, update and delete', async () => {
    const failures: string[] = [];
    const refusals: Record<string, string> = {};
    await asRuntime({ clinicId: a.clinicId, userId: a.adminUserId }, async () => {
      for (const table of tenantTables) {
        const list = columns.get(table) ?? [];
        // Every column without a default gets a value of its type; clinic_id is B.
        const insertable = list.filter(
          (column) => !column.isIdentity && (column.name === 'clinic_id' || (column.notNull && !column.hasDefault)),
        );
        const insert = await attempt(
          `insert into ${quote(table)} (${insertable.map((column) => quote(column.name)).join(', ')})
           values (${insertable.map((column) => literalFor(column, b.clinicId)).join(', ')})`,
        );
        if (!('error' in insert) || !/row-level security|permission denied/.test(insert.error)) {
          failures.push(`${table}: insert labelled B was not refused (${JSON.stringify(insert)})`);
        } else {
          refusals[table] = /row-level security/.test(insert.error) ? 'rls' : 'no privilege';
        }

        // Moving one of A's rows to B: refused by the policy's WITH CHECK (or by the missing privilege, or by the
        // trigger of an append-only or immutable table, which fires first).
        const relabel = await attempt(
          `update ${quote(table)} set clinic_id = $2 where ctid = (select ctid from ${quote(table)} where clinic_id = $1 limit 1)`,
          [a.clinicId, b.clinicId],
        );
        if (
          !('error' in relabel) ||
          !/row-level security|permission denied|append-only|immutable/.test(relabel.error)
        ) {
          failures.push(`${table}: relabelling a row as B was not refused (${JSON.stringify(relabel)})`);
        }

        for (const statement of [
          `update ${quote(table)} set clinic_id = clinic_id where clinic_id = $1`,
          `delete from ${quote(table)} where clinic_id = $1`,
        ]) {
          const result = await attempt(statement, [b.clinicId]);
          const refused = 'error' in result ? /permission denied|append-only/.test(result.error) : result.rows === 0;
          if (!refused) failures.push(`${table}: "${statement.split(' ')[0]}" of B's rows: ${JSON.stringify(result)}`);
        }
      }
    });
    expect(failures).toEqual([]);
    // B's rows are all still there (the admin sees through RLS).
    for (const table of tenantTables) {
      const { rows } = await admin.query<{ n: number }>(
        `select count(*)::int as n from ${quote(table)} where clinic_id = $1`,
        [b.clinicId],
      );
      expect({ table, present: rows[0].n > 0 }).toEqual({ table, present: true });
    }
    console.log(`RLS backstop: inserts labelled B refused by ${JSON.stringify(refusals)}`);
  });

  it('classifies every table without clinic_id, so none escapes these checks', () => {
    const global = [...columns.keys()].filter((table) => !tenantTables.includes(table)).sort();
    // Global tables and how they are guarded (a new one must be added here with its check below).
    expect(global).toEqual([
      'clinics', // keyed by id on app.clinic_id: checked with the tenant tables
      'schema_migrations', // the owner's: the runtime role cannot read it (below)
      'security_log', // insert-only for the runtime role (below)
      'user_credentials', // self only (below)
      'user_recovery_codes', // self only (below)
      'users', // self and members of the current clinic (below)
    ]);
  });

  it('shows a user their own user rows, and users of the current clinic only', async () => {
    const bOnly = b.memberUserIds.filter((id) => !a.memberUserIds.includes(id));
    const seen = await asRuntime({ clinicId: a.clinicId, userId: a.adminUserId }, async () => ({
      users: (await runtime.query<{ id: string }>('select id from users')).rows.map((row) => row.id).sort(),
      credentials: (await runtime.query<{ user_id: string }>('select user_id from user_credentials')).rows.map(
        (row) => row.user_id,
      ),
      codes: [
        ...new Set(
          (await runtime.query<{ user_id: string }>('select user_id from user_recovery_codes')).rows.map(
            (row) => row.user_id,
          ),
        ),
      ],
    }));
    expect(seen.users).toEqual([...a.memberUserIds].sort());
    expect(seen.users.filter((id) => bOnly.includes(id))).toEqual([]);
    expect(seen.credentials).toEqual([a.adminUserId]);
    expect(seen.codes).toEqual([a.adminUserId]);

    // With no clinic set, only the user themselves.
    const alone = await asRuntime({ userId: a.adminUserId }, async () =>
      (await runtime.query<{ id: string }>('select id from users')).rows.map((row) => row.id),
    );
    expect(alone).toEqual([a.adminUserId]);
    // With neither set, nothing.
    const nobody = await asRuntime({}, async () => ({
      users: (await runtime.query('select 1 from users')).rows.length,
      credentials: (await runtime.query('select 1 from user_credentials')).rows.length,
      codes: (await runtime.query('select 1 from user_recovery_codes')).rows.length,
    }));
    expect(nobody).toEqual({ users: 0, credentials: 0, codes: 0 });
  });

  it('refuses changes to another user’s global rows, a colleague’s included', async () => {
    const bUser = b.memberUserIds[1];
    const colleague = a.memberUserIds[2];
    const results = await asRuntime({ clinicId: a.clinicId, userId: a.adminUserId }, async () => ({
      renameB: await attempt("update users set display_name = 'Changed' where id = $1", [bUser]),
      renameColleague: await attempt("update users set display_name = 'Changed' where id = $1", [colleague]),
      credentialsColleague: await attempt("update user_credentials set password_hash = 'x' where user_id = $1", [
        colleague,
      ]),
      codesColleague: await attempt('delete from user_recovery_codes where user_id = $1', [colleague]),
      plantUser: await attempt('insert into users (id, email) values ($1, $2)', [
        randomUUID(),
        `planted-${randomUUID()}@test.mend.example`,
      ]),
      plantCredentials: await attempt("insert into user_credentials (user_id, password_hash) values ($1, 'x')", [
        bUser,
      ]),
      plantCode: await attempt('insert into user_recovery_codes (user_id, id, code_hash) values ($1, $2, $3)', [
        colleague,
        randomUUID(),
        'x'.repeat(64),
      ]),
      readSecurityLog: await attempt('select 1 from security_log'),
      readMigrations: await attempt('select 1 from schema_migrations'),
    }));
    expect(results).toEqual({
      renameB: { rows: 0 },
      renameColleague: { rows: 0 },
      credentialsColleague: { rows: 0 },
      codesColleague: { rows: 0 },
      plantUser: { error: expect.stringMatching(/row-level security/) },
      plantCredentials: { error: expect.stringMatching(/row-level security/) },
      plantCode: { error: expect.stringMatching(/row-level security/) },
      readSecurityLog: { error: expect.stringMatching(/permission denied/) },
      readMigrations: { error: expect.stringMatching(/permission denied/) },
    });
  });
});
