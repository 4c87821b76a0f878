import { randomUUID } from 'node:crypto';

import type { TenantTransaction } from '@mend/core';
import { BUILT_IN_MEASURES, optionsOf, scoreAnswers } from '@mend/measures';

import { DEMO_CASE_ID, DEMO_CLIENT_IDS } from './demo-cases.js';

const DAY_MS = 86_400_000;

/** Item answers adding up to about `total` (greedy, item by item; PHQ-9 item 9 stays 0), scored as the product scores. */
function answered(measureId: string, total: number) {
  const definition = BUILT_IN_MEASURES.find((candidate) => candidate.id === measureId);
  if (definition === undefined) throw new Error(`no built-in measure ${measureId}`);
  let remaining = total;
  const answers: Record<string, number> = {};
  for (const item of definition.items) {
    const values = optionsOf(definition, item).map((option) => option.value);
    const value = item.id === 'phq9_9' ? 0 : Math.min(remaining, Math.max(...values));
    answers[item.id] = Math.max(Math.min(...values), value);
    remaining -= answers[item.id];
  }
  return { answers, score: scoreAnswers(definition, answers), version: definition.version };
}

/**
 * What makes the demo couple's progress report worth requesting (synthetic):
 * outcome measures recorded by the counselor from paper forms over the last
 * seven weeks, so the report's charts have lines, a cutoff band and a
 * reliable-change marker — Jordan's PHQ-9 15 -> 12 -> 8 (a reliable improvement
 * that leaves the clinical range), Casey's GAD-7 7 -> 8 -> 9, and both partners'
 * CSI-4 side by side. The report itself is not built here: request it (README,
 * Progress reports) and the demo's worker builds it. Skipped when the case
 * already has administrations.
 */
export async function seedDemoReportData(tx: TenantTransaction, members: ReadonlyMap<string, string>): Promise<void> {
  const [existing] = await tx.query<{ n: number }>(
    'select count(*)::int as n from measure_administrations where clinic_id = $1 and case_id = $2',
    [tx.clinicId, DEMO_CASE_ID],
  );
  if (existing.n > 0) return;
  const counselor = members.get('counselor') as string;
  const now = Date.now();
  const series: [string, string, number[]][] = [
    [DEMO_CLIENT_IDS.client1, 'phq-9', [15, 12, 8]],
    [DEMO_CLIENT_IDS.client1, 'csi-4', [9, 11, 13]],
    [DEMO_CLIENT_IDS.client2, 'gad-7', [7, 8, 9]],
    [DEMO_CLIENT_IDS.client2, 'csi-4', [12, 14, 15]],
  ];
  for (const [clientId, measureId, totals] of series) {
    for (const [index, total] of totals.entries()) {
      const at = new Date(now - (49 - index * 21) * DAY_MS);
      const { answers, score, version } = answered(measureId, total);
      await tx.query(
        `insert into measure_administrations (clinic_id, id, case_id, client_id, measure_id, measure_version, status,
                                              answers, score, total, administered_at, recorded_by_membership_id,
                                              recorded_by_kind, created_at)
         values ($1, $2, $3, $4, $5, $6, 'completed', $7, $8, $9, $10, $11, 'care_team', $10)`,
        [
          tx.clinicId,
          randomUUID(),
          DEMO_CASE_ID,
          clientId,
          measureId,
          version,
          JSON.stringify(answers),
          JSON.stringify(score),
          score.total,
          at,
          counselor,
        ],
      );
    }
  }
}
