/**
 * The fields of each progress-note template as the editor shows them (clinical.md
 * §5.1; the server's rules are libs/sessions/src/notes/note-templates.ts): their
 * label, kind and whether signing needs them.
 */
import type { NoteTemplate } from './clinical-queries';

export type NoteFieldKind = 'text' | 'time' | 'cpt' | 'attendees' | 'client' | 'risk_screen' | 'text_list';

export interface NoteField {
  readonly name: string;
  readonly label: string;
  readonly kind: NoteFieldKind;
  readonly required?: boolean;
  readonly hint?: string;
}

const text = (name: string, label: string, required = true, hint?: string): NoteField => ({
  name,
  label,
  kind: 'text',
  required,
  hint,
});

export const NOTE_FIELDS: Record<NoteTemplate, readonly NoteField[]> = {
  soap: [
    text('subjective', 'Subjective', true, 'What the clients reported, in their words where it matters.'),
    text('objective', 'Objective', true, 'What you observed; measures and their scores.'),
    text('assessment', 'Assessment'),
    text('plan', 'Plan'),
  ],
  dap: [text('data', 'Data'), text('assessment', 'Assessment'), text('plan', 'Plan')],
  birp: [
    text('behavior', 'Behavior'),
    text('intervention', 'Intervention'),
    text('response', 'Response'),
    text('plan', 'Plan'),
  ],
  couple: [
    { name: 'startTime', label: 'Start time', kind: 'time' },
    { name: 'stopTime', label: 'Stop time', kind: 'time' },
    { name: 'cptCode', label: 'CPT code', kind: 'cpt' },
    { name: 'attendees', label: 'Attendees', kind: 'attendees', required: true },
    { name: 'identifiedPatientClientId', label: 'Identified patient', kind: 'client' },
    text('targetProblems', 'Target problems', false),
    {
      name: 'riskScreen',
      label: 'Risk screen (each attendee, asked individually)',
      kind: 'risk_screen',
      required: true,
    },
    { name: 'interventions', label: 'Interventions (one per line)', kind: 'text_list' },
    text('response', 'Response', false),
    text('plan', 'Plan'),
    text('nextSession', 'Next session', false),
  ],
  free: [text('text', 'Note')],
};

export const CPT_CODES = [
  { value: '90847', label: '90847 · family/couple psychotherapy with patient present' },
  { value: '90846', label: '90846 · family/couple psychotherapy without patient present' },
  { value: '90834', label: '90834 · psychotherapy, 45 minutes' },
  { value: '90837', label: '90837 · psychotherapy, 60 minutes' },
] as const;

export const RISK_LEVELS = [
  { value: 'not_assessed', label: 'Not assessed' },
  { value: 'none', label: 'None' },
  { value: 'low', label: 'Low' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'high', label: 'High' },
] as const;

export type RiskLevel = (typeof RISK_LEVELS)[number]['value'];

export interface RiskScreenEntry {
  clientId: string;
  askedIndividually: boolean;
  suicidalIdeation: RiskLevel;
  homicidalIdeation: RiskLevel;
  intimatePartnerViolence: RiskLevel;
}

/** Text fields of a template (what an amendment may change in the editor). */
export function amendableFields(template: NoteTemplate): readonly NoteField[] {
  return NOTE_FIELDS[template].filter((field) => field.kind === 'text' || field.kind === 'time');
}

/** A body without empty values (a draft may leave anything out; the server refuses empty times). */
export function compactBody(body: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    const list = Array.isArray(value)
      ? value.filter((entry: unknown) => typeof entry !== 'string' || entry.trim() !== '')
      : undefined;
    if (list !== undefined && list.length === 0) continue;
    result[name] = list ?? value;
  }
  return result;
}

/** A field's value as text for reading a note. */
export function displayValue(
  field: NoteField,
  value: unknown,
  clientName: (clientId: string | null | undefined) => string,
): string {
  if (value === undefined || value === null || value === '') return 'Not filled in';
  const text = (item: unknown): string => (typeof item === 'string' || typeof item === 'number' ? String(item) : '');
  const list = Array.isArray(value) ? (value as unknown[]) : [];
  switch (field.kind) {
    case 'attendees':
      return list.map((id) => clientName(text(id))).join(', ');
    case 'client':
      return clientName(text(value));
    case 'text_list':
      return list.map(text).join('; ');
    case 'cpt':
      return CPT_CODES.find((code) => code.value === value)?.label ?? text(value);
    case 'risk_screen':
      return (list as RiskScreenEntry[])
        .map(
          (entry) =>
            `${clientName(entry.clientId)}: ${entry.askedIndividually ? 'asked individually' : 'not asked individually'}; suicidal ideation ${label(entry.suicidalIdeation)}, homicidal ideation ${label(entry.homicidalIdeation)}, intimate partner violence ${label(entry.intimatePartnerViolence)}`,
        )
        .join(' · ');
    case 'text':
    case 'time':
      return text(value);
  }
}

function label(level: RiskLevel): string {
  return (RISK_LEVELS.find((entry) => entry.value === level)?.label ?? level).toLowerCase();
}

/**
 * What keeps a body from being signed, checked in the browser by the server's rules
 * (libs/sessions/src/notes/note-templates.ts signingProblems): required fields, and in a
 * couple note every attendee screened, asked individually. Keyed by field name.
 */
export function signingProblems(template: NoteTemplate, body: Record<string, unknown>): Record<string, string> {
  const problems: Record<string, string> = {};
  const compact = compactBody(body);
  for (const field of NOTE_FIELDS[template]) {
    if (field.required === true && compact[field.name] === undefined) problems[field.name] = 'is required to sign';
  }
  if (template === 'couple' && Object.keys(problems).length === 0) {
    const attendees = compact.attendees as string[];
    const screened = (compact.riskScreen as RiskScreenEntry[]).filter((entry) => entry.askedIndividually);
    if (!attendees.every((id) => screened.some((entry) => entry.clientId.toLowerCase() === id.toLowerCase())))
      problems.riskScreen = 'every attendee is screened, asked individually';
  }
  return problems;
}
