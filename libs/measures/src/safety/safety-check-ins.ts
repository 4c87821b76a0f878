import { randomUUID } from 'node:crypto';

import type { CaseViewer } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { DomainError, type FieldEncryption, type TenantTransaction } from '@mend/core';
import type { PhaseChangeView, PlanPhaseListener } from '@mend/repair-plans';

import { clientSafetyResponse, type ClientSafetyResponse } from './client-safety-response.js';
import { raiseRiskScanAlert } from './risk-scan-alerts.js';
import type { SafetyAlerts, SafetyClock, SafetyTier } from './safety-alerts.js';
import type { CheckInQuestion, SafetySettingsService } from './safety-settings.js';

export class SafetyCheckInNotFoundError extends DomainError {
  constructor() {
    super('not_found', 404, 'No such safety check-in');
    this.name = 'SafetyCheckInNotFoundError';
  }
}

export class SafetyCheckInError extends DomainError {
  constructor(code: string, detail: string, errors?: { field: string; rule: string; message: string }[]) {
    super(code, 422, detail, errors);
    this.name = 'SafetyCheckInError';
  }
}

export interface SafetyCheckInView {
  readonly id: string;
  readonly caseId: string;
  readonly clientId: string;
  readonly status: 'offered' | 'completed';
  readonly questions: readonly CheckInQuestion[];
  readonly answers: Record<string, boolean> | null;
  readonly openText: string | null;
  readonly offeredAt: Date;
  readonly completedAt: Date | null;
}

interface Row {
  id: string;
  case_id: string;
  client_id: string;
  status: 'offered' | 'completed';
  questions: CheckInQuestion[];
  answers: Record<string, boolean> | null;
  open_text: string | null;
  offered_at: Date;
  completed_at: Date | null;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const openTextLocation = (id: string) => ({ table: 'safety_check_ins', rowId: id, column: 'open_text' });

/**
 * The private, per-partner safety check-in (issue 6 item 6; clinical.md §4.1 "universal,
 * separate screening"): offered by the care team to one participant, answered only on
 * that participant's own account, never visible to the other partner (404, and it is not
 * a shared feature, so a safety hold does not pause it). Any "yes" raises a tier-2 alert;
 * the open text is risk-scanned (a tier-1 match raises tier 1).
 */
export class SafetyCheckIns {
  constructor(
    private readonly encryption: FieldEncryption,
    private readonly settings: SafetySettingsService,
    private readonly alerts: SafetyAlerts,
    private readonly clock: SafetyClock,
  ) {}

  async offer(tx: TenantTransaction, viewer: CaseViewer, clientId: string): Promise<SafetyCheckInView> {
    if (!viewer.case.participants.some((participant) => same(participant.clientId, clientId)))
      throw new SafetyCheckInError('not_a_participant', 'The client is not a participant of this case', [
        { field: 'clientId', rule: 'not_a_participant', message: 'must be a participant of this case' },
      ]);
    const { checkInQuestions } = await this.settings.get(tx);
    const id = randomUUID();
    await tx.query(
      `insert into safety_check_ins (clinic_id, id, case_id, client_id, questions, offered_at, offered_by_membership_id)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        tx.clinicId,
        id,
        viewer.case.caseId,
        clientId,
        JSON.stringify(checkInQuestions),
        this.clock.now(),
        viewer.principal.membershipId,
      ],
    );
    await this.audit(tx, viewer, 'safety_check_in.offer', id);
    return this.view(tx, await this.row(tx, viewer, id));
  }

  /**
   * Re-screening at a phase transition (clinical.md §4: re-screen at phase transitions
   * and discovery events): offers each participant of the case a new check-in, unless
   * one of theirs is still open (offered, not answered). Offered in the name of the
   * care-team member who changed the phase; audited with the phase change id. Returns
   * the check-ins offered.
   */
  async reofferAtPhaseTransition(
    tx: TenantTransaction,
    viewer: CaseViewer,
    phaseChangeId: string,
  ): Promise<SafetyCheckInView[]> {
    // Serialises with another re-offer of the same case (two phase changes lock the plan already).
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `safety-check-in-offer:${tx.clinicId}:${viewer.case.caseId.toLowerCase()}`,
    ]);
    const open = await tx.query<{ client_id: string }>(
      `select distinct client_id from safety_check_ins where clinic_id = $1 and case_id = $2 and status = 'offered'`,
      [tx.clinicId, viewer.case.caseId],
    );
    const { checkInQuestions } = await this.settings.get(tx);
    const offered: SafetyCheckInView[] = [];
    for (const participant of viewer.case.participants) {
      if (open.some((row) => same(row.client_id, participant.clientId))) continue;
      const id = randomUUID();
      await tx.query(
        `insert into safety_check_ins (clinic_id, id, case_id, client_id, questions, offered_at, offered_by_membership_id)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [
          tx.clinicId,
          id,
          viewer.case.caseId,
          participant.clientId,
          JSON.stringify(checkInQuestions),
          this.clock.now(),
          viewer.principal.membershipId,
        ],
      );
      await recordAudit(tx, {
        action: 'safety_check_in.offer',
        targetType: 'safety_check_in',
        targetId: id,
        actorUserId: viewer.principal.userId,
        actorMembershipId: viewer.principal.membershipId,
        metadata: { caseId: viewer.case.caseId, occasion: 'phase_transition', phaseChangeId },
      });
      offered.push(await this.view(tx, await this.row(tx, viewer, id)));
    }
    return offered;
  }

