import { randomUUID } from 'node:crypto';

import type { AccessPrincipal, CaseViewer } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { DomainError, enqueueJob, type FieldEncryption, type TenantTransaction } from '@mend/core';

import type { SafetySettingsService } from './safety-settings.js';

export type SafetyTier = 1 | 2 | 3;
export type SafetyTrigger =
  'measure' | 'risk_scan' | 'check_in' | 'manual' | 'reliable_deterioration' | 'couple_distress' | 'boundary_breaches';

/** Where a risk-scan match lies: the field, the rule and UTF-16 offsets (never the text). */
export interface AlertSpan {
  readonly field: string;
  readonly ruleId: string;
  readonly start: number;
  readonly end: number;
}

export interface RaiseAlertInput {
  readonly caseId: string;
  /** The client the alert is about (null: the case as a whole). */
  readonly subjectClientId: string | null;
  readonly tier: SafetyTier;
  readonly trigger: SafetyTrigger;
  readonly ruleIds: readonly string[];
  readonly source?: { readonly type: string; readonly id: string } | null;
  readonly spans?: readonly AlertSpan[];
  /** Clinical text (the matched sentence): encrypted, shown only in the care team's alert detail. */
  readonly excerpt?: string | null;
  /** Clinical text (a counselor's reason for a manual alert): encrypted, detail only. */
  readonly reason?: string | null;
  readonly raisedByMembershipId?: string | null;
  /** Makes raising idempotent (a retried job raises the alert once). */
  readonly dedupeKey?: string | null;
}

export interface SafetyAlertSummary {
  readonly id: string;
  readonly caseId: string;
  readonly subjectClientId: string | null;
  readonly tier: SafetyTier;
  readonly trigger: SafetyTrigger;
  readonly ruleIds: readonly string[];
  readonly sourceType: string | null;
  readonly sourceId: string | null;
  /** Tier 1 and 2 suggest a safety hold to the counselor; nothing is automatic. */
  readonly suggestSafetyHold: boolean;
  readonly status: 'open' | 'acknowledged';
  readonly raisedAt: Date;
  readonly raisedByMembershipId: string | null;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedByMembershipId: string | null;
  readonly escalationDueAt: Date | null;
  readonly escalatedAt: Date | null;
  readonly escalatedToMembershipId: string | null;
}

export interface SafetyAlertDetail extends SafetyAlertSummary {
  readonly spans: readonly AlertSpan[];
  readonly excerpt: string | null;
  readonly reason: string | null;
}

/** Delivers alert notices (the worker composes it with the in-app NotificationCenter). */
export interface SafetyNotifier {
  notify(
    tx: TenantTransaction,
    input: {
      readonly recipientMembershipId: string;
      readonly kind: 'urgent' | 'review' | 'escalation';
      readonly caseId: string;
      readonly alertId: string;
    },
  ): Promise<void>;
}

export interface SafetyClock {
  now(): Date;
}

export const SYSTEM_SAFETY_CLOCK: SafetyClock = { now: () => new Date() };

export class SafetyAlertNotFoundError extends DomainError {
  constructor() {
    super('not_found', 404, 'No such safety alert');
    this.name = 'SafetyAlertNotFoundError';
  }
}

interface Row {
  id: string;
  case_id: string;
  subject_client_id: string | null;
  tier: number;
  trigger: SafetyTrigger;
  rule_ids: string[];
  source_type: string | null;
  source_id: string | null;
  spans: AlertSpan[];
  excerpt: string | null;
  reason: string | null;
  suggest_safety_hold: boolean;
  status: 'open' | 'acknowledged';
  raised_at: Date;
  raised_by_membership_id: string | null;
  acknowledged_at: Date | null;
  acknowledged_by_membership_id: string | null;
  escalation_due_at: Date | null;
  escalated_at: Date | null;
  escalated_to_membership_id: string | null;
}

