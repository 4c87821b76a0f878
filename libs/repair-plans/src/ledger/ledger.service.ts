import { assertSharedSpaceOpen, type CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';

import { findCommitment } from '../plans/plan.service.js';
import { auditCase, isParticipant, newId, participantToday, recorderKindOf, type LedgerClock } from './case-content.js';
import { summarizeLedger, type CommitmentLedgerSummary } from './ledger-summary.js';
import { checkInNotFound, isUniqueViolation, LedgerError, LedgerErrorCode } from './ledger.errors.js';
import type { CheckInResponseKind, CheckInStatus, LedgerRecorderKind } from './ledger.types.js';

export interface RecordCheckInInput {
  readonly commitmentId: string;
  readonly status: CheckInStatus;
  /** `YYYY-MM-DD`, the participant's local day. */
  readonly occurredOn: string;
  readonly note?: string | null;
  /** Required when the care team records on a participant's behalf; a participant may only name themselves. */
  readonly participantClientId?: string | null;
  readonly correctsCheckInId?: string | null;
}

export interface RespondInput {
  readonly response: CheckInResponseKind;
  readonly note?: string | null;
}

export interface CheckInResponseView {
  readonly id: string;
  readonly checkInId: string;
  readonly responderClientId: string;
  readonly respondedByMembershipId: string;
  readonly response: CheckInResponseKind;
  readonly note: string | null;
  readonly respondedAt: Date;
}

export interface CheckInView {
  readonly id: string;
  readonly caseId: string;
  readonly commitmentId: string;
  readonly participantClientId: string;
  readonly status: CheckInStatus;
  readonly occurredOn: string;
  readonly note: string | null;
  readonly correctsCheckInId: string | null;
  /** The entry that corrects this one (then this one no longer counts), if any. */
  readonly correctedByCheckInId: string | null;
  readonly recordedByMembershipId: string;
  readonly recordedByKind: LedgerRecorderKind;
  readonly recordedAt: Date;
  readonly responses: readonly CheckInResponseView[];
}

export interface LedgerFilter {
  readonly commitmentId?: string;
  readonly from?: string;
  readonly to?: string;
}

interface CheckInRow {
  id: string;
  case_id: string;
  commitment_id: string;
  participant_client_id: string;
  status: CheckInStatus;
  occurred_on: string;
  note: string | null;
  corrects_check_in_id: string | null;
  corrected_by: string | null;
  recorded_by_membership_id: string;
  recorded_by_kind: LedgerRecorderKind;
  recorded_at: Date;
}

interface ResponseRow {
  id: string;
  check_in_id: string;
  responder_client_id: string;
  responded_by_membership_id: string;
  response: CheckInResponseKind;
  note: string | null;
  responded_at: Date;
}

const CHECK_IN_COLUMNS = `c.id, c.case_id, c.commitment_id, c.participant_client_id, c.status, c.occurred_on::text as occurred_on,
  c.note, c.corrects_check_in_id,
  (select n.id from commitment_check_ins n where n.clinic_id = c.clinic_id and n.corrects_check_in_id = c.id) as corrected_by,
  c.recorded_by_membership_id, c.recorded_by_kind, c.recorded_at`;

function toView(row: CheckInRow, responses: readonly ResponseRow[]): CheckInView {
  return {
    id: row.id,
    caseId: row.case_id,
    commitmentId: row.commitment_id,
    participantClientId: row.participant_client_id,
    status: row.status,
    occurredOn: row.occurred_on,
    note: row.note,
    correctsCheckInId: row.corrects_check_in_id,
    correctedByCheckInId: row.corrected_by,
    recordedByMembershipId: row.recorded_by_membership_id,
    recordedByKind: row.recorded_by_kind,
    recordedAt: row.recorded_at,
    responses: responses.map((response) => ({
      id: response.id,
      checkInId: response.check_in_id,
      responderClientId: response.responder_client_id,
      respondedByMembershipId: response.responded_by_membership_id,
      response: response.response,
      note: response.note,
      respondedAt: response.responded_at,
    })),
  };
}

/**
 * The shared trust ledger of a case (PRODUCT.md CommitmentCheckIn; clinical.md
 * §4.5: self-reported and voluntary, no score about a person). Participants and
 * the care team see the whole ledger; a participant records about their own
 * commitments; the care team may record on a participant's behalf (in a
 * session), and the entry says so. Entries are never changed: a correction is a
 * new entry. While the case is on a safety hold, participants can neither read
 * nor write (the neutral `shared_space_paused`); the care team continues.
 * Callers have already passed the access policy (LedgerRead / LedgerRecord /
 * LedgerRespond) and hand over the resulting viewer.
 */
export class TrustLedger {
  constructor(private readonly clock: LedgerClock) {}

  async recordCheckIn(tx: TenantTransaction, viewer: CaseViewer, input: RecordCheckInInput): Promise<CheckInView> {
    assertSharedSpaceOpen(viewer);
    const kind = recorderKindOf(viewer);
    const subject = this.subjectOf(viewer, input.participantClientId ?? null);
    const today = await participantToday(tx, subject, this.clock.now());
    if (input.occurredOn > today) {
      throw new LedgerError(
        LedgerErrorCode.OccurredOnInFuture,
        422,
        "occurredOn must not be after today in the participant's timezone",
      );
    }
    const correctsCheckInId = input.correctsCheckInId ?? null;
    // A correction may concern a commitment since removed from the plan; a new entry needs a current one.
    const commitment = await findCommitment(tx, viewer.case.caseId, input.commitmentId, {
      includeRemoved: correctsCheckInId !== null,
    });
    if (
      commitment === null ||
      !commitment.participantClientIds.some((clientId) => clientId.toLowerCase() === subject.toLowerCase())
    ) {
      throw new LedgerError(
        LedgerErrorCode.UnknownCommitment,
        422,
        "commitmentId must name a commitment of this case's plan made by the participant",
      );
    }
    if (correctsCheckInId !== null) {
      const original = await this.findRow(tx, viewer.case.caseId, correctsCheckInId);
      if (original === null) throw checkInNotFound();
      if (
        original.commitment_id.toLowerCase() !== input.commitmentId.toLowerCase() ||
        original.participant_client_id.toLowerCase() !== subject.toLowerCase()
      ) {
        throw new LedgerError(
          LedgerErrorCode.CorrectionMismatch,
          422,
          'A correction is about the same commitment and participant as the entry it corrects',
        );
      }
      if (original.corrected_by !== null) throw alreadyCorrected();
    }
    const id = newId();
    try {
      await tx.query(
        `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status,
                                           occurred_on, note, corrects_check_in_id, recorded_by_membership_id,
                                           recorded_by_kind, recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          tx.clinicId,
          id,
          viewer.case.caseId,
          input.commitmentId,
          subject,
          input.status,
          input.occurredOn,
          input.note ?? null,
          correctsCheckInId,
          viewer.principal.membershipId,
          kind,
          this.clock.now(),
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error, 'commitment_check_ins_one_correction_idx')) throw alreadyCorrected();
      throw error;
    }
    await auditCase(
      tx,
      viewer,
      'ledger.check_in.record',
      { type: 'commitment_check_in', id },
      {
        commitmentId: input.commitmentId,
        participantClientId: subject,
        status: input.status,
        recordedByKind: kind,
        correctsCheckInId,
        hasNote: typeof input.note === 'string',
      },
    );
    return (await this.get(tx, viewer.case.caseId, id)) as CheckInView;
  }

  async respond(
    tx: TenantTransaction,
    viewer: CaseViewer,
    checkInId: string,
    input: RespondInput,
  ): Promise<CheckInView> {
    assertSharedSpaceOpen(viewer);
    if (viewer.kind !== 'participant') throw new Error('Only a participant confirms or disputes a check-in');
    const original = await this.findRow(tx, viewer.case.caseId, checkInId);
    if (original === null) throw checkInNotFound();
    if (original.participant_client_id.toLowerCase() === viewer.clientId.toLowerCase()) {
      throw new LedgerError(
        LedgerErrorCode.OwnCheckIn,
        422,
        'A check-in is confirmed or disputed by another participant, not the one it is about',
      );
    }
    if (original.corrected_by !== null) {
      throw new LedgerError(
        LedgerErrorCode.CheckInSuperseded,
        422,
        'This check-in was corrected: respond to the correcting entry',
      );
    }
    const id = newId();
    try {
      await tx.query(
        `insert into commitment_check_in_responses (clinic_id, id, case_id, check_in_id, responder_client_id,
                                                    responded_by_membership_id, response, note, responded_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          tx.clinicId,
          id,
          viewer.case.caseId,
          original.id,
          viewer.clientId,
          viewer.principal.membershipId,
          input.response,
          input.note ?? null,
          this.clock.now(),
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error, 'commitment_check_in_responses_once_idx')) throw alreadyResponded();
      throw error;
    }
    await auditCase(
      tx,
      viewer,
      'ledger.check_in.respond',
      { type: 'commitment_check_in', id: original.id },
      { responseId: id, response: input.response, hasNote: typeof input.note === 'string' },
    );
    return (await this.get(tx, viewer.case.caseId, original.id)) as CheckInView;
  }

  /** Every entry (corrected ones included, marked), oldest first by occurred-on date, with the responses. */
  async list(tx: TenantTransaction, viewer: CaseViewer, filter: LedgerFilter = {}): Promise<CheckInView[]> {
    assertSharedSpaceOpen(viewer);
    const views = await this.load(tx, viewer.case.caseId, filter);
    await auditCase(tx, viewer, 'ledger.read', { type: 'case', id: viewer.case.caseId }, { entries: views.length });
    return views;
  }

  async summary(
    tx: TenantTransaction,
    viewer: CaseViewer,
    filter: LedgerFilter = {},
  ): Promise<CommitmentLedgerSummary[]> {
    assertSharedSpaceOpen(viewer);
    const views = await this.load(tx, viewer.case.caseId, filter);
    // The latest entry of each correction chain (the chains are judged on the whole ledger, not the date range).
    const latest = views.filter((view) => view.correctedByCheckInId === null);
    const summary = summarizeLedger(
      latest.map((view) => ({
        id: view.id,
        commitmentId: view.commitmentId,
        participantClientId: view.participantClientId,
        status: view.status,
        occurredOn: view.occurredOn,
        recordedAt: view.recordedAt,
        correctsCheckInId: view.correctsCheckInId,
        disputed: view.responses.some((response) => response.response === 'disputed'),
      })),
    );
    await auditCase(
      tx,
      viewer,
      'ledger.summary.read',
      { type: 'case', id: viewer.case.caseId },
      { entries: views.length },
    );
    return summary;
  }

  private subjectOf(viewer: CaseViewer, named: string | null): string {
    if (viewer.kind === 'participant') {
      if (named !== null && named.toLowerCase() !== viewer.clientId.toLowerCase()) {
        throw new LedgerError(
          LedgerErrorCode.CheckInNotOwn,
          422,
          'A participant records check-ins about their own commitments only (participantClientId)',
        );
      }
      return viewer.clientId;
    }
    if (named === null) {
      throw new LedgerError(
        LedgerErrorCode.ParticipantRequired,
        422,
        'participantClientId is required when the care team records a check-in',
      );
    }
    if (!isParticipant(viewer, named)) {
      throw new LedgerError(
        LedgerErrorCode.NotAParticipant,
        422,
        'participantClientId is not a participant of this case',
      );
    }
    return named.toLowerCase();
  }

  private async findRow(tx: TenantTransaction, caseId: string, checkInId: string): Promise<CheckInRow | null> {
    const rows = await tx.query<CheckInRow>(
      `select ${CHECK_IN_COLUMNS} from commitment_check_ins c where c.clinic_id = $1 and c.case_id = $2 and c.id = $3`,
      [tx.clinicId, caseId, checkInId],
    );
    return rows[0] ?? null;
  }

  private async get(tx: TenantTransaction, caseId: string, checkInId: string): Promise<CheckInView | null> {
    const row = await this.findRow(tx, caseId, checkInId);
    if (row === null) return null;
    const responses = await tx.query<ResponseRow>(
      `select id, check_in_id, responder_client_id, responded_by_membership_id, response, note, responded_at
         from commitment_check_in_responses where clinic_id = $1 and check_in_id = $2 order by responded_at, id`,
      [tx.clinicId, checkInId],
    );
    return toView(row, responses);
  }

  private async load(tx: TenantTransaction, caseId: string, filter: LedgerFilter): Promise<CheckInView[]> {
    const rows = await tx.query<CheckInRow>(
      `select ${CHECK_IN_COLUMNS} from commitment_check_ins c
        where c.clinic_id = $1 and c.case_id = $2
          and ($3::uuid is null or c.commitment_id = $3::uuid)
          and ($4::date is null or c.occurred_on >= $4::date)
          and ($5::date is null or c.occurred_on <= $5::date)
        order by c.occurred_on, c.recorded_at, c.id`,
      [tx.clinicId, caseId, filter.commitmentId ?? null, filter.from ?? null, filter.to ?? null],
    );
    const responses = await tx.query<ResponseRow>(
      `select id, check_in_id, responder_client_id, responded_by_membership_id, response, note, responded_at
         from commitment_check_in_responses where clinic_id = $1 and case_id = $2 order by responded_at, id`,
      [tx.clinicId, caseId],
    );
    const byCheckIn = new Map<string, ResponseRow[]>();
    for (const response of responses) {
      const list = byCheckIn.get(response.check_in_id) ?? [];
      list.push(response);
      byCheckIn.set(response.check_in_id, list);
    }
    return rows.map((row) => toView(row, byCheckIn.get(row.id) ?? []));
  }
}

function alreadyCorrected(): LedgerError {
  return new LedgerError(
    LedgerErrorCode.CheckInAlreadyCorrected,
    409,
    'This check-in was already corrected: correct the latest entry of its chain',
  );
}

function alreadyResponded(): LedgerError {
  return new LedgerError(LedgerErrorCode.AlreadyResponded, 409, 'You already responded to this check-in');
}