  async list(tx: TenantTransaction, viewer: CaseViewer): Promise<SafetyCheckInView[]> {
    const rows = await tx.query<Row>(
      `select * from safety_check_ins where clinic_id = $1 and case_id = $2 and ($3::uuid is null or client_id = $3)
        order by offered_at, id`,
      [tx.clinicId, viewer.case.caseId, viewer.kind === 'participant' ? viewer.clientId : null],
    );
    await this.audit(tx, viewer, 'safety_check_in.list', viewer.case.caseId);
    return Promise.all(rows.map((row) => this.view(tx, row)));
  }

  async respond(
    tx: TenantTransaction,
    viewer: CaseViewer,
    id: string,
    input: { answers: Record<string, boolean>; openText: string | null },
  ): Promise<{ checkIn: SafetyCheckInView; safety: ClientSafetyResponse | null }> {
    const row = await this.row(tx, viewer, id);
    if (row.status !== 'offered')
      throw new SafetyCheckInError('safety_check_in_completed', 'This check-in was already answered');
    const problems: { field: string; rule: string; message: string }[] = [];
    const yesNo = row.questions.filter((question) => question.kind === 'yes_no');
    for (const question of yesNo)
      if (typeof input.answers[question.id] !== 'boolean')
        problems.push({
          field: `answers.${question.id}`,
          rule: 'missing',
          message: 'must be answered yes (true) or no (false)',
        });
    for (const key of Object.keys(input.answers))
      if (!yesNo.some((question) => question.id === key))
        problems.push({
          field: `answers.${key}`,
          rule: 'unknown-item',
          message: 'is not a yes/no question of this check-in',
        });
    if (problems.length > 0)
      throw new SafetyCheckInError('safety_check_in_answers_invalid', 'The answers do not fit this check-in', problems);
    const openText = input.openText?.trim()
      ? await this.encryption.encrypt(tx, openTextLocation(id), input.openText)
      : null;
    // The status read above took no lock: of answers sent at once all read `offered`, and the later updates wait
    // for the first, then match nothing. They are refused, as after completion: answered 201 they raised alerts
    // for answers never stored (and, two at once, raced on the alerts' dedupe key: 500).
    const completed = await tx.query<{ id: string }>(
      `update safety_check_ins set status = 'completed', answers = $3, open_text = $4, completed_at = $5
        where clinic_id = $1 and id = $2 and status = 'offered'
        returning id`,
      [tx.clinicId, id, JSON.stringify(input.answers), openText, this.clock.now()],
    );
    if (completed.length === 0)
      throw new SafetyCheckInError('safety_check_in_completed', 'This check-in was already answered');
    await this.audit(tx, viewer, 'safety_check_in.respond', id);
    const yes = yesNo.filter((question) => input.answers[question.id] === true).map((question) => question.id);
    let tier: SafetyTier | null = null;
    if (input.openText?.trim()) {
      const scanned = await raiseRiskScanAlert(tx, this.alerts, {
        caseId: row.case_id,
        clientId: row.client_id,
        source: { type: 'safety_check_in', id },
        fields: [{ field: 'openText', text: input.openText }],
      });
      tier = scanned.highestTier;
    }
    if (yes.length > 0) {
      await this.alerts.raise(tx, {
        caseId: row.case_id,
        subjectClientId: row.client_id,
        tier: 2,
        trigger: 'check_in',
        ruleIds: yes.map((questionId) => `check-in-yes:${questionId}`),
        source: { type: 'safety_check_in', id },
        dedupeKey: `safety_check_in:${id}`,
      });
      tier = tier === null ? 2 : (Math.min(tier, 2) as SafetyTier);
    }
    const safety = await clientSafetyResponse(tx, this.settings, row.client_id, tier);
    return { checkIn: await this.view(tx, await this.row(tx, viewer, id)), safety };
  }

  private async view(tx: TenantTransaction, row: Row): Promise<SafetyCheckInView> {
    return {
      id: row.id,
      caseId: row.case_id,
      clientId: row.client_id,
      status: row.status,
      questions: row.questions,
      answers: row.answers,
      openText: await this.encryption.decryptNullable(tx, openTextLocation(row.id), row.open_text),
      offeredAt: row.offered_at,
      completedAt: row.completed_at,
    };
  }

  /** A participant reaches only their own check-ins: another's is 404 like a missing one. */
  private async row(tx: TenantTransaction, viewer: CaseViewer, id: string): Promise<Row> {
    const rows = await tx.query<Row>(
      'select * from safety_check_ins where clinic_id = $1 and case_id = $2 and id = $3',
      [tx.clinicId, viewer.case.caseId, id],
    );
    const row = rows[0];
    if (row === undefined || (viewer.kind === 'participant' && !same(row.client_id, viewer.clientId)))
      throw new SafetyCheckInNotFoundError();
    return row;
  }

  private async audit(tx: TenantTransaction, viewer: CaseViewer, action: string, targetId: string) {
    await recordAudit(tx, {
      action,
      targetType: 'safety_check_in',
      targetId,
      actorUserId: viewer.principal.userId,
      actorMembershipId: viewer.principal.membershipId,
      metadata: { caseId: viewer.case.caseId },
    });
  }
}

/** Wired as the repair plan's phase listener (@mend/repair-plans is below this library): re-offers the check-in. */
export class SafetyCheckInReoffer implements PlanPhaseListener {
  constructor(private readonly checkIns: SafetyCheckIns) {}

  async phaseChanged(tx: TenantTransaction, viewer: CaseViewer, change: PhaseChangeView): Promise<void> {
    await this.checkIns.reofferAtPhaseTransition(tx, viewer, change.id);
  }
}
