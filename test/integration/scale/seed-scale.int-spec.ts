import { randomBytes } from 'node:crypto';

import type { DataSource } from 'typeorm';

import { createDataSource, createLogger, EnvelopeEncryption, FieldEncryption, UnitOfWork } from '@mend/core';
import { createIdentityServices, NO_LOGIN_THROTTLE, PasswordHasher } from '@mend/identity';
import { ENTITIES } from '@mend/platform';
import { testConfig, testEnvironment } from '@mend/testing';

import { UsageError } from '../../../apps/cli/src/commands/command.js';
import { adminUrlOnDatabase, seedScaleCommand } from '../../../apps/cli/src/commands/scale.commands.js';
import { clinicShape, emailOf, seedScale, type ScaleOptions } from '../../../apps/cli/src/scale/scale-generator.js';
import { checkScaleInvariants, scaleContentHash } from '../../../apps/cli/src/scale/scale-invariants.js';
import { createOwnDatabase, type OwnDatabase } from '../worker/support/own-database.js';

jest.setTimeout(120_000);

/** The scale generator (issue 12): small scale, invariants green, deterministic for a seed, usable by the API's services. */
describe('seed:scale generator', () => {
  const envelope = new EnvelopeEncryption({ id: 'k1', key: randomBytes(32) });
  const encryption = new FieldEncryption(envelope);
  const password = 'scale-test-passphrase-2026';
  const databases: OwnDatabase[] = [];
  const sources: DataSource[] = [];
  let passwordHash: string;

  async function unitOfWorkOn(database: OwnDatabase): Promise<UnitOfWork> {
    const source = await createDataSource({
      url: adminUrlOnDatabase(testEnvironment().adminUrl, database.ownerUrl),
      entities: ENTITIES,
      poolSize: 2,
      applicationName: 'scale-test',
    }).initialize();
    sources.push(source);
    return new UnitOfWork({ connected: () => source });
  }

  const options = (seed: string): ScaleOptions => ({
    clinics: 2,
    clientsPerClinic: 60,
    months: 3,
    seed,
    until: '2026-11-20',
    passwordHash,
  });

  beforeAll(async () => {
    passwordHash = await new PasswordHasher('test').hash(password);
    databases.push(await createOwnDatabase('scale_a'), await createOwnDatabase('scale_b'));
  });

  afterAll(async () => {
    for (const source of sources) await source.destroy();
    for (const database of databases) await database.drop();
  });

  it('generates valid, deterministic clinics whose encrypted fields and passwords work', async () => {
    const [first, second] = [await unitOfWorkOn(databases[0]), await unitOfWorkOn(databases[1])];
    const a = await seedScale(first, envelope, options('alpha'));
    const b = await seedScale(second, envelope, options('alpha'));
    const other = await seedScale(first, envelope, options('beta'));
    const ids = (result: typeof a) => result.clinics.map((clinic) => clinic.clinicId);
    expect(ids(a)).toEqual(ids(b));
    expect(ids(other)).not.toEqual(ids(a));

    // Invariants hold for every clinic.
    for (const clinicId of [...ids(a), ...ids(other)]) {
      const report = await checkScaleInvariants(first, encryption, clinicId);
      expect(report.violations).toEqual([]);
    }

    // Same seed in two databases -> identical content; another seed -> different content.
    const hashOn = (unitOfWork: UnitOfWork, clinicIds: string[]) =>
      unitOfWork.runWithoutClinic((tx) => scaleContentHash((sql, values) => tx.query(sql, values), clinicIds));
    const hashA = await hashOn(first, ids(a));
    const hashB = await hashOn(second, ids(b));
    const hashOther = await hashOn(first, ids(other));
    expect(hashB).toEqual(hashA);
    expect(hashOther.total).not.toBe(hashA.total);
    for (const [table, hash] of Object.entries(hashA.tables)) {
      expect([table, hash]).not.toEqual([table, '']);
    }

    // Every status and every phase; the expected counts of people and cases.
    const shape = clinicShape(60);
    const [stats] = await first.runWithoutClinic((tx) =>
      tx.query<{
        statuses: string[];
        phases: string[];
        clients: number;
        cases: number;
        types: string[];
        signed: number;
        drafts: number;
      }>(
        `select (select array_agg(distinct status order by status) from cases where clinic_id = $1) as statuses,
                (select array_agg(distinct phase order by phase) from repair_plans where clinic_id = $1) as phases,
                (select count(*)::int from clients where clinic_id = $1) as clients,
                (select count(*)::int from cases where clinic_id = $1) as cases,
                (select array_agg(distinct type order by type) from cases where clinic_id = $1) as types,
                (select count(*)::int from progress_notes where clinic_id = $1 and status = 'signed') as signed,
                (select count(*)::int from progress_notes where clinic_id = $1 and status = 'draft') as drafts`,
        [ids(a)[0]],
      ),
    );
    expect(stats).toMatchObject({
      statuses: ['active', 'closed', 'intake', 'on_hold'],
      phases: ['P0', 'P1', 'P2', 'P3', 'P4'],
      clients: 60,
      cases: shape.cases,
      types: ['couple', 'individual'],
    });
    expect(stats.signed).toBeGreaterThan(stats.drafts);
    expect(stats.drafts).toBeGreaterThan(0);

    // API-level use: answers and a note decrypt with FieldEncryption under the clinic's key.
    const clinicId = ids(a)[0];
    const decrypted = await first.run(clinicId, async (tx) => {
      const [submission] = await tx.query<{ id: string; answers: string }>(
        'select id, answers from submissions where clinic_id = $1 order by id limit 1',
        [clinicId],
      );
      const [note] = await tx.query<{ id: string; body: string }>(
        `select id, body from progress_notes where clinic_id = $1 and status = 'signed' order by id limit 1`,
        [clinicId],
      );
      return {
        answers: JSON.parse(
          await encryption.decrypt(
            tx,
            { table: 'submissions', rowId: submission.id, column: 'answers' },
            submission.answers,
          ),
        ) as Record<string, unknown>,
        note: JSON.parse(
          await encryption.decrypt(tx, { table: 'progress_notes', rowId: note.id, column: 'body' }, note.body),
        ) as {
          text: string;
        },
      };
    });
    expect(Object.keys(decrypted.answers).length).toBeGreaterThan(0);
    expect(decrypted.note.text.length).toBeGreaterThan(10);

    // Sign-in through the identity services on the runtime role (row-level security applies): a client gets
    // tokens, a counselor is asked for the second factor (not the demo), a wrong password is refused.
    const runtime = await createDataSource({
      url: databases[0].runtimeUrl,
      entities: ENTITIES,
      poolSize: 2,
      applicationName: 'scale-test-runtime',
    }).initialize();
    sources.push(runtime);
    const identity = createIdentityServices({
      unitOfWork: new UnitOfWork({ connected: () => runtime }),
      config: testConfig(),
      jwtSecret: randomBytes(32),
      throttle: NO_LOGIN_THROTTLE,
    });
    const client = await identity.login.login({ email: emailOf('alpha', 0, 'client1'), password });
    expect(client.kind).toBe('tokens');
    const counselor = await identity.login.login({ email: emailOf('alpha', 1, 'counselor1'), password });
    expect(counselor.kind).toBe('mfa_required');
    await expect(
      identity.login.login({ email: emailOf('alpha', 0, 'client2'), password: `${password}x` }),
    ).rejects.toThrow();

    // A generated counselor and client exist under the printed emails, with the password's hash.
    const hasher = new PasswordHasher('test');
    for (const person of ['counselor1', 'client1']) {
      const [credential] = await first.runWithoutClinic((tx) =>
        tx.query<{ password_hash: string }>(
          `select c.password_hash from users u join user_credentials c on c.user_id = u.id where u.email = $1`,
          [emailOf('alpha', 0, person)],
        ),
      );
      expect((await hasher.verify(credential.password_hash, password)).isValid).toBe(true);
      expect((await hasher.verify(credential.password_hash, `${password}x`)).isValid).toBe(false);
    }
  });

  it('reports a broken invariant by name (a case left without a primary counselor)', async () => {
    const unitOfWork = await unitOfWorkOn(databases[1]);
    const seeded = await seedScale(unitOfWork, envelope, { ...options('gamma'), clinics: 1 });
    const clinicId = seeded.clinics[0].clinicId;
    await unitOfWork.run(clinicId, (tx) =>
      tx.query(
        `update case_care_team set is_primary = false where clinic_id = $1
            and case_id = (select id from cases where clinic_id = $1 order by id limit 1)`,
        [clinicId],
      ),
    );
    const report = await checkScaleInvariants(unitOfWork, encryption, clinicId);
    expect(report.violations.map((violation) => violation.rule)).toEqual([
      'every case has exactly one primary counselor, an active counselor of the clinic',
    ]);
  });

  it('refuses bad options with a usage error naming the option', async () => {
    const run = (options: Record<string, string>) =>
      seedScaleCommand.run({
        config: testConfig(),
        logger: createLogger('silent', 'test'),
        options,
        print: () => undefined,
      });
    await expect(run({ clinics: '1', months: '1' })).rejects.toThrow(new UsageError('--clients is required'));
    await expect(run({ clinics: '1', clients: '1e3', months: '1' })).rejects.toThrow(
      new UsageError('--clients must be a whole number'),
    );
    await expect(run({ clinics: '1', clients: '0', months: '1' })).rejects.toThrow(
      new UsageError('--clients must be between 1 and 100000'),
    );
    await expect(run({ clinics: '1', clients: '10', months: '1', until: '2026-02-30' })).rejects.toThrow(
      new UsageError('--until must be a date YYYY-MM-DD'),
    );
  });
});
