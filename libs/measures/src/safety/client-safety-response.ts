import type { TenantTransaction } from '@mend/core';

import { NOT_MONITORED_STATEMENT, SUPPORTIVE_STATEMENT, type CrisisResourceList } from './crisis-resources.js';
import type { SafetyTier } from './safety-alerts.js';
import type { SafetySettingsService } from './safety-settings.js';

/**
 * What a client is shown in the answer of the submission that raised an alert
 * (clinical.md §4.3 "Client-side response"): tier 1 — crisis resources now and the
 * plain statement that the platform is not monitored around the clock, and the flow
 * stops; tier 2 — a supportive message with resources; tier 3 — nothing. Never names
 * the rule, the score or the text that triggered it.
 */
export interface ClientSafetyResponse {
  readonly level: 'immediate' | 'supportive';
  readonly message: string;
  readonly crisisResources: CrisisResourceList;
  /** Tier 1: the portal stops the exercise flow and shows the resources. */
  readonly stopFlow: boolean;
}

export async function clientSafetyResponse(
  tx: TenantTransaction,
  settings: SafetySettingsService,
  clientId: string,
  tier: SafetyTier | null,
): Promise<ClientSafetyResponse | null> {
  if (tier === null || tier === 3) return null;
  const crisisResources = await settings.crisisResourcesForClient(tx, clientId);
  return tier === 1
    ? { level: 'immediate', message: NOT_MONITORED_STATEMENT, crisisResources, stopFlow: true }
    : { level: 'supportive', message: SUPPORTIVE_STATEMENT, crisisResources, stopFlow: false };
}
