/** Names of the case domain (PRODUCT.md, Domain), shared with the web app. */

export const CLIENT_STATUSES = ['active', 'archived'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/** Channels a client may prefer for reminders (SMS would join behind the same interface). */
export const REMINDER_CHANNELS = ['email', 'in_app'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];

export const CASE_TYPES = ['couple', 'family', 'individual', 'friendship', 'other'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATUSES = ['intake', 'active', 'on_hold', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A readiness outcome; a case closed with `redefine` or `end` ended well, not badly. */
export const CASE_OUTCOMES = ['continue', 'redefine', 'end'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** A participant's role in the breach (`mutual`: both hurt and were hurt). */
export const PARTICIPANT_ROLES = ['harmed', 'harming', 'mutual', 'individual'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Default display labels; a clinic may configure its own (clinics.participant_role_labels). */
export const DEFAULT_PARTICIPANT_ROLE_LABELS: Readonly<Record<ParticipantRole, string>> = {
  harmed: 'Hurt partner',
  harming: 'Involved partner',
  mutual: 'Both hurt and hurting',
  individual: 'Individual client',
};

export const SAFETY_STATUSES = ['normal', 'safety_hold'] as const;
export type SafetyStatus = (typeof SAFETY_STATUSES)[number];

export const SECRETS_POLICY_KINDS = ['no_secrets', 'limited_secrets', 'custom'] as const;
export type SecretsPolicyKind = (typeof SECRETS_POLICY_KINDS)[number];

/** The repair-plan phase spine (clinical.md §1.5); cases move freely in both directions. */
export const PLAN_PHASES = ['P0', 'P1', 'P2', 'P3', 'P4'] as const;
export type PlanPhase = (typeof PLAN_PHASES)[number];

/**
 * Who may see an item a participant writes (PRODUCT.md, Who sees what):
 * `private` author only; `clinician` author + care team; `release` like
 * clinician until the author releases it; `reveal` like clinician until both
 * partners of a pair submitted; `shared` every participant and the care team.
 */
export const VISIBILITIES = ['private', 'clinician', 'release', 'reveal', 'shared'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Plan parts whose visibility the counselor sets per item. */
export const PLAN_ITEM_VISIBILITIES = ['shared', 'clinician'] as const;
export type PlanItemVisibility = (typeof PLAN_ITEM_VISIBILITIES)[number];
