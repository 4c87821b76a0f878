import { randomBytes, randomUUID } from 'node:crypto';

import { DecryptionError, EnvelopeEncryption, FieldEncryption, type UnitOfWork } from '@mend/core';
import { connectAs, createClinic, openTestDatabase, type TestDatabase } from '@mend/testing';

const masterKey = () => ({ id: 'test-master', key: randomBytes(32) });

describe('field encryption with per-clinic data keys', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let clinicA: string;
  let clinicB: string;
  const master = masterKey();
  let fields: FieldEncryption;

  beforeAll(async () => {
    database = await openTestDatabase(4);
    unitOfWork = database.unitOfWork;
    clinicA = await createClinic(unitOfWork, 'Cipher Clinic A');
    clinicB = await createClinic(unitOfWork, 'Cipher Clinic B');
    fields = new FieldEncryption(new EnvelopeEncryption(master));
  });
  afterAll(() => database.close());

  const note = (rowId: string) => ({ table: 'session_notes', rowId, column: 'body' });

  it('round-trips a value and stores only the wrapped key, one per clinic', async () => {
    const rowId = randomUUID();
    const sealed = await unitOfWork.run(clinicA, (tx) => fields.encrypt(tx, note(rowId), 'CANARY-plaintext-1'));
    expect(sealed).not.toContain('CANARY');
    expect(await unitOfWork.run(clinicA, (tx) => fields.decrypt(tx, note(rowId), sealed))).toBe('CANARY-plaintext-1');
    const admin = await connectAs('admin');
    try {
      const { rows } = await admin.query<{ clinic_id: string; version: number; wrapped_key: string }>(
        'select clinic_id, version, wrapped_key from clinic_data_keys where clinic_id = $1',
        [clinicA],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ clinic_id: clinicA, version: 1 });
      expect(FieldEncryption.keyVersionOf(sealed)).toBe(1);
    } finally {
      await admin.end();
    }
  });

  it('refuses a value moved to another row, column or clinic', async () => {
    const rowId = randomUUID();
    const sealed = await unitOfWork.run(clinicA, (tx) => fields.encrypt(tx, note(rowId), 'bound to its place'));
    await expect(unitOfWork.run(clinicA, (tx) => fields.decrypt(tx, note(randomUUID()), sealed))).rejects.toThrow(
      DecryptionError,
    );
    await expect(
      unitOfWork.run(clinicA, (tx) => fields.decrypt(tx, { ...note(rowId), column: 'summary' }, sealed)),
    ).rejects.toThrow(DecryptionError);
    await expect(unitOfWork.run(clinicB, (tx) => fields.decrypt(tx, note(rowId), sealed))).rejects.toThrow(
      DecryptionError,
    );
    const altered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    await expect(unitOfWork.run(clinicA, (tx) => fields.decrypt(tx, note(rowId), altered))).rejects.toThrow(
      DecryptionError,
    );
  });

  it('cannot decrypt with another master key (a fresh process with the wrong MASTER_KEY)', async () => {
    const rowId = randomUUID();
    const sealed = await unitOfWork.run(clinicA, (tx) => fields.encrypt(tx, note(rowId), 'needs the right master'));
    const stranger = new FieldEncryption(new EnvelopeEncryption({ id: 'test-master', key: randomBytes(32) }));
    await expect(unitOfWork.run(clinicA, (tx) => stranger.decrypt(tx, note(rowId), sealed))).rejects.toThrow(
      DecryptionError,
    );
  });

  it('creates exactly one first key when several writers start at once', async () => {
    const clinic = await createClinic(unitOfWork, 'Cipher Clinic C');
    const writers = Array.from({ length: 6 }, () => new FieldEncryption(new EnvelopeEncryption(master)));
    const sealed = await Promise.all(
      writers.map((writer, index) =>
        unitOfWork.run(clinic, (tx) =>
          writer.encrypt(tx, note(`00000000-0000-4000-8000-00000000000${index}`), `v${index}`),
        ),
      ),
    );
    const reader = new FieldEncryption(new EnvelopeEncryption(master));
    for (const [index, value] of sealed.entries()) {
      const location = note(`00000000-0000-4000-8000-00000000000${index}`);
      expect(await unitOfWork.run(clinic, (tx) => reader.decrypt(tx, location, value))).toBe(`v${index}`);
    }
  });
});
