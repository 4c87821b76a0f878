import fc from 'fast-check';
import type pg from 'pg';

import {
  AuditSealer,
  canonicalIp,
  recordAudit,
  recordSecurityEvent,
  securityEmailHash,
  verifyAuditChain,
} from '@mend/audit';
import type { UnitOfWork } from '@mend/core';
import { connectAs, createClinic, openTestDatabase, type TestDatabase } from '@mend/testing';

import { sealUntilCovered } from './support/audit-chain.js';

const APPEND_ONLY = /refused: the audit trail is append-only/;

describe('audit trail', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let runtime: pg.Client;
  let owner: pg.Client;
  let clinicA: string;
  let clinicB: string;

  beforeAll(async () => {
    database = await openTestDatabase(4);
    unitOfWork = database.unitOfWork;
    runtime = await connectAs('runtime');
    owner = await connectAs('owner');
    clinicA = await createClinic(unitOfWork, 'Audit Clinic A');
    clinicB = await createClinic(unitOfWork, 'Audit Clinic B');
    await unitOfWork.run(clinicA, (tx) =>
      recordAudit(tx, { action: 'clinic.seed', targetType: 'clinic', targetId: clinicA }),
    );
    await sealUntilCovered(unitOfWork, clinicA);
  });

  afterAll(async () => {
    await runtime.end();
    await owner.end();
    await database.close();
  });

  async function countOf(clinicId: string, action: string): Promise<number> {
    const rows = await unitOfWork.run(clinicId, (tx) =>
      tx.query<{ n: number }>('select count(*)::int as n from audit_events where action = $1', [action]),
    );
    return rows[0].n;
  }

  it('writes the row in the caller’s transaction: it commits with the change and rolls back with it', async () => {
    await unitOfWork.run(clinicA, (tx) =>
      recordAudit(tx, { action: 'client.create', targetType: 'client', targetId: 'c-1' }),
    );
    await expect(
      unitOfWork.run(clinicA, async (tx) => {
        await recordAudit(tx, { action: 'client.delete', targetType: 'client', targetId: 'c-1' });
        throw new Error('synthetic failure after the audit row');
      }),
    ).rejects.toThrow('synthetic failure');
    expect(await countOf(clinicA, 'client.create')).toBe(1);
    expect(await countOf(clinicA, 'client.delete')).toBe(0);
  });

  it('stores what it hashed: the verifier recomputes the same hash from the stored row', async () => {
    await unitOfWork.run(clinicA, (tx) =>
      recordAudit(tx, {
        action: 'client.read',
        outcome: 'denied',
        targetType: 'client',
        targetId: '9d2c8f4e-1a3b-4c5d-8e6f-7a8b9c0d1e2f',
        actorUserId: '6A1F6F7C-2B8E-4E0D-A9A4-3C7D8F1E5B22',
        ip: '2001:DB8:0:0:0:0:0:7',
        correlationId: 'req-42',
        metadata: { view: 'summary', fields: ['status', 'createdAt'], count: 2, ratio: 0.25, isFirst: false },
      }),
    );
    await sealUntilCovered(unitOfWork, clinicA);
    const verdict = await verifyAuditChain(unitOfWork, clinicA);
    expect(verdict).toMatchObject({ ok: true, unsealedRows: 0 });
  });

  it('shows a clinic only its own audit rows and refuses rows labelled with another clinic', async () => {
    await unitOfWork.run(clinicB, (tx) => recordAudit(tx, { action: 'clinic.seed' }));
    const seenByB = await unitOfWork.run(clinicB, (tx) =>
      tx.query<{ clinic_id: string }>('select distinct clinic_id from audit_events'),
    );
    expect(seenByB).toEqual([{ clinic_id: clinicB }]);
    await runtime.query('begin');
    try {
      await runtime.query("select set_config('app.clinic_id', $1, true)", [clinicA]);
      await expect(
        runtime.query(
          `insert into audit_events (clinic_id, id, occurred_at, action, outcome, row_hash)
           values ($1, gen_random_uuid(), now(), 'forged.row', 'success', repeat('0', 64))`,
          [clinicB],
        ),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await runtime.query('rollback');
    }
  });

  it('does not let the runtime role choose the transaction id of a row', async () => {
    await runtime.query('begin');
    try {
      await runtime.query("select set_config('app.clinic_id', $1, true)", [clinicA]);
      await expect(
        runtime.query(
          `insert into audit_events (clinic_id, id, occurred_at, tx_id, action, outcome, row_hash)
           values ($1, gen_random_uuid(), now(), 1, 'forged.row', 'success', repeat('0', 64))`,
          [clinicA],
        ),
      ).rejects.toMatchObject({ code: '42501' });
    } finally {
      await runtime.query('rollback');
    }
  });

  describe.each(['audit_events', 'audit_seals'])('%s', (table) => {
    it.each([
      ['UPDATE', `update ${table} set clinic_id = clinic_id`],
      ['DELETE', `delete from ${table}`],
      ['TRUNCATE', `truncate ${table}`],
    ])('refuses %s to the runtime role (no privilege)', async (_op, sql) => {
      await runtime.query('begin');
      try {
        await runtime.query("select set_config('app.clinic_id', $1, true)", [clinicA]);
        await expect(runtime.query(sql)).rejects.toMatchObject({ code: '42501' });
      } finally {
        await runtime.query('rollback');
      }
    });

    it.each([
      ['UPDATE', `update ${table} set clinic_id = clinic_id`],
      ['DELETE', `delete from ${table}`],
      ['TRUNCATE', `truncate ${table}`],
    ])('refuses %s even to the owner (trigger)', async (_op, sql) => {
      await owner.query('begin');
      try {
        await expect(owner.query(sql)).rejects.toThrow(APPEND_ONLY);
      } finally {
        await owner.query('rollback');
      }
      const rows = await unitOfWork.run(clinicA, (tx) =>
        tx.query<{ n: number }>(`select count(*)::int as n from ${table}`),
      );
      expect(rows[0].n).toBeGreaterThan(0);
    });
  });

  describe('security log', () => {
    it('takes events without a clinic, storing a hash of the email and never the email', async () => {
      const email = `Unknown.${Date.now()}@Example.test`;
      const id = await unitOfWork.runWithoutClinic((tx) =>
        recordSecurityEvent(tx, {
          event: 'auth.login_failed',
          email,
          ip: '::ffff:198.51.100.9',
          metadata: { reason: 'unknown_email' },
        }),
      );
      const { rows } = await owner.query<Record<string, unknown>>('select * from security_log where id = $1', [id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        event: 'auth.login_failed',
        email_hash: securityEmailHash(email.toLowerCase()),
        ip: '198.51.100.9',
        metadata: { reason: 'unknown_email' },
      });
      expect(JSON.stringify(rows[0]).toLowerCase()).not.toContain(email.toLowerCase());
    });

    it.each([
      ['SELECT', 'select * from security_log'],
      ['UPDATE', "update security_log set event = 'x'"],
      ['DELETE', 'delete from security_log'],
      ['TRUNCATE', 'truncate security_log'],
    ])('refuses %s to the runtime role', async (_op, sql) => {
      await expect(runtime.query(sql)).rejects.toMatchObject({ code: '42501' });
    });

    it.each([
      ['UPDATE', "update security_log set event = 'x'"],
      ['DELETE', 'delete from security_log'],
      ['TRUNCATE', 'truncate security_log'],
    ])('refuses %s even to the owner (trigger)', async (_op, sql) => {
      await owner.query('begin');
      try {
        await expect(owner.query(sql)).rejects.toThrow(APPEND_ONLY);
      } finally {
        await owner.query('rollback');
      }
    });
  });

  it('lists clinics with unsealed rows through the reviewed function: ids and times only', async () => {
    const sealer = new AuditSealer();
    const clinicC = await createClinic(unitOfWork, 'Audit Clinic C');
    await unitOfWork.run(clinicC, (tx) => recordAudit(tx, { action: 'clinic.seed' }));
    const before = await sealer.unsealedClinics(unitOfWork);
    const entry = before.find((clinic) => clinic.clinicId === clinicC);
    expect(entry?.oldestOccurredAt).toBeInstanceOf(Date);
    const columns = await unitOfWork.runWithoutClinic((tx) =>
      tx.query<Record<string, unknown>>('select * from audit_unsealed_clinics() limit 1'),
    );
    expect(Object.keys(columns[0]).sort()).toEqual(['clinic_id', 'oldest_occurred_at']);

    await sealUntilCovered(unitOfWork, clinicC, sealer);
    const after = await sealer.unsealedClinics(unitOfWork);
    expect(after.map((clinic) => clinic.clinicId)).not.toContain(clinicC);
  });

  it('seals every clinic with unsealed rows in one pass', async () => {
    const sealer = new AuditSealer();
    const clinics = [await createClinic(unitOfWork, 'Pass 1'), await createClinic(unitOfWork, 'Pass 2')];
    for (const clinicId of clinics) await unitOfWork.run(clinicId, (tx) => recordAudit(tx, { action: 'clinic.seed' }));
    const deadline = Date.now() + 30_000;
    let remaining = clinics;
    while (remaining.length > 0 && Date.now() < deadline) {
      const pass = await sealer.sealUnsealedClinics(unitOfWork);
      expect(pass.failed).toEqual([]);
      const unsealed = new Set((await sealer.unsealedClinics(unitOfWork)).map((clinic) => clinic.clinicId));
      remaining = remaining.filter((clinicId) => unsealed.has(clinicId));
    }
    expect(remaining).toEqual([]);
    for (const clinicId of clinics) {
      expect(await verifyAuditChain(unitOfWork, clinicId)).toMatchObject({
        ok: true,
        rows: 1,
        seals: 1,
        unsealedRows: 0,
      });
    }
  });

  it('stores client addresses exactly as it hashes them (PostgreSQL inet text form)', async () => {
    const word = fc.integer({ min: 0, max: 0xffff });
    const sparseWord = fc.oneof(fc.constant(0), fc.constant(0), word);
    const ipv6 = fc
      .array(sparseWord, { minLength: 8, maxLength: 8 })
      .map((words) => words.map((w) => w.toString(16)).join(':'));
    const ipv4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map((o) => o.join('.'));
    const mapped = ipv4.map((v4) => `::ffff:${v4}`);
    const compat = ipv4.map((v4) => `::${v4}`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(ipv6, ipv4, mapped, compat), async (address) => {
        const canonical = canonicalIp(address);
        expect(canonical).not.toBeNull();
        // Same address, except that IPv4-mapped IPv6 is stored as the IPv4 it maps.
        const { rows } = await runtime.query<{ stored: string; same: boolean }>(
          'select $1::inet as stored, ($2::inet = $1::inet or $2::inet = $3::inet) as same',
          [canonical, address, canonical?.includes(':') === true ? null : `::ffff:${canonical}`],
        );
        expect(rows[0].stored).toBe(canonical);
        expect(rows[0].same).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
