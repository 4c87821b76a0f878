/**
 * Words for the counselor workspace: the phase spine, visibilities, audiences and
 * seed concepts (clinical.md §0.1, §1.5, §2.1), and small formatting helpers.
 * Values come from the API (typed by the OpenAPI document); only their labels live here.
 */
import type { Schemas } from '../api/types';

export type Phase = NonNullable<Schemas['CaseResponse']['phase']>;
export type Visibility = Schemas['AssignmentResponse']['visibility'];
export type Audience = Schemas['ExerciseSummaryResponse']['audience'];
export type SeedConcept = Schemas['ExerciseSummaryResponse']['seedConcepts'][number];
export type CaseStatus = Schemas['CaseResponse']['status'];
export type OccurrenceStatus = Schemas['OccurrenceResponse']['status'];

export const PHASES: readonly Phase[] = ['P0', 'P1', 'P2', 'P3', 'P4'];

export const PHASE_LABELS: Record<Phase, string> = {
  P0: 'P0 · Intake & safety',
  P1: 'P1 · Stabilise & atone',
  P2: 'P2 · Understand & attune',
  P3: 'P3 · Rebuild, decide & attach',
  P4: 'P4 · Maintain',
};

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  intake: 'Intake',
  active: 'Active',
  on_hold: 'On hold',
  closed: 'Closed',
};

export const VISIBILITIES: readonly Visibility[] = ['private', 'clinician', 'release', 'reveal', 'shared'];

export const VISIBILITY_LABELS: Record<Visibility, { readonly name: string; readonly description: string }> = {
  private: { name: 'Private', description: 'Only the author sees the answers (you learn only of a risk-scan match).' },
  clinician: { name: 'Clinician', description: 'The author and the care team.' },
  release: {
    name: 'Release',
    description:
      'The author and the care team; the author may release it to the partner (optionally after your review).',
  },
  reveal: {
    name: 'Reveal',
    description: 'Both partners see both answers only once both have submitted. Paired assignments only.',
  },
  shared: { name: 'Shared', description: 'Every participant and the care team.' },
};

export const AUDIENCES: readonly Audience[] = ['harmed', 'harming', 'each', 'together', 'individual'];

export const AUDIENCE_LABELS: Record<Audience, string> = {
  harmed: 'The hurt partner',
  harming: 'The partner who caused harm',
  each: 'Each partner, separately',
  together: 'Both partners, jointly',
  individual: 'One person',
};

export const SEED_CONCEPT_LABELS: Record<SeedConcept, string> = {
  S01: 'Honest assessment of what happened',
  S02: 'Acknowledging impact without minimising',
  S03: 'Boundaries, needs and consequences',
  S04: 'Emotional regulation and grounding',
  S05: 'Self-compassion',
  S06: 'Check-in rituals',
  S07: 'Pausing when overwhelmed',
  S08: 'Accountability with specifics',
  S09: 'Visible, consistent action',
  S10: 'I-statements, not blame',
  S11: 'Active listening',
  S12: 'Small reliable acts',
  S13: 'A practical plan for change',
  S14: 'Progress as a shared reference',
  S15: 'Internal healing and journaling',
  S16: 'Personal boundaries and autonomy',
  S17: 'Self-care',
  S18: 'Empathy and compassionate curiosity',
  S19: 'Reciprocal accountability',
  S20: 'Redefining the relationship structure',
  S21: 'Gradual exposure to vulnerability',
  S22: 'Contingency plans for slip-ups',
  S23: 'Revisiting agreements',
  S24: 'Time, consistency and shared meaning',
  S25: 'Conversation boundaries',
  S26: 'Restorative responses to violations',
  S27: 'Readiness assessment',
};

export const SEED_CONCEPTS = Object.keys(SEED_CONCEPT_LABELS) as SeedConcept[];

export const OCCURRENCE_STATUS_LABELS: Record<OccurrenceStatus, string> = {
  assigned: 'Assigned',
  in_progress: 'In progress',
  completed: 'Completed',
  overdue: 'Overdue',
  cancelled: 'Cancelled',
};

export const OUTCOME_LABELS: Record<NonNullable<Schemas['ReadinessResponse']['outcome']>, string> = {
  continue: 'Continue: deepen the repair',
  redefine: 'Redefine the relationship',
  end: 'End the relationship respectfully',
};

export const CHECK_IN_LABELS: Record<Schemas['CheckInResponse']['status'], string> = {
  kept: 'Kept',
  partly_kept: 'Partly kept',
  missed: 'Missed',
};

export const SEVERITY_LABELS: Record<Schemas['BoundaryEventResponse']['severity'], string> = {
  low: 'Low',
  moderate: 'Moderate',
  high: 'High',
};

export const DISCLOSURE_MODE_LABELS: Record<Schemas['DisclosureResponse']['mode'], string> = {
  released_by_author: 'Released by the author',
  shared_by_care_team: 'Shared by the care team',
};

export const CADENCE_LABELS: Record<Schemas['CommitmentDto']['cadence'], string> = {
  daily: 'Daily',
  several_times_a_week: 'Several times a week',
  weekly: 'Weekly',
  fortnightly: 'Fortnightly',
  monthly: 'Monthly',
  as_agreed: 'As agreed',
};

export const BREACH_ASPECT_LABELS: Record<Schemas['BreachAssessmentItemDto']['aspect'], string> = {
  what_happened: 'What happened',
  who_was_affected: 'Who was affected',
  why_it_mattered: 'Why it mattered',
  lasting_change: 'What lasting change looks like',
};

export const GOAL_STATUS_LABELS: Record<Schemas['GoalDto']['status'], string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  achieved: 'Achieved',
  on_hold: 'On hold',
  discontinued: 'Discontinued',
};

export const OBJECTIVE_STATUS_LABELS: Record<Schemas['ObjectiveDto']['status'], string> = {
  open: 'Open',
  met: 'Met',
  not_met: 'Not met',
};

/** "3 May 2026" for a `YYYY-MM-DD` local day (no timezone shift). */
export function formatDay(day: string | null | undefined): string {
  if (day === null || day === undefined || day === '') return '—';
  const [year, month, date] = day.split('-').map(Number);
  if (year === undefined || month === undefined || date === undefined) return day;
  return new Date(Date.UTC(year, month - 1, date)).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** "3 May 2026, 18:05" in the browser's timezone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  return new Date(iso).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Today as `YYYY-MM-DD` in the browser's timezone. */
export function todayLocal(offsetDays = 0): string {
  const now = new Date();
  now.setDate(now.getDate() + offsetDays);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "1 item" / "3 items". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A percentage for a 0..1 rate, or "—". */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 100)}%`;
}
