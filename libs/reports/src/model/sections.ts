import { AUDIENCES_OF_KIND, type ReportAudience, type ReportKind } from './report.types.js';

/**
 * REDACTION BY AUDIENCE, in one table. For every kind and audience: which
 * sections the report holds and, for those it does not, why. The generator
 * reads only the data of the included sections (a section left out is never
 * queried), and the rules of the favourable patterns and lingering concerns
 * run on the redacted model, so no sentence can rest on redacted numbers. The
 * preview endpoint answers this table.
 *
 * Never, for any audience: psychotherapy notes (not read by this library at
 * all), progress-note text, homework answers, the matched text of a safety
 * alert, ledger notes, the safety hold's reason.
 */
export interface SectionRule {
  readonly id: string;
  readonly title: string;
  readonly included: boolean;
  /** What the section holds for this audience, or why it is left out. */
  readonly note: string;
}

type SectionTable = Readonly<Record<string, readonly SectionRule[]>>;

const on = (id: string, title: string, note: string): SectionRule => ({ id, title, included: true, note });
const off = (id: string, title: string, note: string): SectionRule => ({ id, title, included: false, note });

const CASE_SECTIONS: SectionTable = {
  care_team: [
    on('summary', 'Period and case summary', 'Case title, type, status, phase at the end of the period, participants.'),
    on('phase_timeline', 'Phase timeline', 'Phases P0-P4 with their dates (reasons stay in the plan history).'),
    on(
      'homework',
      'Homework',
      'Assigned, completed and on time per participant per ISO week (statuses only, no answers).',
    ),
    on(
      'ledger',
      'Trust ledger',
      'Kept / partly kept / missed per participant per week, current and longest run kept (no notes).',
    ),
    on('boundary_events', 'Boundary events', 'Date, severity and whether the restorative response was completed.'),
    on(
      'measures',
      'Outcome measures',
      'Every participant, every measure: baseline to latest, cutoff band, reliable-change labels; partners side by side, never averaged.',
    ),
    on('sessions', 'Sessions', 'Counts by status in the period (no note text).'),
    on(
      'safety_alerts',
      'Safety alerts',
      'Alerts open at the end of the period: date, tier, trigger, participant (no matched text).',
    ),
    on(
      'patterns',
      'Favourable patterns and lingering concerns',
      'Sentences from the documented rules, each with the numbers behind it.',
    ),
    on('narrative', "Counselor's narrative", 'The text the counselor wrote for this report, if any.'),
  ],
};

const SUMMARY_SECTIONS: SectionTable = {
  couple: [
    on(
      'summary',
      'Period and case summary',
      'Case type, status, phase at the end of the period, participants (no case title).',
    ),
    on('phase_timeline', 'Phase timeline', 'Phases and their dates (the phase is part of the shared plan).'),
    on(
      'homework',
      'Homework',
      "Each partner's completion of homework neither partner keeps private (visibility shared, reveal or release); private and clinician-only work is left out.",
    ),
    on('ledger', 'Trust ledger', 'The shared ledger: kept / partly kept / missed per partner per week (no notes).'),
    on(
      'boundary_events',
      'Boundary events',
      'Date, severity and whether the restorative response was completed (shared with both).',
    ),
    off(
      'measures',
      'Outcome measures',
      "Left out: a partner's symptom scores are never shown to the other, and relationship scores only with consent the case does not record.",
    ),
    on('sessions', 'Sessions', 'Joint sessions completed in the period (individual sessions are left out).'),
    off('safety_alerts', 'Safety alerts', "Left out: safety items are the care team's."),
    on(
      'patterns',
      'Favourable patterns and lingering concerns',
      'Sentences from the documented rules, on the numbers above only.',
    ),
    on('narrative', "Counselor's narrative", 'The text the counselor wrote for the couple, if any.'),
  ],
  partner: [
    on(
      'summary',
      'Period and case summary',
      'Case type, status, phase at the end of the period; the participant it is for.',
    ),
    on('phase_timeline', 'Phase timeline', 'Phases and their dates (the phase is part of the shared plan).'),
    on(
      'homework',
      'Homework',
      "This participant's own homework only (every visibility: it is their own work); nothing of the other partner's.",
    ),
    on('ledger', 'Trust ledger', 'The shared ledger: kept / partly kept / missed per participant per week (no notes).'),
    on(
      'boundary_events',
      'Boundary events',
      'Date, severity and whether the restorative response was completed (shared with both).',
    ),
    on('measures', 'Outcome measures', "This participant's own measures only; never the other partner's."),
    on('sessions', 'Sessions', 'Joint sessions completed in the period (individual sessions are left out).'),
    off('safety_alerts', 'Safety alerts', "Left out: safety items are the care team's."),
    on(
      'patterns',
      'Favourable patterns and lingering concerns',
      'Sentences from the documented rules, on the numbers above only.',
    ),
    on('narrative', "Counselor's narrative", 'The text the counselor wrote for this participant, if any.'),
  ],
};

