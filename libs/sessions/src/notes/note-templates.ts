import type { FieldProblem } from '@mend/core';
import type { ReliableChangeLabel } from '@mend/measures';

/**
 * Progress note templates (clinical.md §5.1) and the validation of a note body.
 * A body is JSON: the template's fields, every one optional while a draft;
 * signing needs the template's required fields. Unknown fields are refused.
 */
export const NOTE_TEMPLATES = ['soap', 'dap', 'birp', 'couple', 'free'] as const;
export type NoteTemplate = (typeof NOTE_TEMPLATES)[number];

export const NOTE_STATUSES = ['draft', 'signed'] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

export const NOTE_TEXT_MAX = 20_000;
const LIST_MAX = 50;

export const CPT_CODES = ['90847', '90846', '90834', '90837'] as const;
export const RISK_LEVELS = ['none', 'low', 'moderate', 'high', 'not_assessed'] as const;
export const RCI_LABELS: readonly ReliableChangeLabel[] = [
  'reliable improvement',
  'reliable deterioration',
  'no reliable change',
  'recovered',
];

/** Risk screen of one attendee: suicidal ideation, homicidal ideation, intimate partner violence — asked individually. */
export interface RiskScreenEntry {
  readonly clientId: string;
  readonly askedIndividually: boolean;
  readonly suicidalIdeation: (typeof RISK_LEVELS)[number];
  readonly homicidalIdeation: (typeof RISK_LEVELS)[number];
  readonly intimatePartnerViolence: (typeof RISK_LEVELS)[number];
}

/** A measure administered, with its score and reliable-change label (ids link loosely to the measures records). */
export interface MeasureEntry {
  readonly administrationId?: string;
  readonly instrument: string;
  readonly clientId: string;
  readonly score: number;
  readonly rciLabel?: ReliableChangeLabel | null;
}

export type NoteBody = Readonly<Record<string, unknown>>;

type FieldKind =
  | { readonly type: 'text' }
  | { readonly type: 'time' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'uuid' }
  | { readonly type: 'uuid_list' }
  | { readonly type: 'text_list' }
  | { readonly type: 'risk_screen' }
  | { readonly type: 'measures' };

interface FieldSpec {
  readonly kind: FieldKind;
  /** Needed to sign. */
  readonly required?: boolean;
}

const TEXT: FieldSpec = { kind: { type: 'text' } };
const REQUIRED_TEXT: FieldSpec = { kind: { type: 'text' }, required: true };

