import { randomUUID } from 'node:crypto';

import type { CaseViewer } from '@mend/access';
import { recordAudit, type AuditMetadata } from '@mend/audit';
import type { TenantTransaction } from '@mend/core';

import type { LedgerRecorderKind } from './ledger.types.js';
import { localDate } from './local-date.js';

/** Time as the ledger reads it (tests freeze it). */
export interface LedgerClock {
  now(): Date;
}

export const SYSTEM_LEDGER_CLOCK: LedgerClock = { now: () => new Date() };

export const newId = (): string => randomUUID();

/** Who writes: the participant themselves or the care team. Directory viewers never reach a service (the policy refuses them). */
export function recorderKindOf(viewer: CaseViewer): LedgerRecorderKind {
  if (viewer.kind === 'directory') throw new Error('A directory viewer cannot write case content');
  return viewer.kind;
}

export function isParticipant(viewer: CaseViewer, clientId: string): boolean {
  return viewer.case.participants.some((participant) => participant.clientId.toLowerCase() === clientId.toLowerCase());
}

/** Audits a change or a read of case content by the viewer: ids, codes and counts only. */
export async function auditCase(
  tx: TenantTransaction,
  viewer: CaseViewer,
  action: string,
  target: { readonly type: string; readonly id: string },
  metadata: AuditMetadata = {},
): Promise<void> {
  await recordAudit(tx, {
    action,
    targetType: target.type,
    targetId: target.id,
    actorUserId: viewer.principal.userId,
    actorMembershipId: viewer.principal.membershipId,
    metadata: { caseId: viewer.case.caseId, ...metadata },
  });
}

/**
 * The local "today" of a participant: their client timezone, else the clinic's,
 * else UTC. A check-in's date may not be after it.
 */
export async function participantToday(tx: TenantTransaction, clientId: string, now: Date): Promise<string> {
  const rows = await tx.query<{ timezone: string | null }>(
    `select coalesce(c.timezone, k.timezone) as timezone
       from clinics k left join clients c on c.clinic_id = k.id and c.id = $2
      where k.id = $1`,
    [tx.clinicId, clientId],
  );
  return localDate(now, rows[0]?.timezone ?? 'UTC');
}