const CASELOAD_SECTIONS: SectionTable = {
  counselor: [
    on('summary', 'Period and counselor', 'The counselor and the period.'),
    on('totals', 'Caseload totals', 'Cases, homework completion, open alerts, unsigned notes, boundary events.'),
    on(
      'cases',
      'Cases',
      'One row per case: phase, homework completion, ledger consistency, boundary events, open alerts, unsigned notes, reliable improvements and deteriorations (counts only, no clinical text).',
    ),
    on(
      'patterns',
      'Favourable patterns and lingering concerns',
      'Sentences from the documented rules, each with the numbers behind it.',
    ),
  ],
};

const CLINIC_COMMON = (breakdown: string): readonly SectionRule[] => [
  on('summary', 'Period', 'The clinic and the period.'),
  on(
    'cases',
    'Active cases by phase',
    'Counts of cases active at the end of the period by phase, on safety hold, opened and closed.',
  ),
  on('homework', 'Homework completion', 'Assigned, completed and on time across the clinic (counts and rates).'),
  on(
    'measures',
    'Reliable change per measure',
    'Share of clients with reliable improvement and deterioration per measure (counts and shares; no scores of anyone).',
  ),
  on(
    'alerts',
    'Safety alerts and response times',
    'Alerts raised by tier, acknowledged, open at the end, median and 90th-percentile minutes to acknowledge.',
  ),
  on('notes', 'Notes', 'Unsigned progress notes at the end of the period and notes signed in it (counts only).'),
  on('sessions', 'Sessions', 'Counts by status.'),
  on('counselors', 'Per-counselor breakdown', breakdown),
  off(
    'clinical_text',
    'Clinical text and client names',
    'Never in a clinic report: counts, rates, shares and response times only.',
  ),
];

const CLINIC_SECTIONS: SectionTable = {
  clinic: CLINIC_COMMON(
    'Every counselor of the clinic by name: active cases, homework completion, alert response, unsigned notes.',
  ),
  supervisor: CLINIC_COMMON(
    'The counselors the requesting supervisor supervises, by name; clinic-wide figures above stay aggregate.',
  ),
};

const TABLES: Readonly<Record<ReportKind, SectionTable>> = {
  case: CASE_SECTIONS,
  client_summary: SUMMARY_SECTIONS,
  caseload: CASELOAD_SECTIONS,
  clinic: CLINIC_SECTIONS,
};

export function isAudienceOf(kind: ReportKind, audience: ReportAudience): boolean {
  return AUDIENCES_OF_KIND[kind].includes(audience);
}

/** Every section of the kind with whether this audience receives it (throws for an audience the kind has not). */
export function sectionsFor(kind: ReportKind, audience: ReportAudience): readonly SectionRule[] {
  const sections = TABLES[kind][audience];
  if (sections === undefined) throw new Error(`A ${kind} report has no audience ${audience}`);
  return sections;
}

/** The ids of the sections this audience receives, in order. */
export function includedSections(kind: ReportKind, audience: ReportAudience): readonly string[] {
  return sectionsFor(kind, audience)
    .filter((section) => section.included)
    .map((section) => section.id);
}