export const TEMPLATE_FIELDS: Readonly<Record<NoteTemplate, Readonly<Record<string, FieldSpec>>>> = {
  soap: { subjective: REQUIRED_TEXT, objective: REQUIRED_TEXT, assessment: REQUIRED_TEXT, plan: REQUIRED_TEXT },
  dap: { data: REQUIRED_TEXT, assessment: REQUIRED_TEXT, plan: REQUIRED_TEXT },
  birp: { behavior: REQUIRED_TEXT, intervention: REQUIRED_TEXT, response: REQUIRED_TEXT, plan: REQUIRED_TEXT },
  couple: {
    startTime: { kind: { type: 'time' } },
    stopTime: { kind: { type: 'time' } },
    cptCode: { kind: { type: 'enum', values: CPT_CODES } },
    attendees: { kind: { type: 'uuid_list' }, required: true },
    identifiedPatientClientId: { kind: { type: 'uuid' } },
    targetProblems: TEXT,
    riskScreen: { kind: { type: 'risk_screen' }, required: true },
    measures: { kind: { type: 'measures' } },
    interventions: { kind: { type: 'text_list' } },
    response: TEXT,
    homeworkReviewed: { kind: { type: 'uuid_list' } },
    homeworkAssigned: { kind: { type: 'uuid_list' } },
    plan: REQUIRED_TEXT,
    nextSession: TEXT,
  },
  free: { text: REQUIRED_TEXT },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problem(field: string, rule: string, message: string): FieldProblem {
  return { field: `body.${field}`, rule, message };
}

function checkField(name: string, spec: FieldSpec, value: unknown, problems: FieldProblem[]): void {
  const kind = spec.kind;
  switch (kind.type) {
    case 'text':
      if (typeof value !== 'string' || value.length > NOTE_TEXT_MAX) {
        problems.push(problem(name, 'text', `must be text of at most ${NOTE_TEXT_MAX} characters`));
      }
      return;
    case 'time':
      if (typeof value !== 'string' || !TIME.test(value)) problems.push(problem(name, 'time', 'must be HH:mm'));
      return;
    case 'enum':
      if (typeof value !== 'string' || !kind.values.includes(value)) {
        problems.push(problem(name, 'enum', `must be one of ${kind.values.join(', ')}`));
      }
      return;
    case 'uuid':
      if (typeof value !== 'string' || !UUID.test(value)) problems.push(problem(name, 'uuid', 'must be a uuid'));
      return;
    case 'uuid_list':
      if (
        !Array.isArray(value) ||
        value.length > LIST_MAX ||
        !value.every((v) => typeof v === 'string' && UUID.test(v))
      ) {
        problems.push(problem(name, 'uuid_list', `must be a list of at most ${LIST_MAX} uuids`));
      }
      return;
    case 'text_list':
      if (
        !Array.isArray(value) ||
        value.length > LIST_MAX ||
        !value.every((v) => typeof v === 'string' && v.length >= 1 && v.length <= 500)
      ) {
        problems.push(problem(name, 'text_list', `must be a list of at most ${LIST_MAX} texts of 1 to 500 characters`));
      }
      return;
    case 'risk_screen':
      if (!Array.isArray(value) || value.length > 10 || !value.every(isRiskScreenEntry)) {
        problems.push(
          problem(
            name,
            'risk_screen',
            'must be a list of {clientId, askedIndividually, suicidalIdeation, homicidalIdeation, intimatePartnerViolence}',
          ),
        );
      }
      return;
    case 'measures':
      if (!Array.isArray(value) || value.length > LIST_MAX || !value.every(isMeasureEntry)) {
        problems.push(
          problem(name, 'measures', 'must be a list of {instrument, clientId, score, rciLabel?, administrationId?}'),
        );
      }
      return;
  }
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

function isRiskScreenEntry(value: unknown): value is RiskScreenEntry {
  return (
    isRecord(value) &&
    onlyKeys(value, [
      'clientId',
      'askedIndividually',
      'suicidalIdeation',
      'homicidalIdeation',
      'intimatePartnerViolence',
    ]) &&
    typeof value.clientId === 'string' &&
    UUID.test(value.clientId) &&
    typeof value.askedIndividually === 'boolean' &&
    [value.suicidalIdeation, value.homicidalIdeation, value.intimatePartnerViolence].every(
      (level) => typeof level === 'string' && (RISK_LEVELS as readonly string[]).includes(level),
    )
  );
}

function isMeasureEntry(value: unknown): value is MeasureEntry {
  return (
    isRecord(value) &&
    onlyKeys(value, ['administrationId', 'instrument', 'clientId', 'score', 'rciLabel']) &&
    (value.administrationId === undefined ||
      (typeof value.administrationId === 'string' && UUID.test(value.administrationId))) &&
    typeof value.instrument === 'string' &&
    /^[A-Za-z0-9_-]{1,40}$/.test(value.instrument) &&
    typeof value.clientId === 'string' &&
    UUID.test(value.clientId) &&
    typeof value.score === 'number' &&
    Number.isFinite(value.score) &&
    (value.rciLabel === undefined ||
      value.rciLabel === null ||
      (typeof value.rciLabel === 'string' && (RCI_LABELS as readonly string[]).includes(value.rciLabel)))
  );
}

/** Problems of a body for a template (types and unknown fields); empty when valid. */
export function bodyProblems(template: NoteTemplate, body: unknown): FieldProblem[] {
  if (!isRecord(body)) return [{ field: 'body', rule: 'object', message: 'must be an object of the template fields' }];
  const fields = TEMPLATE_FIELDS[template];
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(body)) {
    const spec = fields[name];
    if (spec === undefined) {
      problems.push(problem(name, 'unknown', `is not a field of the ${template} template`));
      continue;
    }
    if (value === null) continue;
    checkField(name, spec, value, problems);
  }
  return problems;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Problems that keep a (valid) body from being signed: required fields missing, couple risk screen incomplete. */
export function signingProblems(template: NoteTemplate, body: NoteBody): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, spec] of Object.entries(TEMPLATE_FIELDS[template])) {
    if (spec.required === true && isEmpty(body[name])) problems.push(problem(name, 'required', 'is required to sign'));
  }
  if (template === 'couple' && problems.length === 0) {
    const attendees = body.attendees as string[];
    const screened = new Map(
      (body.riskScreen as RiskScreenEntry[]).map((entry) => [entry.clientId.toLowerCase(), entry]),
    );
    for (const attendee of attendees) {
      const entry = screened.get(attendee.toLowerCase());
      if (entry === undefined || !entry.askedIndividually) {
        problems.push(problem('riskScreen', 'asked_individually', 'every attendee is screened, asked individually'));
        break;
      }
    }
  }
  return problems;
}

/** The note as it reads now: the signed body with each amendment's changes applied in order. */
export function applyAmendments(body: NoteBody, changes: readonly NoteBody[]): NoteBody {
  return changes.reduce<NoteBody>((current, change) => ({ ...current, ...change }), body);
}

/** Assignment ids the body links (homework reviewed and assigned). */
export function linkedAssignmentIds(body: NoteBody): string[] {
  return [
    ...((body.homeworkReviewed as string[] | undefined) ?? []),
    ...((body.homeworkAssigned as string[] | undefined) ?? []),
  ];
}