const summaryOf = (row: Row): SafetyAlertSummary => ({
  id: row.id,
  caseId: row.case_id,
  subjectClientId: row.subject_client_id,
  tier: row.tier as SafetyTier,
  trigger: row.trigger,
  ruleIds: row.rule_ids,
  sourceType: row.source_type,
  sourceId: row.source_id,
  suggestSafetyHold: row.suggest_safety_hold,
  status: row.status,
  raisedAt: row.raised_at,
  raisedByMembershipId: row.raised_by_membership_id,
  acknowledgedAt: row.acknowledged_at,
  acknowledgedByMembershipId: row.acknowledged_by_membership_id,
  escalationDueAt: row.escalation_due_at,
  escalatedAt: row.escalated_at,
  escalatedToMembershipId: row.escalated_to_membership_id,
});

const location = (id: string, column: 'excerpt' | 'reason') => ({ table: 'safety_alerts', rowId: id, column });

/**
 * Safety alerts (clinical.md §4.3; PRODUCT.md SafetyAlert). Raising writes the alert and,
 * in the same transaction, a `safety.alert-raised` job (the outbox: the alert and its
 * delivery commit together) on the highest-priority `safety` queue; a tier-1 alert also
 * schedules its `safety.escalate` job at the clinic's escalation delay. Every step is
 * audited with ids, tiers and rule ids only: never the matched text.
 */
export class SafetyAlerts {
  constructor(
    private readonly encryption: FieldEncryption,
    private readonly settings: SafetySettingsService,
    private readonly clock: SafetyClock = SYSTEM_SAFETY_CLOCK,
  ) {}

