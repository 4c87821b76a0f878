import { randomBytes, randomUUID } from 'node:crypto';

import type pg from 'pg';

import { createIdentityServices, type IdentityServices, issueOpaqueToken, OPERATOR } from '@mend/identity';
import { connectAs, openTestDatabase, testConfig, type TestDatabase } from '@mend/testing';

/**
 * The database backstop of identity, as the runtime role in raw SQL: global
 * tables (users, user_credentials, user_recovery_codes) keyed on app.user_id, tenant tables on
 * app.clinic_id, and the two reviewed SECURITY DEFINER functions.
 */
describe('identity tables under row-level security', () => {
  let database: TestDatabase;
  let identity: IdentityServices;
  let runtime: pg.Client;
  let clinicA: { clinicId: string; userId: string; membershipId: string };
  let clinicB: { clinicId: string; userId: string; membershipId: string };
  let colleagueA: { userId: string; membershipId: string };

  beforeAll(async () => {
    database = await openTestDatabase();
    const config = testConfig();
    identity = createIdentityServices({ unitOfWork: database.unitOfWork, config, jwtSecret: randomBytes(32) });
    const password = `rls-${randomUUID()}`;
    clinicA = await identity.provisioning.createClinic({
      name: 'RLS A',
      admin: { email: `a-admin-${randomUUID()}@test.mend.example`, password },
    });
    clinicB = await identity.provisioning.createClinic({
      name: 'RLS B',
      admin: { email: `b-admin-${randomUUID()}@test.mend.example`, password },
    });
    colleagueA = await identity.provisioning.ensureMember(clinicA.clinicId, {
      email: `a-counselor-${randomUUID()}@test.mend.example`,
      password,
      roles: ['counselor'],
    });
    // Clinic B gets a row in every identity tenant table.
    const supervisorB = await identity.provisioning.ensureMember(clinicB.clinicId, {
      email: `b-supervisor-${randomUUID()}@test.mend.example`,
      password,
      roles: ['supervisor'],
    });
    const counselorB = await identity.provisioning.ensureMember(clinicB.clinicId, {
      email: `b-counselor-${randomUUID()}@test.mend.example`,
      password,
      roles: ['counselor'],
    });
    await database.unitOfWork.run(clinicB.clinicId, async (tx) => {
      await identity.memberships.linkSupervisor(tx, OPERATOR, supervisorB.membershipId, counselorB.membershipId);
      await identity.invitations.create(tx, OPERATOR, {
        email: `b-invitee-${randomUUID()}@test.mend.example`,
        roles: ['client'],
      });
      await identity.sessions.start(
        tx,
        { userId: counselorB.userId, membershipId: counselorB.membershipId, roles: ['counselor'], amr: ['pwd', 'otp'] },
        {},
      );
    });
    await identity.passwordResets.issueByEmail(
      clinicB.clinicId,
      (
        await database.unitOfWork.run(clinicB.clinicId, (tx) =>
          tx.query<{ email: string }>('select email from users where id = $1', [counselorB.userId]),
        )
      )[0].email,
    );
    runtime = await connectAs('runtime');
  });

  afterAll(async () => {
    await runtime.end();
    await database.close();
  });

  /** One transaction as the runtime role with the given settings, always rolled back. */
  async function asRuntime<T>(settings: { clinicId?: string; userId?: string }, work: () => Promise<T>): Promise<T> {
    await runtime.query('begin');
    try {
      if (settings.clinicId !== undefined)
        await runtime.query("select set_config('app.clinic_id', $1, true)", [settings.clinicId]);
      if (settings.userId !== undefined)
        await runtime.query("select set_config('app.user_id', $1, true)", [settings.userId]);
      return await work();
    } finally {
      await runtime.query('rollback');
    }
  }

  it('shows a user their own row only, with no clinic set', async () => {
    const rows = await asRuntime(
      { userId: clinicA.userId },
      async () => (await runtime.query<{ id: string }>('select id from users')).rows,
    );
    expect(rows).toEqual([{ id: clinicA.userId }]);
    const none = await asRuntime({}, async () => (await runtime.query<{ id: string }>('select id from users')).rows);
    expect(none).toEqual([]);
  });

  it("shows members of the current clinic their colleagues' rows, never another clinic's users", async () => {
    const rows = await asRuntime({ clinicId: clinicA.clinicId, userId: clinicA.userId }, async () =>
      (await runtime.query<{ id: string }>('select id from users')).rows.map((row) => row.id),
    );
    expect(rows.sort()).toEqual([clinicA.userId, colleagueA.userId].sort());
    expect(rows).not.toContain(clinicB.userId);
  });

  it("refuses to change another user's row, even a colleague's", async () => {
    const changed = await asRuntime(
      { clinicId: clinicA.clinicId, userId: clinicA.userId },
      async () =>
        (await runtime.query("update users set display_name = 'Changed' where id = $1", [colleagueA.userId])).rowCount,
    );
    expect(changed).toBe(0);
    await expect(
      asRuntime({ userId: clinicA.userId }, () =>
        runtime.query(`insert into users (id, email) values ($1, $2)`, [
          randomUUID(),
          `planted-${randomUUID()}@x.example`,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("keeps credentials to their own user: a colleague's password hash and MFA seed are unreachable", async () => {
    const rows = await asRuntime(
      { clinicId: clinicA.clinicId, userId: clinicA.userId },
      async () =>
        (
          await runtime.query<{ user_id: string; password_hash: string }>(
            'select user_id, password_hash from user_credentials',
          )
        ).rows,
    );
    expect(rows.map((row) => row.user_id)).toEqual([clinicA.userId]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    // The row colleagues may read carries no secret at all.
    await expect(
      asRuntime({ clinicId: clinicA.clinicId, userId: clinicA.userId }, () =>
        runtime.query('select password_hash from users where id = $1', [colleagueA.userId]),
      ),
    ).rejects.toThrow(/column "password_hash" does not exist/);
    const colleague = await asRuntime({ clinicId: clinicA.clinicId, userId: clinicA.userId }, async () => ({
      read: (await runtime.query('select 1 from user_credentials where user_id = $1', [colleagueA.userId])).rowCount,
      changed: (
        await runtime.query("update user_credentials set password_hash = 'planted' where user_id = $1", [
          colleagueA.userId,
        ])
      ).rowCount,
    }));
    expect(colleague).toEqual({ read: 0, changed: 0 });
    await expect(
      asRuntime({ clinicId: clinicA.clinicId, userId: clinicA.userId }, () =>
        runtime.query("insert into user_credentials (user_id, password_hash) values ($1, 'planted')", [clinicB.userId]),
      ),
    ).rejects.toThrow(/row-level security|duplicate key/);
    // Without app.user_id, nothing at all.
    const none = await asRuntime(
      { clinicId: clinicA.clinicId },
      async () => (await runtime.query('select user_id from user_credentials')).rowCount,
    );
    expect(none).toBe(0);
  });

  it('tells members of the current clinic only whether a colleague enrolled MFA (user_mfa_enrolled)', async () => {
    const answers = await asRuntime(
      { clinicId: clinicA.clinicId, userId: clinicA.userId },
      async () =>
        (
          await runtime.query<{ colleague: boolean | null; stranger: boolean | null }>(
            'select user_mfa_enrolled($1) as colleague, user_mfa_enrolled($2) as stranger',
            [colleagueA.userId, clinicB.userId],
          )
        ).rows[0],
    );
    expect(answers).toEqual({ colleague: false, stranger: null });
  });

  it('keeps recovery codes to their own user', async () => {
    await expect(
      asRuntime({ userId: clinicA.userId }, () =>
        runtime.query('insert into user_recovery_codes (user_id, id, code_hash) values ($1, $2, $3)', [
          clinicB.userId,
          randomUUID(),
          'x'.repeat(64),
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('hides tenant identity tables of clinic B from clinic A and refuses rows labelled B', async () => {
    const admin = await connectAs('admin');
    for (const table of [
      'memberships',
      'supervision_links',
      'invitations',
      'login_sessions',
      'refresh_tokens',
      'password_resets',
    ]) {
      // Clinic B has rows there (so an empty answer below means hidden, not absent).
      const present = await admin.query(`select 1 from ${table} where clinic_id = $1`, [clinicB.clinicId]);
      expect({ table, present: present.rows.length > 0 }).toEqual({ table, present: true });
      const rows = await asRuntime(
        { clinicId: clinicA.clinicId },
        async () =>
          (
            await runtime.query<{ clinic_id: string }>(`select clinic_id from ${table} where clinic_id <> $1`, [
              clinicA.clinicId,
            ])
          ).rows,
      );
      expect({ table, rows }).toEqual({ table, rows: [] });
    }
    await admin.end();
    await expect(
      asRuntime({ clinicId: clinicA.clinicId }, () =>
        runtime.query(
          `insert into invitations (clinic_id, id, email, roles, token_hash, expires_at)
           values ($1, $2, 'x@y.example', array['client'], $3, now())`,
          [clinicB.clinicId, randomUUID(), issueOpaqueToken(clinicB.clinicId).secretHash],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('refuses a cross-clinic reference through the composite foreign keys', async () => {
    // Clinic A's transaction, a session row of clinic A pointing at clinic B's membership.
    await expect(
      asRuntime({ clinicId: clinicA.clinicId, userId: clinicA.userId }, () =>
        runtime.query(
          `insert into login_sessions (clinic_id, id, membership_id, user_id, amr, last_seen_at, idle_expires_at, absolute_expires_at)
           values ($1, $2, $3, $4, array['pwd'], now(), now(), now())`,
          [clinicA.clinicId, randomUUID(), clinicB.membershipId, clinicA.userId],
        ),
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('login_lookup returns ids and statuses only, and nothing for an unknown email', async () => {
    const email = await asRuntime(
      { userId: clinicA.userId },
      async () =>
        (await runtime.query<{ email: string }>('select email from users where id = $1', [clinicA.userId])).rows[0]
          .email,
    );
    const result = await asRuntime({}, () => runtime.query('select * from login_lookup($1)', [email.toUpperCase()]));
    expect(result.fields.map((field) => field.name)).toEqual(['user_id', 'clinic_id', 'membership_id', 'status']);
    expect(result.rows).toEqual([
      { user_id: clinicA.userId, clinic_id: clinicA.clinicId, membership_id: clinicA.membershipId, status: 'active' },
    ]);
    const unknown = await asRuntime({}, () =>
      runtime.query('select * from login_lookup($1)', ['nobody@test.mend.example']),
    );
    expect(unknown.rows).toEqual([]);
  });

  it('revoke_user_login_sessions ends only the sessions of the user the transaction acts as', async () => {
    const session = randomUUID();
    const owner = await connectAs('admin');
    try {
      await owner.query(
        `insert into login_sessions (clinic_id, id, membership_id, user_id, amr, last_seen_at, idle_expires_at, absolute_expires_at)
         values ($1, $2, $3, $4, array['pwd'], now(), now() + interval '15 minutes', now() + interval '12 hours')`,
        [clinicB.clinicId, session, clinicB.membershipId, clinicB.userId],
      );
      const asSomeoneElse = await asRuntime(
        { userId: clinicA.userId },
        async () =>
          (
            await runtime.query<{ n: number }>(
              "select revoke_user_login_sessions($1, 'password_changed', now()) as n",
              [clinicB.userId],
            )
          ).rows[0].n,
      );
      expect(asSomeoneElse).toBe(0);
      await runtime.query('begin');
      await runtime.query("select set_config('app.user_id', $1, true)", [clinicB.userId]);
      const asThemselves = (
        await runtime.query<{ n: number }>("select revoke_user_login_sessions($1, 'password_changed', now()) as n", [
          clinicB.userId,
        ])
      ).rows[0].n;
      await runtime.query('commit');
      expect(asThemselves).toBe(1);
      const { rows } = await owner.query('select revoke_reason from login_sessions where id = $1', [session]);
      expect(rows).toEqual([{ revoke_reason: 'password_changed' }]);
    } finally {
      await owner.end();
    }
  });
});
