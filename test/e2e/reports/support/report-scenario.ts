import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FieldEncryption, UnitOfWork, type TenantTransaction } from '@mend/core';
import { ReportBuilder } from '@mend/reports';

import type { IdentityApp } from '../../auth/support/identity-app.js';
import type { CaseWorld } from '../../cases/support/case-world.js';

/**
 * THE FIXTURE SCENARIO of the report tests: one couple case with eight weeks of
 * synthetic history, written with SQL at fixed instants (a frozen clock: every
 * date below is literal), plus canaries — strings that must never appear in a
 * report for the audiences named. The period is 2026-01-05 (Monday) to
 * 2026-03-02 (exclusive): ISO weeks 2026-W02 to 2026-W09, the clinic in UTC,
 * the partners in Europe/London (UTC in winter).
 *
 * Partner A (harmed), partner B (harming):
 * - phases: P0 -> P1 on 2025-12-20, P1 -> P2 on 2026-02-02 (reason: a canary);
 * - homework: A a `shared` item due every Wednesday (8), 7 submitted, the third late;
 *   one more of A's due 2026-01-29 cancelled; B a `shared` item every Wednesday (8),
 *   3 submitted (weeks 1, 2, 5), and a `private` item every Friday (8), all
 *   submitted on time with a canary in the (encrypted) answers;
 * - ledger: A three entries a week (Tue, Thu, Sat): weeks 1-4 kept / partly / missed,
 *   weeks 5-8 all kept, with a canary in one note; B two a week (Tue, Thu) kept, plus
 *   a `missed` on Saturday 2026-01-10 corrected to `kept`; B disputes two of A's
 *   entries, A disputes one of B's; one entry after the period;
 * - boundary events: 2026-01-20 (moderate, repaired 01-22), 2026-02-10 (high, open),
 *   one before the period; the restorative response text is a canary;
 * - measures: A PHQ-9 16 (2025-12-15) -> 13 (01-12) -> 9 (02-09), CSI-4 10 (01-12) ->
 *   12 (02-23); B GAD-7 8 (2025-12-15) -> 11 (01-19) -> 14 (02-16), CSI-4 18 (01-12) ->
 *   17 (02-23);
 * - sessions: joint completed 01-13, 01-27, 02-10; joint cancelled 02-24; B's
 *   individual session completed 02-03; a signed progress note with a canary body,
 *   a draft note, a psychotherapy note whose body is the psychotherapy canary;
 * - safety alerts: A tier 1 manual, 01-15 10:00, acknowledged 10:30 (reason: canary);
 *   B tier 2 risk_scan, 02-20 10:00, open (excerpt: canary).
 */
export const PERIOD = { start: '2026-01-05', end: '2026-03-02' } as const;

export interface ReportScenario {
  readonly caseTitle: string;
  readonly canaries: {
    /** In no report at all: the psychotherapy note. */
    readonly psychotherapy: string;
    /** In no report: progress-note text, homework answers, ledger notes, alert texts, restorative responses, phase reasons. */
    readonly clinicalText: readonly string[];
  };
  /** Strings of partner B's private or symptom data: never in partner A's copy or the couple's. */
  readonly partnerBPrivate: readonly string[];
}

const at = (iso: string): Date => new Date(iso);
const day = (start: string, offset: number): string =>
  new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