  async raise(
    tx: TenantTransaction,
    input: RaiseAlertInput,
  ): Promise<{ id: string; created: boolean; tier: SafetyTier }> {
    if (input.dedupeKey) {
      // Raising one signal takes turns (until commit): a second raise of the same key at once (the worker's scan
      // of a submission and a retry of it) finds the first alert rather than failing on the dedupe index.
      await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `mend.safety-alert:${tx.clinicId}:${input.dedupeKey}`,
      ]);
      const existing = await tx.query<{ id: string; tier: number }>(
        'select id, tier from safety_alerts where clinic_id = $1 and dedupe_key = $2',
        [tx.clinicId, input.dedupeKey],
      );
      if (existing[0] !== undefined)
        return { id: existing[0].id, created: false, tier: existing[0].tier as SafetyTier };
    }
    const id = randomUUID();
    const now = this.clock.now();
    const settings = await this.settings.get(tx);
    const escalationDueAt =
      input.tier === 1 ? new Date(now.getTime() + settings.escalationDelayMinutes * 60_000) : null;
    const excerpt = input.excerpt ? await this.encryption.encrypt(tx, location(id, 'excerpt'), input.excerpt) : null;
    const reason = input.reason ? await this.encryption.encrypt(tx, location(id, 'reason'), input.reason) : null;
    await tx.query(
      `insert into safety_alerts (clinic_id, id, case_id, subject_client_id, tier, trigger, rule_ids, source_type, source_id,
          spans, excerpt, reason, suggest_safety_hold, raised_at, raised_by_membership_id, escalation_due_at, dedupe_key)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        tx.clinicId,
        id,
        input.caseId,
        input.subjectClientId,
        input.tier,
        input.trigger,
        JSON.stringify(input.ruleIds),
        input.source?.type ?? null,
        input.source?.id ?? null,
        JSON.stringify(input.spans ?? []),
        excerpt,
        reason,
        input.tier <= 2,
        now,
        input.raisedByMembershipId ?? null,
        escalationDueAt,
        input.dedupeKey ?? null,
      ],
    );
    await recordAudit(tx, {
      action: 'safety_alert.raise',
      targetType: 'safety_alert',
      targetId: id,
      ...(input.raisedByMembershipId ? { actorMembershipId: input.raisedByMembershipId } : {}),
      metadata: { caseId: input.caseId, tier: input.tier, trigger: input.trigger, rules: input.ruleIds.slice(0, 20) },
    });
    await enqueueJob(tx, 'safety.alert-raised', { alertId: id });
    if (escalationDueAt !== null)
      await enqueueJob(tx, 'safety.escalate', { alertId: id }, { availableAt: escalationDueAt });
    return { id, created: true, tier: input.tier };
  }

  async list(tx: TenantTransaction, caseId: string): Promise<SafetyAlertSummary[]> {
    const rows = await tx.query<Row>(
      `select * from safety_alerts where clinic_id = $1 and case_id = $2 order by (status = 'open') desc, tier, raised_at desc`,
      [tx.clinicId, caseId],
    );
    return rows.map(summaryOf);
  }

  /** The caller's caseload: alerts of cases they are on the care team of, supervise, or were escalated to them. */
  async listForMember(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    options: { readonly status?: 'open' | 'acknowledged'; readonly limit: number },
  ): Promise<SafetyAlertSummary[]> {
    const rows = await tx.query<Row>(
      // Starts from the caller's cases (care team, or a supervisee's) and the alerts escalated to them,
      // both indexed, rather than reading the clinic's alerts and testing each one.
      `select a.* from safety_alerts a
        where a.clinic_id = $1
          and ($3::text is null or a.status = $3)
          and a.id in (
            select x.id from case_care_team t
              join safety_alerts x on x.clinic_id = t.clinic_id and x.case_id = t.case_id
             where t.clinic_id = $1
               and t.membership_id in (select $2::uuid
                                       union
                                       select s.counselor_membership_id from supervision_links s
                                        where s.clinic_id = $1 and s.supervisor_membership_id = $2)
            union all
            select x.id from safety_alerts x where x.clinic_id = $1 and x.escalated_to_membership_id = $2)
        order by (a.status = 'open') desc, a.tier, a.raised_at desc
        limit $4`,
      [tx.clinicId, principal.membershipId, options.status ?? null, options.limit],
    );
    return rows.map(summaryOf);
  }

  /** The care team's detail, with the matched sentence decrypted; the read is audited. */
  async detail(tx: TenantTransaction, viewer: CaseViewer, alertId: string): Promise<SafetyAlertDetail> {
    const row = await this.row(tx, viewer.case.caseId, alertId);
    await recordAudit(tx, {
      action: 'safety_alert.read',
      targetType: 'safety_alert',
      targetId: alertId,
      actorUserId: viewer.principal.userId,
      actorMembershipId: viewer.principal.membershipId,
      metadata: { caseId: viewer.case.caseId, excerpt: row.excerpt !== null },
    });
    return {
      ...summaryOf(row),
      spans: row.spans,
      excerpt: await this.encryption.decryptNullable(tx, location(alertId, 'excerpt'), row.excerpt),
      reason: await this.encryption.decryptNullable(tx, location(alertId, 'reason'), row.reason),
    };
  }

  /** Acknowledged once; a second acknowledgement answers the alert as it is (idempotent). */
  async acknowledge(tx: TenantTransaction, viewer: CaseViewer, alertId: string): Promise<SafetyAlertSummary> {
    const row = await this.row(tx, viewer.case.caseId, alertId);
    // The update's own row decides who acknowledged: of two members acknowledging at once, the
    // second waits for the first's commit, then finds the alert no longer open and changes nothing
    // (both answered with the first's acknowledgement; one audit row).
    const acknowledged =
      row.status === 'open' &&
      (
        await tx.query<{ id: string }>(
          `update safety_alerts set status = 'acknowledged', acknowledged_at = $3, acknowledged_by_membership_id = $4
            where clinic_id = $1 and id = $2 and status = 'open'
           returning id`,
          [tx.clinicId, alertId, this.clock.now(), viewer.principal.membershipId],
        )
      ).length > 0;
    if (acknowledged) {
      await recordAudit(tx, {
        action: 'safety_alert.acknowledge',
        targetType: 'safety_alert',
        targetId: alertId,
        actorUserId: viewer.principal.userId,
        actorMembershipId: viewer.principal.membershipId,
        metadata: { caseId: viewer.case.caseId, tier: row.tier },
      });
    }
    return summaryOf(await this.row(tx, viewer.case.caseId, alertId));
  }

  /** Tells every care-team member (content-free); idempotent per recipient. */
  async deliver(tx: TenantTransaction, alertId: string, notifier: SafetyNotifier): Promise<number> {
    const rows = await tx.query<Row>('select * from safety_alerts where clinic_id = $1 and id = $2', [
      tx.clinicId,
      alertId,
    ]);
    const alert = rows[0];
    if (alert === undefined) return 0;
    const team = await tx.query<{ membership_id: string }>(
      `select t.membership_id from case_care_team t
         join memberships m on m.clinic_id = t.clinic_id and m.id = t.membership_id and m.status = 'active'
        where t.clinic_id = $1 and t.case_id = $2
          and not exists (select 1 from notifications n where n.clinic_id = t.clinic_id and n.recipient_membership_id = t.membership_id
                            and n.subject_type = 'safety_alert' and n.subject_id = $3 and n.kind <> 'safety.escalation')
        order by t.membership_id`,
      [tx.clinicId, alert.case_id, alertId],
    );
    for (const member of team) {
      await notifier.notify(tx, {
        recipientMembershipId: member.membership_id,
        kind: alert.tier === 1 ? 'urgent' : 'review',
        caseId: alert.case_id,
        alertId,
      });
    }
    await recordAudit(tx, {
      action: 'safety_alert.deliver',
      targetType: 'safety_alert',
      targetId: alertId,
      metadata: { caseId: alert.case_id, tier: alert.tier, recipients: team.length },
    });
    return team.length;
  }

  /**
   * Escalates a tier-1 alert still open at its escalation time (`now` from the clock, so
   * tests use a fake one): to the clinic's escalation contact, or, with none set, to the
   * clinic admins. Returns whom it was escalated to (empty: nothing to do).
   */
  async escalateIfDue(tx: TenantTransaction, alertId: string, notifier: SafetyNotifier): Promise<string[]> {
    const rows = await tx.query<Row>('select * from safety_alerts where clinic_id = $1 and id = $2 for update', [
      tx.clinicId,
      alertId,
    ]);
    const alert = rows[0];
    const now = this.clock.now();
    if (
      alert === undefined ||
      alert.status !== 'open' ||
      alert.escalated_at !== null ||
      alert.escalation_due_at === null ||
      alert.escalation_due_at.getTime() > now.getTime()
    )
      return [];
    const settings = await this.settings.get(tx);
    const recipients =
      settings.escalationMembershipId !== null
        ? [settings.escalationMembershipId]
        : (
            await tx.query<{ id: string }>(
              `select id from memberships where clinic_id = $1 and status = 'active' and 'clinic_admin' = any(roles) order by id`,
              [tx.clinicId],
            )
          ).map((row) => row.id);
    await tx.query(
      'update safety_alerts set escalated_at = $3, escalated_to_membership_id = $4 where clinic_id = $1 and id = $2',
      [tx.clinicId, alertId, now, recipients[0] ?? null],
    );
    for (const recipient of recipients)
      await notifier.notify(tx, {
        recipientMembershipId: recipient,
        kind: 'escalation',
        caseId: alert.case_id,
        alertId,
      });
    await recordAudit(tx, {
      action: 'safety_alert.escalate',
      targetType: 'safety_alert',
      targetId: alertId,
      metadata: {
        caseId: alert.case_id,
        recipients: recipients.length,
        contact: settings.escalationMembershipId !== null ? 'escalation_contact' : 'clinic_admins',
      },
    });
    return recipients;
  }

  private async row(tx: TenantTransaction, caseId: string, alertId: string): Promise<Row> {
    const rows = await tx.query<Row>('select * from safety_alerts where clinic_id = $1 and case_id = $2 and id = $3', [
      tx.clinicId,
      caseId,
      alertId,
    ]);
    if (rows[0] === undefined) throw new SafetyAlertNotFoundError();
    return rows[0];
  }
}
