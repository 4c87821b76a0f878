import { AuditSealer, recordAudit, verifyAuditChain } from '@mend/audit';
import type { UnitOfWork } from '@mend/core';
import { createClinic, openTestDatabase, type TestDatabase } from '@mend/testing';

import { coverageOf, gate, sealUntilCovered } from './support/audit-chain.js';

describe('audit sealing with concurrent writers', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  const sealer = new AuditSealer();

  beforeAll(async () => {
    database = await openTestDatabase(8);
    unitOfWork = database.unitOfWork;
  });

  afterAll(() => database.close());

  const write = (clinicId: string, action: string) => unitOfWork.run(clinicId, (tx) => recordAudit(tx, { action }));

  async function txIdsOf(clinicId: string): Promise<Map<string, string>> {
    const rows = await unitOfWork.run(clinicId, (tx) =>
      tx.query<{ action: string; tx_id: string }>('select action, tx_id::text as tx_id from audit_events'),
    );
    return new Map(rows.map((row) => [row.action, row.tx_id]));
  }

  async function sealedBelow(clinicId: string): Promise<bigint> {
    const rows = await unitOfWork.run(clinicId, (tx) =>
      tx.query<{ xmin_to: string | null }>('select max(xmin_to)::text as xmin_to from audit_seals'),
    );
    return BigInt(rows[0].xmin_to ?? '0');
  }

  it('never seals a range while a transaction in it is open; rows committed out of order are each sealed once', async () => {
    const clinicId = await createClinic(unitOfWork, 'Sealing clinic');
    await write(clinicId, 'test.before');

    // A transaction that writes a row, then stays open while later ones commit.
    const held = gate();
    const wrote = gate();
    const slow = unitOfWork.run(clinicId, async (tx) => {
      await recordAudit(tx, { action: 'test.slow_first' });
      wrote.open();
      await held.promise;
      await recordAudit(tx, { action: 'test.slow_second' });
    });
    await wrote.promise;
    await write(clinicId, 'test.fast_1');
    await write(clinicId, 'test.fast_2');

    // Seal in between: the open transaction holds the snapshot xmin at or below its
    // own id, so whatever is sealed stops below it, and below the later commits.
    await sealer.sealClinic(unitOfWork, clinicId);
    await sealer.sealClinic(unitOfWork, clinicId);
    const committed = await txIdsOf(clinicId);
    const boundary = await sealedBelow(clinicId);
    for (const action of ['test.fast_1', 'test.fast_2']) {
      expect(BigInt(committed.get(action) ?? '0')).toBeGreaterThanOrEqual(boundary);
    }
    expect(await verifyAuditChain(unitOfWork, clinicId)).toMatchObject({ ok: true });
    expect((await coverageOf(unitOfWork, clinicId)).unsealed).toBeGreaterThanOrEqual(2);

    held.open();
    await slow;
    await write(clinicId, 'test.after');

    // The slow transaction's rows have lower seq than fast_1 and fast_2 but commit after them.
    const all = await txIdsOf(clinicId);
    expect(BigInt(all.get('test.slow_first') ?? '0')).toBeGreaterThanOrEqual(boundary);
    expect(BigInt(all.get('test.slow_first') ?? '0')).toBeLessThan(BigInt(all.get('test.fast_1') ?? '0'));

    await sealUntilCovered(unitOfWork, clinicId, sealer);
    const verdict = await verifyAuditChain(unitOfWork, clinicId);
    expect(verdict).toMatchObject({ ok: true, rows: 6, unsealedRows: 0 });
    expect(await coverageOf(unitOfWork, clinicId)).toEqual({
      rows: 6,
      unsealed: 0,
      notCoveredOnce: 0,
      sealedRowCount: 6,
    });
  });

  it('keeps the chain whole with writers and several sealers running at once', async () => {
    const clinicId = await createClinic(unitOfWork, 'Busy clinic');
    let writing = true;
    let written = 0;
    const writer = async (index: number) => {
      while (writing) {
        await unitOfWork.run(clinicId, async (tx) => {
          const rows = 1 + (written % 3);
          for (let row = 0; row < rows; row += 1) {
            await recordAudit(tx, { action: 'test.busy', metadata: { writer: index, row } });
          }
          // Hold some transactions open a little, so commits interleave with seals.
          if (written % 4 === index) await new Promise((resolve) => setTimeout(resolve, 15));
          written += rows;
        });
      }
    };
    const sealerLoop = async () => {
      const results: number[] = [];
      while (writing) {
        const result = await sealer.sealClinic(unitOfWork, clinicId);
        if (result.sealed) results.push(result.rowCount);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return results;
    };
    const writers = [0, 1, 2, 3].map(writer);
    const sealers = [sealerLoop(), sealerLoop()];
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    writing = false;
    await Promise.all(writers);
    const sealedCounts = (await Promise.all(sealers)).flat();
    expect(sealedCounts.length).toBeGreaterThan(1);

    await sealUntilCovered(unitOfWork, clinicId, sealer);
    const verdict = await verifyAuditChain(unitOfWork, clinicId);
    expect(verdict).toMatchObject({ ok: true, rows: written, unsealedRows: 0 });
    expect(await coverageOf(unitOfWork, clinicId)).toEqual({
      rows: written,
      unsealed: 0,
      notCoveredOnce: 0,
      sealedRowCount: written,
    });
  });

  it('does not seal an empty range and seals nothing twice', async () => {
    const clinicId = await createClinic(unitOfWork, 'Quiet clinic');
    await write(clinicId, 'test.only');
    await sealUntilCovered(unitOfWork, clinicId, sealer);
    const again = await sealer.sealClinic(unitOfWork, clinicId);
    expect(again).toMatchObject({ sealed: false, rowCount: 0 });
    expect(await verifyAuditChain(unitOfWork, clinicId)).toMatchObject({ ok: true, rows: 1, seals: 1 });
  });
});
