import { randomBytes, randomUUID } from 'node:crypto';

import { EnvelopeEncryption, FieldEncryption, type TenantTransaction, type UnitOfWork } from '@mend/core';

import { seedSessionsDomain } from '../../sessions/support/seed-sessions-domain.js';

/** The members a clinic's case-domain rows refer to. */
export interface CaseDomainMembers {
  readonly counselorMembershipId: string;
  readonly clientMembershipId: string;
  readonly clientUserId: string;
}

/**
 * Gives a clinic one row in every table of the case domain (clients, cases,
 * repair plans, ledger, boundary events, disclosures, notifications, exercises,
 * measures and safety, data keys), written as the runtime role inside the clinic's own unit of work,
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
    // Outcome measures and safety (issue 6).
    await q(
      `insert into clinic_measures (clinic_id, measure_id, version, kind, definition, licence_reference)
       values ($1, 'seed-measure', '1', 'clinic', '{}'::jsonb, 'Synthetic licence')`,
      [],
    );
    await q(
      `insert into measure_licence_confirmations (clinic_id, id, measure_id, reference, confirmed_by_membership_id)
       values ($1, $2, 'csi-4', 'Synthetic licence confirmation', $3)`,
      [randomUUID(), counselor],
    );
    const scheduleId = randomUUID();
    await q(
      `insert into measure_schedules (clinic_id, id, case_id, client_id, measure_id, measure_version, timezone,
                                      local_time, start_date, created_by_membership_id)
       values ($1, $2, $3, $4, 'phq-9', '1', 'UTC', '09:00', '2026-01-01', $5)`,
      [scheduleId, ids.caseId, ids.clientA, counselor],
    );
    await q(
      `insert into measure_administrations (clinic_id, id, case_id, client_id, schedule_id, occurrence, measure_id,
                                            measure_version, status, due_at)
       values ($1, $2, $3, $4, $5, 1, 'phq-9', '1', 'due', now())`,
      [randomUUID(), ids.caseId, ids.clientA, scheduleId],
    );
    await q(
      `insert into safety_alerts (clinic_id, id, case_id, tier, trigger, rule_ids, spans, raised_at)
       values ($1, $2, $3, 3, 'manual', '[]'::jsonb, '[]'::jsonb, now())`,
      [randomUUID(), ids.caseId],
    );
    await q('insert into clinic_safety_settings (clinic_id) values ($1)', []);
    await q(`insert into clinic_crisis_resources (clinic_id, country, resources) values ($1, 'US', '[]'::jsonb)`, []);
    await q(
      `insert into safety_check_ins (clinic_id, id, case_id, client_id, questions, offered_by_membership_id)
       values ($1, $2, $3, $4, '[]'::jsonb, $5)`,
      [randomUUID(), ids.caseId, ids.clientA, counselor],
    );
    // Homework: an assignment, its occurrence and status history, a submission and its feedback.
    const assignmentId = randomUUID();
    const occurrenceId = randomUUID();
    const submissionId = randomUUID();
    await q(
      `insert into assignments (clinic_id, id, case_id, exercise_ref, exercise_version, exercise_title, exercise_snapshot,
                                paired, visibility, schedule, created_by_membership_id)
       values ($1, $2, $3, 'E07', 1, 'Synthetic', '{}', false, 'shared', '{"kind":"once","dueOn":"2099-01-01"}', $4)`,
      [assignmentId, ids.caseId, counselor],
    );
    await q(
      `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on)
       values ($1, $2, $3, $4, $5, '2099-01-01', '2099-01-01')`,
      [occurrenceId, assignmentId, ids.caseId, ids.clientA],
    );
    await q(
      `insert into assignment_status_changes (clinic_id, id, occurrence_id, to_status) values ($1, $2, $3, 'assigned')`,
      [randomUUID(), occurrenceId],
    );
    await q(
      `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, submitted_at)
       values ($1, $2, $3, $4, $5, 'submitted', 'sealed', now())`,
      [submissionId, occurrenceId, ids.caseId, ids.clientA],
    );
    await q(
      `insert into submission_feedback (clinic_id, id, submission_id, case_id, author_membership_id, body)
       values ($1, $2, $3, $4, $5, 'sealed')`,
      [randomUUID(), submissionId, ids.caseId, counselor],
    );
    // Reminders (issue 7): clinic defaults, a client's quiet hours and preference, a reminder and its delivery.
    await q(`insert into clinic_reminder_settings (clinic_id, channels) values ($1, '{in_app,email}')`, []);
    await q(
      `insert into client_reminder_settings (clinic_id, client_id, quiet_start, quiet_end) values ($1, $2, '22:00', '07:00')`,
      [ids.clientA],
    );
    await q(
      `insert into client_reminder_preferences (clinic_id, client_id, category, channel, opted_out)
       values ($1, $2, 'check_in', 'in_app', false)`,
      [ids.clientA],
    );
    const reminderId = randomUUID();
    await q(
      `insert into reminders (clinic_id, id, category, recipient_membership_id, recipient_client_id, case_id, source_type,
                              source_id, occurrence_key, dedupe_key, channels, due_at, fire_at)
       values ($1, $2, 'check_in', $3, $4, $5, 'case', $5, '2099-01-01', $6, '{in_app}', now(), now())`,
      [reminderId, members.clientMembershipId, ids.clientA, ids.caseId, `seed|${reminderId}`],
    );
    await q(
      `insert into deliveries (clinic_id, reminder_id, occurrence_key, channel, idempotency_key, status, sent_at)
       values ($1, $2, '2099-01-01', 'in_app', $3, 'sent', now())`,
      [reminderId, `seed-${reminderId}`],
    );
    // Sessions and notes (their own helper writes one row per table, encrypting like the product; the
    // clinic's first data key is created on that first encryption).
    await seedSessionsDomain(tx, new FieldEncryption(new EnvelopeEncryption({ id: 'seed', key: randomBytes(32) })), {
      caseId: ids.caseId,
      counselorMembershipId: counselor,
      clientId: ids.clientA,
    });
    // Progress reports (issue 9): a request and one of its files (content is ciphertext in the product).
    const reportId = randomUUID();
    await q(
      `insert into report_requests (clinic_id, id, kind, audience, period_start, period_end, timezone, as_of, case_id,
                                    requested_by_membership_id, status)
       values ($1, $2, 'case', 'care_team', '2026-01-01', '2026-02-01', 'UTC', now(), $3, $4, 'ready')`,
      [reportId, ids.caseId, counselor],
    );
    await q(
      `insert into report_artifacts (clinic_id, id, report_id, name, media_type, content, byte_size, sha256)
       values ($1, $2, $3, 'report.json', 'application/json', 'sealed', 2, $4)`,
      [randomUUID(), reportId, '0'.repeat(64)],
    );
  });
  return ids;
}
