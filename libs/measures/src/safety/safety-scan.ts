import type { FieldEncryption, TenantTransaction } from '@mend/core';
import { scanForRisk } from '@mend/risk-scan';

import { clientSafetyResponse, type ClientSafetyResponse } from './client-safety-response.js';
import { raiseRiskScanAlert, type RiskScanOutcome, type ScannedField } from './risk-scan-alerts.js';
import type { SafetyAlerts, SafetyTier } from './safety-alerts.js';
import type { SafetySettingsService } from './safety-settings.js';

/** Every string leaf of an answers document, with its path (`answers.feelings`, `answers.items.0.note`). */
export function textFieldsOf(value: unknown, path = 'answers'): ScannedField[] {
  if (typeof value === 'string') return [{ field: path, text: value }];
  if (Array.isArray(value)) return value.flatMap((entry, index) => textFieldsOf(entry, `${path}.${index}`));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, entry]) => textFieldsOf(entry, `${path}.${key}`));
  return [];
}

/**
 * The `safety.scan-submission` job's work (issue 6 item 4): decrypts a submitted homework
 * answer set (private journals included: privacy from the partner is not privacy from
 * safety review) and risk-scans every text field. Idempotent: the alert's dedupe key is
 * the submission, so a retried job raises it once.
 */
export async function scanSubmission(
  tx: TenantTransaction,
  encryption: FieldEncryption,
  alerts: SafetyAlerts,
  submissionId: string,
): Promise<RiskScanOutcome> {
  const rows = await tx.query<{ case_id: string; author_client_id: string; answers: string; status: string }>(
    'select case_id, author_client_id, answers, status from submissions where clinic_id = $1 and id = $2',
    [tx.clinicId, submissionId],
  );
  const row = rows[0];
  if (row === undefined || row.status !== 'submitted') return { highestTier: null, alertId: null };
  const answers: unknown = JSON.parse(
    await encryption.decrypt(tx, { table: 'submissions', rowId: submissionId, column: 'answers' }, row.answers),
  );
  return raiseRiskScanAlert(tx, alerts, {
    caseId: row.case_id,
    clientId: row.author_client_id,
    source: { type: 'submission', id: submissionId },
    fields: textFieldsOf(answers),
  });
}

/** The most urgent risk-scan tier over every text field of an answers document (pure, no I/O). */
export function highestRiskTier(answers: unknown): SafetyTier | null {
  let tier: SafetyTier | null = null;
  for (const field of textFieldsOf(answers)) {
    if (field.text.trim() === '') continue;
    const found = scanForRisk(field.text).highestTier;
    if (found !== null && (tier === null || found < tier)) tier = found;
  }
  return tier;
}

/**
 * What the author of a homework submission is shown at once (clinical.md §4.3
 * "Client-side response"), computed synchronously in the submit request from the
 * same scan the `safety.scan-submission` job runs: tier 1 — the crisis resources for
 * the client's locale and the statement that the platform is not monitored around
 * the clock (the flow stops); tier 2 — the supportive message; otherwise null. The
 * alert itself is raised by the job (same rules, deduplicated per submission); this
 * answer goes to the author only and never names the rule or the text.
 */
export function submissionSafetyResponse(
  tx: TenantTransaction,
  settings: SafetySettingsService,
  authorClientId: string,
  answers: unknown,
): Promise<ClientSafetyResponse | null> {
  return clientSafetyResponse(tx, settings, authorClientId, highestRiskTier(answers));
}
