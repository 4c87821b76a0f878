import { execFile } from 'node:child_process';
import { join } from 'node:path';

import type pg from 'pg';

import { recordAudit } from '@mend/audit';
import type { UnitOfWork } from '@mend/core';
import { connectAs, createClinic, openTestDatabase, testEnvironment, type TestDatabase } from '@mend/testing';

const ROOT = join(__dirname, '..', '..', '..');

/** `npm run cli -- <args>` without a build: the CLI's entry point through tsx. */
function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: testEnvironment().runtimeUrl, LOG_LEVEL: 'warn' } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}

describe('audit CLI', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let admin: pg.Client;

  beforeAll(async () => {
    database = await openTestDatabase(2);
    unitOfWork = database.unitOfWork;
    admin = await connectAs('admin');
  });

  afterAll(async () => {
    await admin.end();
    await database.close();
  });

  it('seals, verifies (exit 0 with counts), and reports the first broken link after tampering (exit 1)', async () => {
    const clinicId = await createClinic(unitOfWork, 'CLI clinic');
    for (const action of ['client.create', 'client.read', 'client.update']) {
      await unitOfWork.run(clinicId, (tx) => recordAudit(tx, { action, targetType: 'client', targetId: 'c-7' }));
    }

    // The snapshot xmin is cluster-wide: retry while another session's transaction holds it back.
    let sealed = await cli(['audit:seal', '--clinic', clinicId]);
    for (let attempt = 0; attempt < 50 && !/Sealed 3 rows/.test(sealed.stdout); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      sealed = await cli(['audit:seal', '--clinic', clinicId]);
    }
    expect(sealed).toMatchObject({ code: 0 });
    expect(sealed.stdout).toMatch(/Sealed 3 rows of clinic .* as seal 1/);

    const good = await cli(['audit:verify', '--clinic', clinicId]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(
      `OK: audit chain of clinic ${clinicId} verified: 3 rows, 1 seals, 0 rows not yet sealed`,
    );
    expect(good.stdout).toMatch(/Head: seal 1 [0-9a-f]{64}/);

    const { rows } = await admin.query<{ seq: string }>(
      "select seq::text as seq from audit_events where clinic_id = $1 and action = 'client.read'",
      [clinicId],
    );
    await admin.query('begin');
    await admin.query("set local session_replication_role = 'replica'");
    await admin.query("update audit_events set outcome = 'denied' where clinic_id = $1 and seq = $2", [
      clinicId,
      rows[0].seq,
    ]);
    await admin.query('commit');

    const broken = await cli(['audit:verify', '--clinic', clinicId]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(
      `BROKEN: audit chain of clinic ${clinicId}, first broken link at row seq ${rows[0].seq}: row hash does not match its fields`,
    );
  }, 120_000);

  it('refuses a clinic that is not a uuid with a usage error (exit 2)', async () => {
    const result = await cli(['audit:verify', '--clinic', 'clinic-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--clinic must be a clinic id (uuid)');
  }, 60_000);
});
