import type { TenantTransaction } from '@mend/core';
import { scanForRisk, type RiskMatch } from '@mend/risk-scan';

import type { AlertSpan, SafetyAlerts, SafetyTier } from './safety-alerts.js';

export interface ScannedField {
  /** Where the text is, e.g. `answers.feelings` (a field name, never the text). */
  readonly field: string;
  readonly text: string;
}

/** The sentence around a match (what the care team is shown, PRODUCT.md "Who sees what"). */
export function sentenceAround(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  const from =
    Math.max(before.lastIndexOf('.'), before.lastIndexOf('!'), before.lastIndexOf('?'), before.lastIndexOf('\n')) + 1;
  const rest = text.slice(end);
  const stop = rest.search(/[.!?\n]/);
  const to = stop === -1 ? text.length : end + stop + 1;
  return text.slice(from, to).trim().slice(0, 1000);
}

export interface RiskScanOutcome {
  readonly highestTier: SafetyTier | null;
  readonly alertId: string | null;
}

/**
 * Runs the risk scan (@mend/risk-scan) on every text field and raises one alert at the
 * most urgent tier found, naming every rule and span. The matched sentences go into the
 * alert's encrypted excerpt (care-team detail only): never into titles, logs or audit.
 */
export async function raiseRiskScanAlert(
  tx: TenantTransaction,
  alerts: SafetyAlerts,
  input: {
    readonly caseId: string;
    readonly clientId: string;
    readonly source: { readonly type: string; readonly id: string };
    readonly fields: readonly ScannedField[];
  },
): Promise<RiskScanOutcome> {
  const found: { field: ScannedField; match: RiskMatch }[] = [];
  for (const field of input.fields) {
    if (field.text.trim() === '') continue;
    for (const match of scanForRisk(field.text).matches) found.push({ field, match });
  }
  if (found.length === 0) return { highestTier: null, alertId: null };
  const tier = Math.min(...found.map((entry) => entry.match.tier)) as SafetyTier;
  const spans: AlertSpan[] = found.map(({ field, match }) => ({
    field: field.field,
    ruleId: match.ruleId,
    start: match.span.start,
    end: match.span.end,
  }));
  const sentences = [
    ...new Set(found.map(({ field, match }) => sentenceAround(field.text, match.span.start, match.span.end))),
  ];
  const { id } = await alerts.raise(tx, {
    caseId: input.caseId,
    subjectClientId: input.clientId,
    tier,
    trigger: 'risk_scan',
    ruleIds: [...new Set(found.map(({ match }) => match.ruleId))],
    source: input.source,
    spans,
    excerpt: sentences.join('\n'),
    dedupeKey: `risk_scan:${input.source.type}:${input.source.id}`,
  });
  return { highestTier: tier, alertId: id };
}
