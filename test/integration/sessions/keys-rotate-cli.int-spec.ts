import { randomBytes, randomUUID } from 'node:crypto';

import { createLogger, EnvelopeEncryption, FieldEncryption, type UnitOfWork } from '@mend/core';
import { connectAs, createClinic, openTestDatabase, testConfig, type TestDatabase } from '@mend/testing';

import { UsageError } from '../../../apps/cli/src/commands/command.js';
import { keysRotateCommand } from '../../../apps/cli/src/commands/keys.commands.js';

/** `npm run cli -- keys:rotate`: the command over the runtime role, as an operator runs it. */
describe('keys:rotate (CLI)', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let clinicId: string;
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');

  async function run(options: Record<string, string | boolean>, env: Record<string, string>) {
    const printed: string[] = [];
    const code = await keysRotateCommand.run({
      config: testConfig(env),
      logger: createLogger('silent', 'test'),
      options,
      print: (line) => printed.push(line),
    });
    return { code, printed: printed.join('\n') };
  }

  beforeAll(async () => {
    database = await openTestDatabase(2);
    unitOfWork = database.unitOfWork;
    clinicId = await createClinic(unitOfWork, 'CLI rotation clinic');
    const fields = new FieldEncryption(new EnvelopeEncryption({ id: 'cli-old', key: Buffer.from(oldKey, 'base64') }));
    await unitOfWork.run(clinicId, (tx) =>
      fields.encrypt(tx, { table: 'psychotherapy_notes', rowId: randomUUID(), column: 'body' }, 'x'),
    );
  });
  afterAll(() => database.close());

  it('rotates a clinic data key, then re-wraps every data key under a new master key', async () => {
    const old = { MASTER_KEY: oldKey, MASTER_KEY_ID: 'cli-old' };
    const rotated = await run({ clinic: clinicId, 'batch-size': '10' }, old);
    expect(rotated).toEqual({ code: 0, printed: expect.stringContaining('now at data key version 2') as string });
    const plan = await run({ master: true, 'dry-run': true }, { MASTER_KEY: newKey, MASTER_KEY_ID: 'cli-new' });
    expect(plan.printed).toMatch(/^PLAN: \d+ data keys/);
    const withoutPrevious = await run({ master: true }, { MASTER_KEY: newKey, MASTER_KEY_ID: 'cli-new' });
    // Other test files share this database (their clinics' keys use other master keys): look at this clinic only.
    expect(withoutPrevious.code).toBe(1);
    expect(withoutPrevious.printed).toContain(clinicId);
    const rewrapped = await run(
      { master: true },
      { MASTER_KEY: newKey, MASTER_KEY_ID: 'cli-new', MASTER_KEY_PREVIOUS: oldKey, MASTER_KEY_PREVIOUS_ID: 'cli-old' },
    );
    expect(rewrapped.printed).toMatch(/^OK: /);
    expect(rewrapped.printed).not.toContain(clinicId);
    const admin = await connectAs('admin');
    try {
      const { rows } = await admin.query<{ master_key_id: string }>(
        'select master_key_id from clinic_data_keys where clinic_id = $1 order by version',
        [clinicId],
      );
      expect(rows).toEqual([{ master_key_id: 'cli-new' }, { master_key_id: 'cli-new' }]);
    } finally {
      await admin.end();
    }
  });

  it('refuses an ambiguous or malformed request', async () => {
    await expect(run({}, {})).rejects.toThrow(UsageError);
    await expect(run({ master: true, clinic: clinicId }, {})).rejects.toThrow(UsageError);
    await expect(run({ clinic: 'nope' }, {})).rejects.toThrow(UsageError);
    await expect(run({ clinic: clinicId, 'batch-size': '0' }, {})).rejects.toThrow(UsageError);
  });
});