export async function seedReportScenario(api: IdentityApp, world: CaseWorld): Promise<ReportScenario> {
  const unitOfWork = api.app.get(UnitOfWork);
  const encryption = api.app.get(FieldEncryption);
  const canary = (label: string) => `CANARY-${label}-${randomUUID()}`;
  const psychotherapy = `CANARY-psychotherapy-${randomUUID()}`;
  const caseTitle = canary('case-title');
  const texts = {
    answers: canary('b-private-answer'),
    ledgerNote: canary('ledger-note'),
    restorative: canary('restorative'),
    phaseReason: canary('phase-reason'),
    progressNote: canary('progress-note'),
    alertExcerpt: canary('b-alert-excerpt'),
    alertReason: canary('a-alert-reason'),
  };
  const { clinicId, caseId } = world;
  const counselor = world.counselor.member.membershipId;
  const a = world.partnerA.clientId;
  const b = world.partnerB.clientId;
  await unitOfWork.run(clinicId, async (tx: TenantTransaction) => {
    const q = (sql: string, values: unknown[]) => tx.query(sql, [clinicId, ...values]);
    await q(`update clinics set timezone = 'UTC' where id = $1`, []);
    await q(
      `update cases set title = $3, status = 'active', created_at = '2025-12-01T09:00:00Z' where clinic_id = $1 and id = $2`,
      [caseId, caseTitle],
    );
    await q(
      `insert into case_status_changes (clinic_id, id, case_id, to_status, changed_by_membership_id, changed_at)
       values ($1, $2, $3, 'active', $4, '2025-12-01T09:00:00Z')`,
      [randomUUID(), caseId, counselor],
    );
    // Phases.
    await q(`insert into repair_plans (clinic_id, case_id, phase, phase_changed_at) values ($1, $2, 'P2', $3)`, [
      caseId,
      at('2026-02-02T09:00:00Z'),
    ]);
    await q(
      `insert into repair_plan_phase_changes (clinic_id, id, case_id, from_phase, to_phase, reason, changed_at, changed_by_membership_id)
       values ($1, $2, $3, 'P0', 'P1', 'Synthetic reason', '2025-12-20T09:00:00Z', $5),
              ($1, $4, $3, 'P1', 'P2', $6, '2026-02-02T09:00:00Z', $5)`,
      [randomUUID(), caseId, randomUUID(), counselor, texts.phaseReason],
    );

    // Homework.
    const assignment = async (visibility: string, title: string) => {
      const id = randomUUID();
      await q(
        `insert into assignments (clinic_id, id, case_id, exercise_ref, exercise_version, exercise_title, exercise_snapshot,
                                  paired, visibility, schedule, created_by_membership_id, created_at)
         values ($1, $2, $3, 'E07', 1, $4, '{}', false, $5, '{"kind":"once","dueOn":"2026-01-07"}', $6, '2026-01-01T09:00:00Z')`,
        [id, caseId, title, visibility, counselor],
      );
      return id;
    };
    const occurrence = async (
      assignmentId: string,
      clientId: string,
      dueOn: string,
      submittedAt: string | null,
      answers: string,
      status = 'assigned',
    ) => {
      const id = randomUUID();
      await q(
        `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on, status,
                                             created_at)
         values ($1, $2, $3, $4, $5, $6, $6, $7, '2026-01-01T09:00:00Z')`,
        [id, assignmentId, caseId, clientId, dueOn, submittedAt === null ? status : 'completed'],
      );
      if (status === 'cancelled') {
        await q(
          `insert into assignment_status_changes (clinic_id, id, occurrence_id, from_status, to_status, changed_at)
           values ($1, $2, $3, 'assigned', 'cancelled', '2026-01-20T09:00:00Z')`,
          [randomUUID(), id],
        );
      }
      if (submittedAt !== null) {
        const submissionId = randomUUID();
        const sealed = await encryption.encrypt(
          tx,
          { table: 'submissions', rowId: submissionId, column: 'answers' },
          answers,
        );
        await q(
          `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, submitted_at,
                                    created_at)
           values ($1, $2, $3, $4, $5, 'submitted', $6, $7, $7)`,
          [submissionId, id, caseId, clientId, sealed, at(submittedAt)],
        );
      }
    };
    const aShared = await assignment('shared', 'Synthetic shared exercise A');
    const bShared = await assignment('shared', 'Synthetic shared exercise B');
    const bPrivate = await assignment('private', 'Synthetic private exercise B');
    for (let week = 0; week < 8; week += 1) {
      const wednesday = day('2026-01-07', 7 * week);
      const friday = day('2026-01-09', 7 * week);
      // A: weeks 1-7 submitted, week 3 a day late.
      await occurrence(
        aShared,
        a,
        wednesday,
        week === 7 ? null : week === 2 ? `${day(wednesday, 1)}T10:00:00Z` : `${wednesday}T18:00:00Z`,
        '{"note":"synthetic"}',
      );
      await occurrence(bShared, b, wednesday, [0, 1, 4].includes(week) ? `${wednesday}T19:00:00Z` : null, '{}');
      await occurrence(bPrivate, b, friday, `${friday}T08:00:00Z`, JSON.stringify({ text: texts.answers }));
    }
    await occurrence(aShared, a, '2026-01-29', null, '{}', 'cancelled');
    await occurrence(aShared, a, '2026-03-04', null, '{}');

    // Trust ledger.
    const commitmentA = randomUUID();
    const commitmentB = randomUUID();
    const entry = async (
      clientId: string,
      commitmentId: string,
      occurredOn: string,
      status: string,
      options: { note?: string; corrects?: string; recordedAt?: string } = {},
    ) => {
      const id = randomUUID();
      await q(
        `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status, occurred_on,
                                           note, corrects_check_in_id, recorded_by_membership_id, recorded_by_kind, recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'care_team', $11)`,
        [
          id,
          caseId,
          commitmentId,
          clientId,
          status,
          occurredOn,
          options.note ?? null,
          options.corrects ?? null,
          counselor,
          at(options.recordedAt ?? `${occurredOn}T20:00:00Z`),
        ],
      );
      return id;
    };
    const dispute = async (checkInId: string, responderClientId: string) =>
      q(
        `insert into commitment_check_in_responses (clinic_id, id, case_id, check_in_id, responder_client_id,
                                                    responded_by_membership_id, response, responded_at)
         values ($1, $2, $3, $4, $5, $6, 'disputed', '2026-02-01T10:00:00Z')`,
        [randomUUID(), caseId, checkInId, responderClientId, counselor],
      );
    const aEntries: string[] = [];
    const bEntries: string[] = [];
    for (let week = 0; week < 8; week += 1) {
      const tuesday = day('2026-01-06', 7 * week);
      const statuses = week < 4 ? ['kept', 'partly_kept', 'missed'] : ['kept', 'kept', 'kept'];
      for (const [index, offset] of [0, 2, 4].entries()) {
        aEntries.push(
          await entry(a, commitmentA, day(tuesday, offset), statuses[index], {
            note: week === 0 && index === 0 ? texts.ledgerNote : undefined,
          }),
        );
      }
      for (const offset of [0, 2]) bEntries.push(await entry(b, commitmentB, day(tuesday, offset), 'kept'));
    }
    const missed = await entry(b, commitmentB, '2026-01-10', 'missed');
    await entry(b, commitmentB, '2026-01-10', 'kept', { corrects: missed, recordedAt: '2026-01-11T09:00:00Z' });
    await entry(a, commitmentA, '2026-03-03', 'missed');
    await dispute(aEntries[0], b);
    await dispute(aEntries[1], b);
    await dispute(bEntries[0], a);

    // Boundary events.
    const boundary = async (occurredAt: string, severity: string, completedAt: string | null) =>
      q(
        `insert into boundary_events (clinic_id, id, case_id, boundary_id, occurred_at, severity, restorative_response,
                                      reported_by_membership_id, reported_by_kind, recorded_at, completed_at,
                                      completed_by_membership_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'care_team', $5, $9, $10)`,
        [
          randomUUID(),
          caseId,
          randomUUID(),
          at(occurredAt),
          severity,
          texts.restorative,
          counselor,
          completedAt === null ? null : at(completedAt),
          completedAt === null ? null : counselor,
        ],
      );
    await boundary('2025-12-30T10:00:00Z', 'low', null);
    await boundary('2026-01-20T10:00:00Z', 'moderate', '2026-01-22T10:00:00Z');
    await boundary('2026-02-10T12:00:00Z', 'high', null);

    // Measures (totals only: the report reads scores, never item answers).
    const administration = async (clientId: string, measureId: string, when: string, total: number) =>
      q(
        `insert into measure_administrations (clinic_id, id, case_id, client_id, measure_id, measure_version, status,
                                              answers, score, total, administered_at, recorded_by_membership_id,
                                              recorded_by_kind, created_at)
         values ($1, $2, $3, $4, $5, '1', 'completed', '{}', '{}', $6, $7, $8, 'care_team', $7)`,
        [randomUUID(), caseId, clientId, measureId, total, at(`${when}T10:00:00Z`), counselor],
      );
    await administration(a, 'phq-9', '2025-12-15', 16);
    await administration(a, 'phq-9', '2026-01-12', 13);
    await administration(a, 'phq-9', '2026-02-09', 9);
    await administration(a, 'csi-4', '2026-01-12', 10);
    await administration(a, 'csi-4', '2026-02-23', 12);
    await administration(b, 'gad-7', '2025-12-15', 8);
    await administration(b, 'gad-7', '2026-01-19', 11);
    await administration(b, 'gad-7', '2026-02-16', 14);
    await administration(b, 'csi-4', '2026-01-12', 18);
    await administration(b, 'csi-4', '2026-02-23', 17);

    // Sessions and notes.
    const session = async (startsAt: string, status: string, kind = 'joint', individual: string | null = null) => {
      const id = randomUUID();
      const starts = at(startsAt);
      await q(
        `insert into therapy_sessions (clinic_id, id, case_id, counselor_membership_id, kind, individual_client_id, modality,
                                       starts_at, ends_at, status, status_changed_at, created_by_membership_id, created_at)
         values ($1, $2, $3, $4, $5, $6, 'in_person', $7, $8, $9, $8, $4, '2026-01-01T09:00:00Z')`,
        [id, caseId, counselor, kind, individual, starts, new Date(starts.getTime() + 50 * 60_000), status],
      );
      return id;
    };
    const first = await session('2026-01-13T10:00:00Z', 'completed');
    await session('2026-01-27T10:00:00Z', 'completed');
    const third = await session('2026-02-10T10:00:00Z', 'completed');
    await session('2026-02-24T10:00:00Z', 'cancelled');
    await session('2026-02-03T10:00:00Z', 'completed', 'individual', b);
    const note = async (sessionId: string, body: string, signed: boolean) => {
      const id = randomUUID();
      const sealed = await encryption.encrypt(tx, { table: 'progress_notes', rowId: id, column: 'body' }, body);
      await q(
        `insert into progress_notes (clinic_id, id, case_id, session_id, author_membership_id, template, status, body,
                                     key_version, created_at, updated_at, signed_at)
         values ($1, $2, $3, $4, $5, 'free', $6, $7, $8, $9, $9, $10)`,
        [
          id,
          caseId,
          sessionId,
          counselor,
          signed ? 'signed' : 'draft',
          sealed,
          FieldEncryption.keyVersionOf(sealed),
          at('2026-01-13T12:00:00Z'),
          signed ? at('2026-01-13T12:30:00Z') : null,
        ],
      );
    };
    await note(first, JSON.stringify({ text: texts.progressNote }), true);
    await note(third, JSON.stringify({ text: texts.progressNote }), false);
    const psychotherapyId = randomUUID();
    const sealedPsychotherapy = await encryption.encrypt(
      tx,
      { table: 'psychotherapy_notes', rowId: psychotherapyId, column: 'body' },
      psychotherapy,
    );
    await q(
      `insert into psychotherapy_notes (clinic_id, id, case_id, session_id, author_membership_id, body, key_version)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        psychotherapyId,
        caseId,
        first,
        counselor,
        sealedPsychotherapy,
        FieldEncryption.keyVersionOf(sealedPsychotherapy),
      ],
    );

    // Safety alerts.
    const alert = async (input: {
      subject: string;
      tier: number;
      trigger: string;
      raisedAt: string;
      acknowledgedAt: string | null;
      excerpt?: string;
      reason?: string;
    }) => {
      const id = randomUUID();
      const excerpt =
        input.excerpt === undefined
          ? null
          : await encryption.encrypt(tx, { table: 'safety_alerts', rowId: id, column: 'excerpt' }, input.excerpt);
      const reason =
        input.reason === undefined
          ? null
          : await encryption.encrypt(tx, { table: 'safety_alerts', rowId: id, column: 'reason' }, input.reason);
      await q(
        `insert into safety_alerts (clinic_id, id, case_id, subject_client_id, tier, trigger, rule_ids, spans, excerpt,
                                    reason, status, raised_at, acknowledged_at, acknowledged_by_membership_id)
         values ($1, $2, $3, $4, $5, $6, '[]', '[]', $7, $8, $9, $10, $11, $12)`,
        [
          id,
          caseId,
          input.subject,
          input.tier,
          input.trigger,
          excerpt,
          reason,
          input.acknowledgedAt === null ? 'open' : 'acknowledged',
          at(input.raisedAt),
          input.acknowledgedAt === null ? null : at(input.acknowledgedAt),
          input.acknowledgedAt === null ? null : counselor,
        ],
      );
    };
    await alert({
      subject: a,
      tier: 1,
      trigger: 'manual',
      raisedAt: '2026-01-15T10:00:00Z',
      acknowledgedAt: '2026-01-15T10:30:00Z',
      reason: texts.alertReason,
    });
    await alert({
      subject: b,
      tier: 2,
      trigger: 'risk_scan',
      raisedAt: '2026-02-20T10:00:00Z',
      acknowledgedAt: null,
      excerpt: texts.alertExcerpt,
    });
  });
  return {
    caseTitle,
    canaries: { psychotherapy, clinicalText: Object.values(texts) },
    // B's symptom measure (GAD-7) and its scores' labels, B's safety alert's trigger.
    partnerBPrivate: ['GAD-7', 'gad-7', 'risk_scan', texts.answers, texts.alertExcerpt],
  };
}

/** Builds a report now, as the worker's `reports.build` job does (same builder, the app's unit of work and keys). */
export function reportBuilder(api: IdentityApp, options: ConstructorParameters<typeof ReportBuilder>[2] = {}) {
  return new ReportBuilder(api.app.get(UnitOfWork), api.app.get(FieldEncryption), options);
}

/** The text of a PDF as Debian's poppler-utils `pdftotext` extracts it (layout kept). */
export function pdfText(pdf: Buffer): string {
  const directory = mkdtempSync(join(tmpdir(), 'mend-report-'));
  try {
    const file = join(directory, 'report.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
