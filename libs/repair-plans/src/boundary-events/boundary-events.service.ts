import { assertSharedSpaceOpen, type CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';

import { auditCase, newId, recorderKindOf, type LedgerClock } from '../ledger/case-content.js';
import { boundaryEventNotFound, LedgerError, LedgerErrorCode } from '../ledger/ledger.errors.js';
import type { BoundarySeverity, LedgerRecorderKind } from '../ledger/ledger.types.js';
import { findBoundary } from '../plans/plan.service.js';

export interface RecordBoundaryEventInput {
  readonly boundaryId: string;
  readonly occurredAt: Date;
  readonly severity: BoundarySeverity;
  /** The restorative response agreed (clinical text: never logged or audited). */
  readonly restorativeResponse?: string | null;
}

export interface BoundaryEventView {
  readonly id: string;
  readonly caseId: string;
  readonly boundaryId: string;
  readonly occurredAt: Date;
  readonly severity: BoundarySeverity;
  readonly restorativeResponse: string | null;
  readonly reportedByMembershipId: string;
  readonly reportedByKind: LedgerRecorderKind;
  readonly reporterClientId: string | null;
  readonly recordedAt: Date;
  readonly completed: boolean;
  readonly completedAt: Date | null;
  readonly completedByMembershipId: string | null;
}

interface Row {
  id: string;
  case_id: string;
  boundary_id: string;
  occurred_at: Date;
  severity: BoundarySeverity;
  restorative_response: string | null;
  reported_by_membership_id: string;
  reported_by_kind: LedgerRecorderKind;
  reporter_client_id: string | null;
  recorded_at: Date;
  completed_at: Date | null;
  completed_by_membership_id: string | null;
}

const COLUMNS = `id, case_id, boundary_id, occurred_at, severity, restorative_response, reported_by_membership_id,
  reported_by_kind, reporter_client_id, recorded_at, completed_at, completed_by_membership_id`;

function toView(row: Row): BoundaryEventView {
  return {
    id: row.id,
    caseId: row.case_id,
    boundaryId: row.boundary_id,
    occurredAt: row.occurred_at,
    severity: row.severity,
    restorativeResponse: row.restorative_response,
    reportedByMembershipId: row.reported_by_membership_id,
    reportedByKind: row.reported_by_kind,
    reporterClientId: row.reporter_client_id,
    recordedAt: row.recorded_at,
    completed: row.completed_at !== null,
    completedAt: row.completed_at,
    completedByMembershipId: row.completed_by_membership_id,
  };
}

/**
 * The port through which a recorded boundary event reaches a library above this
 * one (libs/measures watches for repeated breaches, clinical.md §4.3 tier 3;
 * wired by the app): called in the same transaction, after the event is written,
 * so whatever the listener writes commits or rolls back with the event.
 */
export interface BoundaryEventListener {
  recorded(tx: TenantTransaction, event: BoundaryEventView): Promise<void>;
}

export const NO_BOUNDARY_EVENT_LISTENER: BoundaryEventListener = { recorded: () => Promise.resolve() };

/**
 * Boundary events (PRODUCT.md BoundaryEvent): a boundary of the plan was
 * crossed — when, who reported it (a participant or the care team), how severe,
 * the restorative response agreed, and later whether it was completed. Shared
 * with the participants and the care team; participants are paused by a safety
 * hold like every shared feature. Entries are append-only; the completion is
 * recorded once (enforced by a trigger).
 */
export class BoundaryEvents {
  constructor(
    private readonly clock: LedgerClock,
    private readonly listener: BoundaryEventListener = NO_BOUNDARY_EVENT_LISTENER,
  ) {}

  async record(tx: TenantTransaction, viewer: CaseViewer, input: RecordBoundaryEventInput): Promise<BoundaryEventView> {
    assertSharedSpaceOpen(viewer);
    const kind = recorderKindOf(viewer);
    const now = this.clock.now();
    if (input.occurredAt.getTime() > now.getTime()) {
      throw new LedgerError(LedgerErrorCode.OccurredAtInFuture, 422, 'occurredAt must not be in the future');
    }
    if ((await findBoundary(tx, viewer.case.caseId, input.boundaryId)) === null) {
      throw new LedgerError(
        LedgerErrorCode.UnknownBoundary,
        422,
        "boundaryId must name a boundary of this case's plan",
      );
    }
    const id = newId();
    await tx.query(
      `insert into boundary_events (clinic_id, id, case_id, boundary_id, occurred_at, severity, restorative_response,
                                    reported_by_membership_id, reported_by_kind, reporter_client_id, recorded_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        tx.clinicId,
        id,
        viewer.case.caseId,
        input.boundaryId,
        input.occurredAt,
        input.severity,
        input.restorativeResponse ?? null,
        viewer.principal.membershipId,
        kind,
        viewer.kind === 'participant' ? viewer.clientId : null,
        now,
      ],
    );
    await auditCase(
      tx,
      viewer,
      'boundary_event.record',
      { type: 'boundary_event', id },
      { boundaryId: input.boundaryId, severity: input.severity, reportedByKind: kind },
    );
    const event = (await this.find(tx, viewer.case.caseId, id)) as BoundaryEventView;
    await this.listener.recorded(tx, event);
    return event;
  }

  async complete(
    tx: TenantTransaction,
    viewer: CaseViewer,
    eventId: string,
    completedAt: Date | null,
  ): Promise<BoundaryEventView> {
    assertSharedSpaceOpen(viewer);
    recorderKindOf(viewer);
    const event = await this.find(tx, viewer.case.caseId, eventId, true);
    if (event === null) throw boundaryEventNotFound();
    if (event.completed) {
      throw new LedgerError(
        LedgerErrorCode.BoundaryEventAlreadyCompleted,
        409,
        'The restorative response of this event was already recorded as completed',
      );
    }
    const now = this.clock.now();
    const at = completedAt ?? now;
    if (at.getTime() > now.getTime()) {
      throw new LedgerError(LedgerErrorCode.CompletedInFuture, 422, 'completedAt must not be in the future');
    }
    if (at.getTime() < event.occurredAt.getTime()) {
      throw new LedgerError(
        LedgerErrorCode.CompletedBeforeOccurred,
        422,
        'completedAt must not be before the event occurredAt',
      );
    }
    await tx.query(
      `update boundary_events set completed_at = $4, completed_by_membership_id = $5
        where clinic_id = $1 and case_id = $2 and id = $3`,
      [tx.clinicId, viewer.case.caseId, eventId, at, viewer.principal.membershipId],
    );
    await auditCase(tx, viewer, 'boundary_event.complete', { type: 'boundary_event', id: eventId });
    return (await this.find(tx, viewer.case.caseId, eventId)) as BoundaryEventView;
  }

  async list(tx: TenantTransaction, viewer: CaseViewer): Promise<BoundaryEventView[]> {
    assertSharedSpaceOpen(viewer);
    const rows = await tx.query<Row>(
      `select ${COLUMNS} from boundary_events where clinic_id = $1 and case_id = $2 order by occurred_at, id`,
      [tx.clinicId, viewer.case.caseId],
    );
    await auditCase(
      tx,
      viewer,
      'boundary_event.list',
      { type: 'case', id: viewer.case.caseId },
      { entries: rows.length },
    );
    return rows.map(toView);
  }

  private async find(
    tx: TenantTransaction,
    caseId: string,
    eventId: string,
    forUpdate = false,
  ): Promise<BoundaryEventView | null> {
    const rows = await tx.query<Row>(
      `select ${COLUMNS} from boundary_events where clinic_id = $1 and case_id = $2 and id = $3${forUpdate ? ' for update' : ''}`,
      [tx.clinicId, caseId, eventId],
    );
    return rows[0] === undefined ? null : toView(rows[0]);
  }
}
