import type { AccessPrincipal } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { DomainError, type FieldProblem, type TenantTransaction } from '@mend/core';

import {
  BUILT_IN_CRISIS_RESOURCES,
  countryOfTimezone,
  type CrisisResource,
  type CrisisResourceList,
} from './crisis-resources.js';

export interface CheckInQuestion {
  readonly id: string;
  readonly text: string;
  readonly kind: 'yes_no' | 'open_text';
}

/**
 * Mend's own safety check-in (issue 6 item 6): not a validated instrument (short IPV
 * screens have unclear licences, clinical.md §3.1), written as plain disclosure items.
 * Any "yes" raises a tier-2 alert; the open text is risk-scanned.
 */
export const DEFAULT_CHECK_IN_QUESTIONS: readonly CheckInQuestion[] = [
  { id: 'afraid', text: 'In the past few weeks, have you felt afraid of your partner?', kind: 'yes_no' },
  { id: 'hurt', text: 'Has your partner hurt you physically, or threatened to hurt you?', kind: 'yes_no' },
  {
    id: 'forced',
    text: 'Has your partner pressured or forced you into anything you did not want to do?',
    kind: 'yes_no',
  },
  {
    id: 'monitored',
    text: 'Does your partner check your phone, messages or whereabouts, or keep you from seeing people, in a way that worries you?',
    kind: 'yes_no',
  },
  { id: 'unsafe_to_speak', text: 'Is there anything you feel unsafe saying in a joint session?', kind: 'yes_no' },
  {
    id: 'anything_else',
    text: 'Is there anything else about your safety you would like your counselor to know? (Only your counselor sees this.)',
    kind: 'open_text',
  },
];

/** Safe bounds: thresholds may be made more sensitive than the clinical.md defaults, never less. */
export const SAFETY_SETTING_BOUNDS = {
  escalationDelayMinutes: { min: 5, max: 240 },
  phq9Item9Tier1Min: { min: 1, max: 2 },
  phq9TotalTier2Min: { min: 10, max: 20 },
  boundaryBreachCount: { min: 2, max: 5 },
  boundaryBreachWindowDays: { min: 7, max: 30 },
} as const;

export interface SafetySettings {
  readonly escalationMembershipId: string | null;
  readonly escalationDelayMinutes: number;
  readonly phq9Item9Tier1Min: number;
  readonly phq9TotalTier2Min: number;
  readonly boundaryBreachCount: number;
  readonly boundaryBreachWindowDays: number;
  readonly defaultCountry: string;
  readonly checkInQuestions: readonly CheckInQuestion[];
  readonly checkInQuestionsAreDefault: boolean;
}

export type SafetySettingsUpdate = Partial<Omit<SafetySettings, 'checkInQuestions' | 'checkInQuestionsAreDefault'>> & {
  readonly checkInQuestions?: readonly CheckInQuestion[] | null;
};

export const DEFAULT_SAFETY_SETTINGS: SafetySettings = {
  escalationMembershipId: null,
  escalationDelayMinutes: 30,
  phq9Item9Tier1Min: 2,
  phq9TotalTier2Min: 20,
  boundaryBreachCount: 3,
  boundaryBreachWindowDays: 14,
  defaultCountry: 'US',
  checkInQuestions: DEFAULT_CHECK_IN_QUESTIONS,
  checkInQuestionsAreDefault: true,
};

export class SafetySettingsError extends DomainError {
  constructor(detail: string, errors: readonly FieldProblem[]) {
    super('safety_settings_invalid', 422, detail, errors);
    this.name = 'SafetySettingsError';
  }
}

interface Row {
  escalation_membership_id: string | null;
  escalation_delay_minutes: number;
  phq9_item9_tier1_min: number;
  phq9_total_tier2_min: number;
  boundary_breach_count: number;
  boundary_breach_window_days: number;
  default_country: string;
  check_in_questions: CheckInQuestion[] | null;
}

/** The clinic's safety settings (issue 6 item 8) and crisis resources. */
export class SafetySettingsService {
  async get(tx: TenantTransaction): Promise<SafetySettings> {
    const rows = await tx.query<Row>('select * from clinic_safety_settings where clinic_id = $1', [tx.clinicId]);
    const row = rows[0];
    if (row === undefined) return DEFAULT_SAFETY_SETTINGS;
    return {
      escalationMembershipId: row.escalation_membership_id,
      escalationDelayMinutes: row.escalation_delay_minutes,
      phq9Item9Tier1Min: row.phq9_item9_tier1_min,
      phq9TotalTier2Min: row.phq9_total_tier2_min,
      boundaryBreachCount: row.boundary_breach_count,
      boundaryBreachWindowDays: row.boundary_breach_window_days,
      defaultCountry: row.default_country,
      checkInQuestions: row.check_in_questions ?? DEFAULT_CHECK_IN_QUESTIONS,
      checkInQuestionsAreDefault: row.check_in_questions === null,
    };
  }

