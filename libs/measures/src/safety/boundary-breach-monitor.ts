import type { TenantTransaction } from '@mend/core';
import type { BoundaryEventListener, BoundaryEventView } from '@mend/repair-plans';

import { SYSTEM_SAFETY_CLOCK, type SafetyAlerts, type SafetyClock } from './safety-alerts.js';
import type { SafetySettingsService } from './safety-settings.js';

const DAY_MS = 86_400_000;
export const BOUNDARY_BREACH_RULE = 'repeated-boundary-breaches';

/**
 * Repeated boundary breaches (clinical.md §4.3, tier 3 — a dashboard flag for the
 * next session, nothing shown to the clients): when a case has at least the
 * clinic's `boundaryBreachCount` boundary events that occurred within the last
 * `boundaryBreachWindowDays` days, one tier-3 alert is raised for the care team —
 * at most one per window and case (no new alert while a `boundary_breaches` alert
 * of the case was raised within the window, acknowledged or not). Wired as the
 * listener of @mend/repair-plans' BoundaryEvents (a library below this one), so it
 * runs in the transaction that records the event. Events are counted by when they
 * occurred; back-dated events older than the window do not count.
 */
export class BoundaryBreachMonitor implements BoundaryEventListener {
  constructor(
    private readonly alerts: SafetyAlerts,
    private readonly settings: SafetySettingsService,
    private readonly clock: SafetyClock = SYSTEM_SAFETY_CLOCK,
  ) {}

  async recorded(tx: TenantTransaction, event: BoundaryEventView): Promise<void> {
    const { boundaryBreachCount, boundaryBreachWindowDays } = await this.settings.get(tx);
    const now = this.clock.now();
    const since = new Date(now.getTime() - boundaryBreachWindowDays * DAY_MS);
    if (event.occurredAt.getTime() <= since.getTime()) return;
    // Two events recorded at once must not both raise the alert of the window.
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `boundary-breaches:${tx.clinicId}:${event.caseId.toLowerCase()}`,
    ]);
    const [{ count }] = await tx.query<{ count: number }>(
      `select count(*)::int as count from boundary_events
        where clinic_id = $1 and case_id = $2 and occurred_at > $3 and occurred_at <= $4`,
      [tx.clinicId, event.caseId, since, now],
    );
    if (count < boundaryBreachCount) return;
    const raised = await tx.query<{ id: string }>(
      `select id from safety_alerts
        where clinic_id = $1 and case_id = $2 and trigger = 'boundary_breaches' and raised_at > $3 limit 1`,
      [tx.clinicId, event.caseId, since],
    );
    if (raised[0] !== undefined) return;
    await this.alerts.raise(tx, {
      caseId: event.caseId,
      subjectClientId: null,
      tier: 3,
      trigger: 'boundary_breaches',
      ruleIds: [BOUNDARY_BREACH_RULE],
      source: { type: 'boundary_event', id: event.id },
    });
  }
}
