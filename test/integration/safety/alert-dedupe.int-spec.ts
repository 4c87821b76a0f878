import { randomBytes, randomUUID } from 'node:crypto';

import type pg from 'pg';

import { EnvelopeEncryption, FieldEncryption, type UnitOfWork } from '@mend/core';
import { SafetyAlerts, SafetySettingsService } from '@mend/measures';
import { connectAs, createClinic, openTestDatabase, type TestDatabase } from '@mend/testing';

/**
 * One alert per dedupe key, even when the same signal is raised by several
 * transactions at once (the worker's scan of a submission and a retry of it):
 * raising takes turns per key, so the later ones find the first alert instead of
 * failing on `safety_alerts_dedupe_idx` (a unique-key error that failed the job).
 */
describe('safety alerts: one per dedupe key, raised at once', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let admin: pg.Client;
  let clinicId: string;
  const clientId = randomUUID();
  const caseId = randomUUID();
  const alerts = new SafetyAlerts(
    new FieldEncryption(new EnvelopeEncryption({ id: 'test', key: randomBytes(32) })),
    new SafetySettingsService(),
  );

  beforeAll(async () => {
    database = await openTestDatabase(6);
    unitOfWork = database.unitOfWork;
    admin = await connectAs('admin');
    clinicId = await createClinic(unitOfWork, 'Alert dedupe clinic');
    await unitOfWork.run(clinicId, async (tx) => {
      await tx.query(
        `insert into clients (clinic_id, id, display_name, timezone) values ($1, $2, 'Synthetic', 'UTC')`,
        [clinicId, clientId],
      );
      await tx.query(`insert into cases (clinic_id, id, title, type) values ($1, $2, 'Synthetic case', 'individual')`, [
        clinicId,
        caseId,
      ]);
    });
  });

  afterAll(async () => {
    await admin?.end();
    await database?.close();
  });

  it('answers every caller with the one alert; exactly one of them created it', async () => {
    for (let round = 0; round < 5; round += 1) {
      const dedupeKey = `risk_scan:submission:${randomUUID()}`;
      const raised = await Promise.all(
        Array.from({ length: 5 }, () =>
          unitOfWork.run(clinicId, (tx) =>
            alerts.raise(tx, {
              caseId,
              subjectClientId: clientId,
              tier: 2,
              trigger: 'risk_scan',
              ruleIds: ['synthetic-rule'],
              dedupeKey,
            }),
          ),
        ),
      );
      expect(new Set(raised.map((result) => result.id)).size).toBe(1);
      expect(raised.filter((result) => result.created)).toHaveLength(1);
      const rows = await admin.query<{ count: number }>(
        'select count(*)::int as count from safety_alerts where clinic_id = $1 and dedupe_key = $2',
        [clinicId, dedupeKey],
      );
      expect(rows.rows[0].count).toBe(1);
    }
  });
});
