import type { FieldProblem } from '@mend/contracts';

import {
  compare,
  inClinicalRange,
  optionsOf,
  type MeasureDefinition,
  type MeasureItem,
  type SafetySignalRule,
} from './measure-definition.js';
import { MeasuresError, MeasuresErrorCode } from './measures.errors.js';

/** Item answers by item id; a missing or null entry is an unanswered item. */
export type ItemAnswers = Readonly<Record<string, number | null | undefined>>;

export interface TriggeredSafetySignal {
  readonly ruleId: string;
  readonly tier: 1 | 2 | 3;
  readonly reason: string;
  readonly itemId?: string;
}

export interface MeasureScore {
  readonly measureId: string;
  readonly version: string;
  readonly total: number;
  readonly range: { readonly min: number; readonly max: number };
  readonly subscales: Readonly<Record<string, number | null>>;
  /** The keyed value of each answered item (reverse keys applied). */
  readonly itemValues: Readonly<Record<string, number>>;
  readonly answeredItems: number;
  readonly prorated: boolean;
  readonly band: string | null;
  readonly inClinicalRange: boolean | null;
  /** Items reported on their own beside the total (PHQ-9 item 9), with the raw answer. */
  readonly separateItems: readonly { readonly itemId: string; readonly value: number | null }[];
  readonly safetySignals: readonly TriggeredSafetySignal[];
}

function keyed(definition: MeasureDefinition, item: MeasureItem, answer: number): number {
  if (!item.reverseKeyed) return answer;
  const values = optionsOf(definition, item).map((option) => option.value);
  return Math.min(...values) + Math.max(...values) - answer;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function aggregate(method: 'sum' | 'mean', values: readonly number[], itemCount: number): number {
  if (method === 'mean') return sum(values) / values.length;
  // Prorated sum: scaled to the full item count (only reached when the rule allows it).
  return values.length === itemCount ? sum(values) : (sum(values) * itemCount) / values.length;
}

function validateAnswers(definition: MeasureDefinition, answers: ItemAnswers): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const known = new Set(definition.items.map((item) => item.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key))
      problems.push({ field: `answers.${key}`, rule: 'unknown-item', message: `is not an item of ${definition.name}` });
  }
  const missing: MeasureItem[] = [];
  for (const item of definition.items) {
    const answer = answers[item.id];
    if (answer === undefined || answer === null) {
      missing.push(item);
      continue;
    }
    const values = optionsOf(definition, item).map((option) => option.value);
    if (typeof answer !== 'number' || !values.includes(answer))
      problems.push({
        field: `answers.${item.id}`,
        rule: 'out-of-range',
        message: `must be one of ${values.join(', ')}`,
      });
  }
  const partial = definition.scoring.partialAnswers;
  const allowed = partial.rule === 'prorate' ? partial.maxMissing : 0;
  if (missing.length > allowed) {
    const why =
      partial.rule === 'prorate'
        ? `is required: at most ${partial.maxMissing} item(s) may be left unanswered`
        : 'is required: every item must be answered';
    for (const item of missing) problems.push({ field: `answers.${item.id}`, rule: 'missing', message: why });
  }
  return problems;
}

function triggered(rule: SafetySignalRule, total: number, answers: ItemAnswers): boolean {
  const value = rule.itemId === undefined ? total : answers[rule.itemId];
  return typeof value === 'number' && compare(value, rule.when.op, rule.when.value);
}

/**
 * Scores one administration on the server (issue 6 item 1). Throws a 422 naming every
 * offending item: unknown item, answer outside the item's options, or an unanswered item
 * the measure's partial-answer rule does not allow.
 */
export function scoreAnswers(definition: MeasureDefinition, answers: ItemAnswers): MeasureScore {
  const problems = validateAnswers(definition, answers);
  if (problems.length > 0)
    throw new MeasuresError(MeasuresErrorCode.AnswersInvalid, `The answers do not fit ${definition.name}`, problems);

  const itemValues: Record<string, number> = {};
  for (const item of definition.items) {
    const answer = answers[item.id];
    if (typeof answer === 'number') itemValues[item.id] = keyed(definition, item, answer);
  }
  const answered = Object.values(itemValues);
  const total = aggregate(definition.scoring.method, answered, definition.items.length);

  const subscales: Record<string, number | null> = {};
  for (const subscale of definition.subscales) {
    const values = subscale.itemIds.map((id) => itemValues[id]).filter((value) => value !== undefined);
    subscales[subscale.id] = values.length === 0 ? null : aggregate(subscale.method, values, subscale.itemIds.length);
  }

  const band = definition.severityBands?.bands.find((entry) => total >= entry.min && total <= entry.max)?.label ?? null;
  return {
    measureId: definition.id,
    version: definition.version,
    total,
    range: definition.scoring.range,
    subscales,
    itemValues,
    answeredItems: answered.length,
    prorated: answered.length < definition.items.length,
    band,
    inClinicalRange: inClinicalRange(definition, total),
    separateItems: definition.separatelyReportedItems.map((itemId) => {
      const value = answers[itemId];
      return { itemId, value: typeof value === 'number' ? value : null };
    }),
    safetySignals: definition.safetySignals
      .filter((rule) => triggered(rule, total, answers))
      .map((rule) => ({
        ruleId: rule.id,
        tier: rule.tier,
        reason: rule.reason,
        ...(rule.itemId === undefined ? {} : { itemId: rule.itemId }),
      })),
  };
}
