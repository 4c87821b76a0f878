import { randomBytes, randomUUID } from 'node:crypto';

import { EnvelopeEncryption, FieldEncryption, type TenantTransaction, type UnitOfWork } from '@mend/core';

/** The members a clinic's case-domain rows refer to. */
export interface CaseDomainMembers {
  readonly counselorMembershipId: string;
  readonly clientMembershipId: string;
  readonly clientUserId: string;
}

/**
 * Gives a clinic one row in every table of the case domain (clients, cases,
 * repair plans, ledger, boundary events, disclosures, notifications, exercises,
 * data keys), written as the runtime role inside the clinic's own unit of work,
 * so row-level security accepts them exactly as it accepts the product's writes.
 * A table added by a later issue adds its row here in the same change.
 */
export async function seedCaseDomain(unitOfWork: UnitOfWork, clinicId: string, members: CaseDomainMembers) {
  const ids = {
    clientA: randomUUID(),
    clientB: randomUUID(),
    caseId: randomUUID(),
    commitmentId: randomUUID(),
    boundaryId: randomUUID(),
    checkInId: randomUUID(),
    assessmentId: randomUUID(),
    exerciseId: randomUUID(),
  };
  const { counselorMembershipId: counselor } = members;
  await unitOfWork.run(clinicId, async (tx: TenantTransaction) => {
    const q = (sql: string, parameters: unknown[]) => tx.query(sql, [clinicId, ...parameters]);
    await q(
      `insert into clients (clinic_id, id, display_name, timezone, membership_id, created_by_membership_id)
       values ($1, $2, 'Synthetic A', 'UTC', $4, $5), ($1, $3, 'Synthetic B', 'UTC', null, $5)`,
      [ids.clientA, ids.clientB, members.clientMembershipId, counselor],
    );
    await q(`insert into cases (clinic_id, id, title, type, status) values ($1, $2, 'Synthetic', 'couple', 'active')`, [
      ids.caseId,
    ]);
    await q('insert into case_care_team (clinic_id, case_id, membership_id, is_primary) values ($1, $2, $3, true)', [
      ids.caseId,
      counselor,
    ]);
    await q(
      `insert into case_participants (clinic_id, case_id, client_id, role)
       values ($1, $2, $3, 'harmed'), ($1, $2, $4, 'harming')`,
      [ids.caseId, ids.clientA, ids.clientB],
    );
    await q(
      `insert into case_status_changes (clinic_id, id, case_id, to_status, changed_by_membership_id)
       values ($1, $2, $3, 'active', $4)`,
      [randomUUID(), ids.caseId, counselor],
    );
    await q(
      `insert into case_secrets_policies (clinic_id, case_id, version, kind, body, created_by_membership_id)
       values ($1, $2, 1, 'no_secrets', 'Synthetic policy text', $3)`,
      [ids.caseId, counselor],
    );
    await q(
      `insert into case_secrets_policy_signatures (clinic_id, case_id, version, client_id, signed_by_user_id, signed_name)
       values ($1, $2, 1, $3, $4, 'Synthetic A')`,
      [ids.caseId, ids.clientA, members.clientUserId],
    );
    await q(`insert into repair_plans (clinic_id, case_id, current_revision, phase) values ($1, $2, 1, 'P1')`, [
      ids.caseId,
    ]);
    await q(
      `insert into repair_plan_revisions (clinic_id, case_id, revision, id, document, author_membership_id)
       values ($1, $2, 1, $3, $4::jsonb, $5)`,
      [ids.caseId, randomUUID(), JSON.stringify({ commitments: [{ id: ids.commitmentId }] }), counselor],
    );
    await q(
      `insert into repair_plan_phase_changes (clinic_id, id, case_id, from_phase, to_phase, reason, changed_by_membership_id)
       values ($1, $2, $3, 'P0', 'P1', 'Synthetic reason', $4)`,
      [randomUUID(), ids.caseId, counselor],
    );
    await q(
      `insert into readiness_assessments (clinic_id, id, case_id, assessed_on, counselor_rating, recorded_by_membership_id)
       values ($1, $2, $3, current_date, 5, $4)`,
      [ids.assessmentId, ids.caseId, counselor],
    );
    await q(
      `insert into readiness_participant_ratings (clinic_id, assessment_id, case_id, client_id, rating, rated_by_membership_id)
       values ($1, $2, $3, $4, 6, $5)`,
      [ids.assessmentId, ids.caseId, ids.clientA, members.clientMembershipId],
    );
    await q(
      `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status, occurred_on,
                                         recorded_by_membership_id, recorded_by_kind)
       values ($1, $2, $3, $4, $5, 'kept', current_date, $6, 'care_team')`,
      [ids.checkInId, ids.caseId, ids.commitmentId, ids.clientB, counselor],
    );
    await q(
      `insert into commitment_check_in_responses (clinic_id, id, case_id, check_in_id, responder_client_id,
                                                  responded_by_membership_id, response)
       values ($1, $2, $3, $4, $5, $6, 'confirmed')`,
      [randomUUID(), ids.caseId, ids.checkInId, ids.clientA, members.clientMembershipId],
    );
    await q(
      `insert into boundary_events (clinic_id, id, case_id, boundary_id, occurred_at, severity, reported_by_membership_id,
                                    reported_by_kind)
       values ($1, $2, $3, $4, now(), 'low', $5, 'care_team')`,
      [randomUUID(), ids.caseId, ids.boundaryId, counselor],
    );
    await q(
      `insert into disclosures (clinic_id, id, case_id, item_type, item_id, author_client_id, mode)
       values ($1, $2, $3, 'plan.need', $4, $5, 'shared_by_care_team')`,
      [randomUUID(), ids.caseId, randomUUID(), ids.clientA],
    );
    await q(
      `insert into notifications (clinic_id, id, recipient_membership_id, kind, title)
       values ($1, $2, $3, 'disclosure.made', 'Something you wrote was shared in your case')`,
      [randomUUID(), members.clientMembershipId],
    );
    await q('insert into exercises (clinic_id, id, created_by_membership_id) values ($1, $2, $3)', [
      ids.exerciseId,
      counselor,
    ]);
    await q(
      `insert into exercise_versions (clinic_id, exercise_id, version, id, title, definition, author_membership_id)
       values ($1, $2, 1, $3, 'Synthetic exercise', '{}'::jsonb, $4)`,
      [ids.exerciseId, randomUUID(), counselor],
    );
    // The clinic's first data key, created the way the product creates it: on first encryption.
    await new FieldEncryption(new EnvelopeEncryption({ id: 'seed', key: randomBytes(32) })).encrypt(
      tx,
      { table: 'seed', rowId: ids.caseId, column: 'text' },
      'synthetic',
    );
  });
  return ids;
}
