import { randomUUID } from 'node:crypto';

import type pg from 'pg';

import type { UnitOfWork } from '@mend/core';
import { connectAs, createClinic, openTestDatabase, type TestDatabase } from '@mend/testing';

/**
 * The trust ledger, its responses and the disclosure log refuse UPDATE and
 * DELETE in the database: the runtime role the API uses has no such privilege,
 * and a trigger refuses them for every role, the owner included (even when a
 * statement matches no row). A boundary event accepts only its one completion.
 */
const REFUSED = /refused|permission denied/;
describe('ledger tables are append-only (runtime role)', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let admin: pg.Client;
  let owner: pg.Client;
  let clinicId: string;
  const ids = {
    user: randomUUID(),
    membership: randomUUID(),
    clientA: randomUUID(),
    clientB: randomUUID(),
    case: randomUUID(),
    checkIn: randomUUID(),
    response: randomUUID(),
    event: randomUUID(),
    disclosure: randomUUID(),
  };

  beforeAll(async () => {
    database = await openTestDatabase(2);
    unitOfWork = database.unitOfWork;
    admin = await connectAs('admin');
    owner = await connectAs('owner');
    clinicId = await createClinic(unitOfWork, 'Ledger append-only clinic');
    await admin.query('insert into users (id, email) values ($1, $2)', [
      ids.user,
      `ledger.${ids.user.slice(0, 8)}@test.mend.example`,
    ]);
    await admin.query(`insert into memberships (clinic_id, id, user_id, roles) values ($1, $2, $3, '{counselor}')`, [
      clinicId,
      ids.membership,
      ids.user,
    ]);
    await unitOfWork.run(clinicId, async (tx) => {
      for (const client of [ids.clientA, ids.clientB]) {
        await tx.query(
          `insert into clients (clinic_id, id, display_name, timezone) values ($1, $2, 'Synthetic', 'UTC')`,
          [clinicId, client],
        );
      }
      await tx.query(`insert into cases (clinic_id, id, title, type) values ($1, $2, 'Synthetic case', 'couple')`, [
        clinicId,
        ids.case,
      ]);
      await tx.query(
        `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status,
                                           occurred_on, recorded_by_membership_id, recorded_by_kind)
         values ($1, $2, $3, $4, $5, 'kept', '2026-05-01', $6, 'care_team')`,
        [clinicId, ids.checkIn, ids.case, randomUUID(), ids.clientA, ids.membership],
      );
      await tx.query(
        `insert into commitment_check_in_responses (clinic_id, id, case_id, check_in_id, responder_client_id,
                                                    responded_by_membership_id, response)
         values ($1, $2, $3, $4, $5, $6, 'disputed')`,
        [clinicId, ids.response, ids.case, ids.checkIn, ids.clientB, ids.membership],
      );
      await tx.query(
        `insert into boundary_events (clinic_id, id, case_id, boundary_id, occurred_at, severity,
                                      reported_by_membership_id, reported_by_kind)
         values ($1, $2, $3, $4, '2026-05-01T10:00:00Z', 'low', $5, 'care_team')`,
        [clinicId, ids.event, ids.case, randomUUID(), ids.membership],
      );
      await tx.query(
        `insert into disclosures (clinic_id, id, case_id, item_type, item_id, author_client_id, mode)
         values ($1, $2, $3, 'plan.need', $4, $5, 'shared_by_care_team')`,
        [clinicId, ids.disclosure, ids.case, randomUUID(), ids.clientA],
      );
    });
  });

  afterAll(async () => {
    await admin?.end();
    await owner?.end();
    await database?.close();
  });

  const run = (sql: string, parameters: unknown[]) => unitOfWork.run(clinicId, (tx) => tx.query(sql, parameters));

  it.each([
    ['update commitment_check_ins', `update commitment_check_ins set status = 'missed' where id = $1`, 'checkIn'],
    ['delete commitment_check_ins', 'delete from commitment_check_ins where id = $1', 'checkIn'],
    [
      'update commitment_check_in_responses',
      `update commitment_check_in_responses set response = 'confirmed' where id = $1`,
      'response',
    ],
    ['delete commitment_check_in_responses', 'delete from commitment_check_in_responses where id = $1', 'response'],
    ['update disclosures', `update disclosures set item_type = 'other' where id = $1`, 'disclosure'],
    ['delete disclosures', 'delete from disclosures where id = $1', 'disclosure'],
    ['delete boundary_events', 'delete from boundary_events where id = $1', 'event'],
  ] as const)('refuses %s, as the runtime role and as the owner', async (_label, sql, key) => {
    await expect(run(sql, [ids[key]])).rejects.toThrow(REFUSED);
    // The trigger, for the table owner (who holds every privilege), in the clinic's context.
    const asOwner = async (id: string) => {
      await owner.query('begin');
      try {
        await owner.query(`select set_config('app.clinic_id', $1, true)`, [clinicId]);
        await owner.query(sql, [id]);
      } finally {
        await owner.query('rollback');
      }
    };
    await expect(asOwner(ids[key])).rejects.toThrow(/append-only/);
    // Even a statement that matches nothing is refused (statement-level trigger).
    await expect(asOwner(randomUUID())).rejects.toThrow(/append-only/);
  });

  it('leaves the rows exactly as written', async () => {
    const rows = await admin.query<{ status: string; response: string }>(
      `select c.status, r.response from commitment_check_ins c
         join commitment_check_in_responses r on r.clinic_id = c.clinic_id and r.check_in_id = c.id
        where c.clinic_id = $1 and c.id = $2`,
      [clinicId, ids.checkIn],
    );
    expect(rows.rows).toEqual([{ status: 'kept', response: 'disputed' }]);
  });

  it('lets a boundary event be completed once, and nothing else change', async () => {
    await expect(run(`update boundary_events set severity = 'high' where id = $1`, [ids.event])).rejects.toThrow(
      REFUSED,
    );
    await expect(
      run(
        `update boundary_events set completed_at = '2026-05-02T10:00:00Z', completed_by_membership_id = $2, severity = 'high'
          where id = $1`,
        [ids.event, ids.membership],
      ),
    ).rejects.toThrow(REFUSED);
    await run(
      `update boundary_events set completed_at = '2026-05-02T10:00:00Z', completed_by_membership_id = $2 where id = $1`,
      [ids.event, ids.membership],
    );
    await expect(
      run(`update boundary_events set completed_at = '2026-05-03T10:00:00Z' where id = $1`, [ids.event]),
    ).rejects.toThrow(/refused/);
    const rows = await admin.query<{ severity: string; completed_at: Date }>(
      'select severity, completed_at from boundary_events where clinic_id = $1 and id = $2',
      [clinicId, ids.event],
    );
    expect(rows.rows).toEqual([{ severity: 'low', completed_at: new Date('2026-05-02T10:00:00Z') }]);
  });

  it('keeps a correction chain a line: an entry is corrected at most once', async () => {
    const insert = (id: string) =>
      run(
        `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status,
                                           occurred_on, corrects_check_in_id, recorded_by_membership_id, recorded_by_kind)
         values ($1, $2, $3, $4, $5, 'missed', '2026-05-01', $6, $7, 'care_team')`,
        [clinicId, id, ids.case, randomUUID(), ids.clientA, ids.checkIn, ids.membership],
      );
    await insert(randomUUID());
    await expect(insert(randomUUID())).rejects.toThrow(/commitment_check_ins_one_correction_idx/);
  });
});
