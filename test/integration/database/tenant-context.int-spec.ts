import { TransactionClosedError, type UnitOfWork } from '@mend/core';
import { connectAs, createClinic, openTestDatabase, type TestDatabase } from '@mend/testing';

describe('unit of work and tenant context', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let clinicA: string;
  let clinicB: string;

  beforeAll(async () => {
    // One connection in the pool: every unit of work reuses the same server session.
    database = await openTestDatabase(1);
    unitOfWork = database.unitOfWork;
    clinicA = await createClinic(unitOfWork, 'Clinic A');
    clinicB = await createClinic(unitOfWork, 'Clinic B');
  });

  afterAll(() => database.close());

  it('sets the clinic for the transaction only: the next unit of work on the same pooled connection carries none', async () => {
    const inside = await unitOfWork.run(clinicA, (tx) =>
      tx.query<{ clinic: string; pid: number }>(
        "select current_setting('app.clinic_id', true) as clinic, pg_backend_pid() as pid",
      ),
    );
    expect(inside[0].clinic).toBe(clinicA);

    const after = await unitOfWork.runWithoutClinic((tx) =>
      tx.query<{ clinic: string | null; pid: number }>(
        "select current_setting('app.clinic_id', true) as clinic, pg_backend_pid() as pid",
      ),
    );
    expect(after[0].pid).toBe(inside[0].pid);
    expect(after[0].clinic ?? '').toBe('');
    const visible = await unitOfWork.runWithoutClinic((tx) => tx.query('select id from clinics'));
    expect(visible).toEqual([]);
  });

  it('sets the acting user for the transaction only, together with the clinic', async () => {
    const userId = '7d8f4c2e-1b3a-4c5d-9e6f-0a1b2c3d4e5f';
    const inside = await unitOfWork.run(
      clinicA,
      (tx) =>
        tx.query<{ clinic: string; user_id: string }>(
          "select current_setting('app.clinic_id', true) as clinic, current_setting('app.user_id', true) as user_id",
        ),
      { userId },
    );
    expect(inside[0]).toEqual({ clinic: clinicA, user_id: userId });
    const after = await unitOfWork.runWithoutClinic((tx) =>
      tx.query<{ user_id: string | null }>("select current_setting('app.user_id', true) as user_id"),
    );
    expect(after[0].user_id ?? '').toBe('');
    await expect(unitOfWork.run(clinicA, () => Promise.resolve(), { userId: 'not-a-uuid' })).rejects.toThrow(/user id/);
  });

  it('does not leak the clinic after a unit of work that failed and rolled back', async () => {
    await expect(
      unitOfWork.run(clinicA, async (tx) => {
        await tx.query('select 1');
        throw new Error('synthetic failure');
      }),
    ).rejects.toThrow('synthetic failure');
    const rows = await unitOfWork.runWithoutClinic((tx) =>
      tx.query<{ clinic: string | null }>("select current_setting('app.clinic_id', true) as clinic"),
    );
    expect(rows[0].clinic ?? '').toBe('');
  });

  it('shows each clinic only its own rows', async () => {
    const seenByA = await unitOfWork.run(clinicA, (tx) => tx.query<{ id: string }>('select id from clinics'));
    const seenByB = await unitOfWork.run(clinicB, (tx) => tx.query<{ id: string }>('select id from clinics'));
    expect(seenByA.map((row) => row.id)).toEqual([clinicA]);
    expect(seenByB.map((row) => row.id)).toEqual([clinicB]);
  });

  it('rolls back everything written in a failed unit of work', async () => {
    await expect(
      unitOfWork.run(clinicA, async (tx) => {
        await tx.query("update clinics set name = 'Renamed' where id = $1", [clinicA]);
        throw new Error('synthetic failure');
      }),
    ).rejects.toThrow();
    const rows = await unitOfWork.run(clinicA, (tx) => tx.query<{ name: string }>('select name from clinics'));
    expect(rows[0].name).toBe('Clinic A');
  });

  it('makes a repository unusable once its unit of work has ended', async () => {
    const { Clinic } = await import('@mend/core');
    const leaked = await unitOfWork.run(clinicA, async (tx) => {
      const repository = tx.repository(Clinic);
      expect(await repository.count()).toBe(1);
      return repository;
    });
    expect(() => leaked.count()).toThrow(TransactionClosedError);
  });

  it('refuses a unit of work without a well-formed clinic id', async () => {
    await expect(unitOfWork.run('', () => Promise.resolve())).rejects.toThrow(/clinic id/);
    await expect(unitOfWork.run("x' or 1=1 --", () => Promise.resolve())).rejects.toThrow(/clinic id/);
  });

  it('enforces isolation in PostgreSQL itself for the runtime role (no application code involved)', async () => {
    const client = await connectAs('runtime');
    try {
      await client.query('begin');
      await client.query("select set_config('app.clinic_id', $1, true)", [clinicA]);
      const clinics = await client.query('select id from clinics');
      expect(clinics.rows.map((row: { id: string }) => row.id)).toEqual([clinicA]);
      await expect(
        client.query(
          "insert into outbox (clinic_id, queue, job_name, payload) values ($1, 'system', 'system.probe', '{}')",
          [clinicB],
        ),
      ).rejects.toThrow(/row-level security/);
      await client.query('rollback');

      await client.query('begin');
      await client.query("select set_config('app.clinic_id', $1, true)", [clinicA]);
      const updated = await client.query("update clinics set name = 'Taken over' where id = $1", [clinicB]);
      expect(updated.rowCount).toBe(0);
      await client.query('rollback');

      // Session-scope settings are not how Mend sets the clinic; without any, nothing is visible.
      const none = await client.query('select id from clinics');
      expect(none.rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
