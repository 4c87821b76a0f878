import type { CaseViewer } from '@mend/access';
import { recordAudit } from '@mend/audit';
import type { TenantTransaction } from '@mend/core';

import type { CaseTimelineEntry } from './case-timeline-entry.js';

/**
 * The part of the timeline a page needs: a source with many entries (the
 * ledger: several a day for a year) may return only its `limit` newest entries
 * at or before `before` instead of all of them; the merge stays exact as long as
 * fewer than `limit` entries of one source share one timestamp.
 */
export interface CaseTimelineWindow {
  readonly before: Date | null;
  readonly limit: number;
}

/** One part of a case that contributes timeline entries, filtered for the viewer (the window is a hint). */
export type CaseTimelineSource = (
  tx: TenantTransaction,
  viewer: CaseViewer,
  window: CaseTimelineWindow,
) => Promise<CaseTimelineEntry[]>;

/** Extra rows a windowed source fetches beyond the page, for entries sharing the cursor's timestamp. */
const WINDOW_MARGIN = 50;

export interface CaseTimelinePage {
  readonly entries: readonly CaseTimelineEntry[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  readonly nextCursor: string | null;
}

export interface CaseTimelineQuery {
  /** Opaque cursor from a previous page. */
  readonly before?: string;
  readonly limit: number;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)\|([0-9a-z._-]{1,80})\|([0-9a-z:_-]{1,80})$/;

/** Status changes of the case: shared with everyone who may read the case's timeline (the reason is not). */
export async function statusTimelineEntries(tx: TenantTransaction, viewer: CaseViewer): Promise<CaseTimelineEntry[]> {
  const rows = await tx.query<{
    id: string;
    from_status: string | null;
    to_status: string;
    outcome: string | null;
    changed_at: Date;
    changed_by_membership_id: string | null;
  }>(
    `select id, from_status, to_status, outcome, changed_at, changed_by_membership_id
       from case_status_changes where clinic_id = $1 and case_id = $2`,
    [tx.clinicId, viewer.case.caseId],
  );
  return rows.map((row) => ({
    at: new Date(row.changed_at),
    kind: 'case.status_changed',
    id: row.id,
    actorMembershipId: row.changed_by_membership_id,
    summary: `Case status: ${row.to_status}`,
    refs: { fromStatus: row.from_status, toStatus: row.to_status, outcome: row.outcome },
  }));
}

/** Newest first; ties broken by kind then id so paging is stable. */
function compareEntries(a: CaseTimelineEntry, b: CaseTimelineEntry): number {
  return b.at.getTime() - a.at.getTime() || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.id < b.id ? -1 : 1);
}

export function encodeTimelineCursor(entry: CaseTimelineEntry): string {
  return Buffer.from(`${entry.at.toISOString()}|${entry.kind}|${entry.id}`, 'utf8').toString('base64url');
}

/** Null for a cursor this service did not issue (the caller answers 400). */
export function decodeTimelineCursor(cursor: string): Pick<CaseTimelineEntry, 'at' | 'kind' | 'id'> | null {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match === null) return null;
  return { at: new Date(match[1]), kind: match[2], id: match[3] };
}

/**
 * Everything that happened in a case, in order (newest first), merged from its
 * parts. Each source filters for the viewer itself, so a participant never gets
 * an entry about a clinician-only item, and the admin's directory view has no
 * timeline at all (the access policy refuses it before this runs).
 */
export class CaseTimelineService {
  constructor(private readonly sources: readonly CaseTimelineSource[]) {}

  async list(tx: TenantTransaction, viewer: CaseViewer, query: CaseTimelineQuery): Promise<CaseTimelinePage> {
    const before = query.before === undefined ? null : decodeTimelineCursor(query.before);
    const entries: CaseTimelineEntry[] = [];
    // One after the other: they share the transaction's connection.
    const hint = { before: before?.at ?? null, limit: query.limit + WINDOW_MARGIN };
    for (const source of this.sources) entries.push(...(await source(tx, viewer, hint)));
    const sorted = entries.sort(compareEntries);
    const start =
      before === null ? 0 : sorted.findIndex((entry) => compareEntries(before as CaseTimelineEntry, entry) < 0);
    const window = start < 0 ? [] : sorted.slice(start, start + query.limit);
    const hasMore = start >= 0 && start + query.limit < sorted.length;
    await recordAudit(tx, {
      action: 'case.timeline.read',
      targetType: 'case',
      targetId: viewer.case.caseId,
      actorUserId: viewer.principal.userId,
      actorMembershipId: viewer.principal.membershipId,
      metadata: { count: window.length },
    });
    return {
      entries: window,
      nextCursor: hasMore && window.length > 0 ? encodeTimelineCursor(window[window.length - 1]) : null,
    };
  }
}