  async update(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    input: SafetySettingsUpdate,
  ): Promise<SafetySettings> {
    const problems: FieldProblem[] = [];
    for (const [field, bounds] of Object.entries(SAFETY_SETTING_BOUNDS)) {
      const value = (input as Record<string, unknown>)[field];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max)
        problems.push({
          field,
          rule: 'safe-bounds',
          message: `must be an integer from ${bounds.min} to ${bounds.max}`,
        });
    }
    if (input.escalationMembershipId !== undefined && input.escalationMembershipId !== null) {
      const staff = await tx.query<{ id: string }>(
        `select id from memberships where clinic_id = $1 and id = $2 and status = 'active'
            and roles && array['clinic_admin', 'supervisor', 'counselor']::text[]`,
        [tx.clinicId, input.escalationMembershipId],
      );
      if (staff.length === 0)
        problems.push({
          field: 'escalationMembershipId',
          rule: 'staff-member',
          message: 'must be an active staff member of the clinic',
        });
    }
    if (problems.length > 0) throw new SafetySettingsError('Settings outside the allowed range: see errors', problems);
    const current = await this.get(tx);
    const next = { ...current, ...input };
    const questions =
      input.checkInQuestions === undefined
        ? current.checkInQuestionsAreDefault
          ? null
          : current.checkInQuestions
        : input.checkInQuestions;
    await tx.query(
      `insert into clinic_safety_settings (clinic_id, escalation_membership_id, escalation_delay_minutes, phq9_item9_tier1_min,
          phq9_total_tier2_min, boundary_breach_count, boundary_breach_window_days, default_country, check_in_questions,
          updated_by_membership_id, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
       on conflict (clinic_id) do update set escalation_membership_id = excluded.escalation_membership_id,
          escalation_delay_minutes = excluded.escalation_delay_minutes, phq9_item9_tier1_min = excluded.phq9_item9_tier1_min,
          phq9_total_tier2_min = excluded.phq9_total_tier2_min, boundary_breach_count = excluded.boundary_breach_count,
          boundary_breach_window_days = excluded.boundary_breach_window_days, default_country = excluded.default_country,
          check_in_questions = excluded.check_in_questions, updated_by_membership_id = excluded.updated_by_membership_id,
          updated_at = now()`,
      [
        tx.clinicId,
        next.escalationMembershipId,
        next.escalationDelayMinutes,
        next.phq9Item9Tier1Min,
        next.phq9TotalTier2Min,
        next.boundaryBreachCount,
        next.boundaryBreachWindowDays,
        next.defaultCountry,
        questions === null ? null : JSON.stringify(questions),
        principal.membershipId,
      ],
    );
    await recordAudit(tx, {
      action: 'safety_settings.update',
      targetType: 'clinic',
      targetId: tx.clinicId,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { fields: Object.keys(input).slice(0, 20) },
    });
    return this.get(tx);
  }

  async crisisResources(tx: TenantTransaction, country: string): Promise<CrisisResourceList> {
    const rows = await tx.query<{ resources: CrisisResource[]; verified_at: Date | null }>(
      'select resources, verified_at from clinic_crisis_resources where clinic_id = $1 and country = $2',
      [tx.clinicId, country],
    );
    if (rows[0] !== undefined)
      return {
        country,
        resources: rows[0].resources,
        needsLocalVerification: rows[0].verified_at === null,
        source: 'clinic',
        verifiedAt: rows[0].verified_at?.toISOString() ?? null,
      };
    return {
      country,
      resources: BUILT_IN_CRISIS_RESOURCES[country] ?? [],
      needsLocalVerification: true,
      source: 'built_in',
      verifiedAt: null,
    };
  }

  async setCrisisResources(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    country: string,
    resources: readonly CrisisResource[],
    verified: boolean,
  ): Promise<CrisisResourceList> {
    await tx.query(
      `insert into clinic_crisis_resources (clinic_id, country, resources, verified_at, updated_by_membership_id, updated_at)
       values ($1, $2, $3, case when $4 then now() end, $5, now())
       on conflict (clinic_id, country) do update set resources = excluded.resources, verified_at = excluded.verified_at,
          updated_by_membership_id = excluded.updated_by_membership_id, updated_at = now()`,
      [tx.clinicId, country, JSON.stringify(resources), verified, principal.membershipId],
    );
    await recordAudit(tx, {
      action: 'crisis_resources.update',
      targetType: 'clinic',
      targetId: tx.clinicId,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { country, resources: resources.length, verified },
    });
    return this.crisisResources(tx, country);
  }

  /** The resources a client is shown: their country (from their timezone) or the clinic's default. */
  async crisisResourcesForClient(tx: TenantTransaction, clientId: string): Promise<CrisisResourceList> {
    const settings = await this.get(tx);
    const rows = await tx.query<{ timezone: string }>('select timezone from clients where clinic_id = $1 and id = $2', [
      tx.clinicId,
      clientId,
    ]);
    return this.crisisResources(tx, countryOfTimezone(rows[0]?.timezone ?? null, settings.defaultCountry));
  }
}
