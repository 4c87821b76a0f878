import { randomUUID } from 'node:crypto';

import type { CaseViewer } from '@mend/access';
import { recordAudit, type AuditMetadata } from '@mend/audit';
import { assertIndividualChannelsOpen } from '@mend/clients';
import type { TenantTransaction } from '@mend/core';

import { sessionNotFound, SessionsError, SessionsErrorCode } from '../sessions.errors.js';
import type {
  AttendanceStatus,
  SessionEventKind,
  SessionFinalStatus,
  SessionKind,
  SessionModality,
  SessionStatus,
} from './session.types.js';
import { resolveLocalTime, toZonedIso } from './zoned-time.js';

/** Time as sessions read it (tests freeze it). */
export interface SessionsClock {
  now(): Date;
}

export const SYSTEM_SESSIONS_CLOCK: SessionsClock = { now: () => new Date() };

/** When a session starts: an instant, or a wall-clock time in a timezone (DST-correct). */
export type SessionStart =
  { readonly at: Date } | { readonly local: string; readonly timezone: string; readonly preferEarlier?: boolean };

export interface ScheduleSessionInput {
  readonly start: SessionStart;
  readonly durationMinutes: number;
  readonly modality: SessionModality;
  readonly kind: SessionKind;
  /** The participant of an individual session. */
  readonly individualClientId?: string | null;
  /** Default: the caller. Must be on the care team. */
  readonly counselorMembershipId?: string | null;
}

export interface SessionLocalTime {
  readonly clientId: string | null;
  readonly timezone: string;
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface SessionEventView {
  readonly kind: SessionEventKind;
  readonly fromStatus: SessionStatus | null;
  readonly toStatus: SessionStatus;
  readonly fromStartsAt: Date | null;
  readonly fromEndsAt: Date | null;
  readonly toStartsAt: Date;
  readonly toEndsAt: Date;
  readonly at: Date;
  readonly byMembershipId: string;
}

export interface AttendanceView {
  readonly clientId: string;
  readonly attendance: AttendanceStatus;
  readonly recordedAt: Date;
  readonly recordedByMembershipId: string;
}

export interface SessionView {
  readonly id: string;
  readonly caseId: string;
  readonly counselorMembershipId: string;
  readonly kind: SessionKind;
  readonly individualClientId: string | null;
  readonly modality: SessionModality;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly durationMinutes: number;
  readonly status: SessionStatus;
  readonly statusChangedAt: Date;
  /** The session in the clinic's timezone and in each participant's own (a participant: their own only). */
  readonly localTimes: readonly SessionLocalTime[];
  /** Care team only (a participant sees their own row). */
  readonly attendance: readonly AttendanceView[];
  readonly history: readonly SessionEventView[];
}

interface SessionRow {
  id: string;
  case_id: string;
  counselor_membership_id: string;
  kind: SessionKind;
  individual_client_id: string | null;
  modality: SessionModality;
  starts_at: Date;
  ends_at: Date;
  status: SessionStatus;
  status_changed_at: Date;
}

const COLUMNS = `id, case_id, counselor_membership_id, kind, individual_client_id, modality, starts_at, ends_at, status,
  status_changed_at`;

const EXCLUSION_VIOLATION = '23P01';

/** Whether a viewer sees a session: the care team all; a participant joint sessions and their own individual ones. */
export function seesSession(
  viewer: CaseViewer,
  session: { kind: SessionKind; individual_client_id: string | null },
): boolean {
  if (viewer.kind === 'care_team') return true;
  if (viewer.kind !== 'participant') return false;
  return session.kind === 'joint' || session.individual_client_id?.toLowerCase() === viewer.clientId.toLowerCase();
}

async function audit(
  tx: TenantTransaction,
  viewer: CaseViewer,
  action: string,
  targetId: string,
  metadata: AuditMetadata = {},
): Promise<void> {
  await recordAudit(tx, {
    action,
    targetType: 'session',
    targetId,
    actorUserId: viewer.principal.userId,
    actorMembershipId: viewer.principal.membershipId,
    metadata: { caseId: viewer.case.caseId, ...metadata },
  });
}

/**
 * Therapy sessions of a case (clinical.md §4.4, §5.1): scheduling (joint or
 * individual), reschedules with their history, status transitions (scheduled
 * -> completed / cancelled / no_show, dated), attendance per participant. A
 * counselor's sessions never overlap (409 naming the conflicting session; the
 * database's exclusion constraint backs the check against races).
 */
export class SessionService {
  constructor(private readonly clock: SessionsClock = SYSTEM_SESSIONS_CLOCK) {}

  async schedule(tx: TenantTransaction, viewer: CaseViewer, input: ScheduleSessionInput): Promise<SessionView> {
    const caseId = viewer.case.caseId;
    assertCaseOpen(viewer);
    const counselor = input.counselorMembershipId ?? viewer.principal.membershipId;
    if (!viewer.case.careTeam.some((member) => member.membershipId.toLowerCase() === counselor.toLowerCase())) {
      throw new SessionsError(
        SessionsErrorCode.CounselorNotOnCareTeam,
        422,
        "The session's counselor must be on the case's care team",
        [{ field: 'counselorMembershipId', rule: 'care_team', message: 'must be on the care team of the case' }],
      );
    }
    let individualClientId: string | null = null;
    if (input.kind === 'individual') {
      const clientId = input.individualClientId ?? null;
      const participant =
        clientId === null
          ? undefined
          : viewer.case.participants.find((p) => p.clientId.toLowerCase() === clientId.toLowerCase());
      if (participant === undefined) {
        throw new SessionsError(SessionsErrorCode.NotAParticipant, 422, 'An individual session is with a participant', [
          { field: 'individualClientId', rule: 'participant', message: 'must be a participant of the case' },
        ]);
      }
      individualClientId = participant.clientId;
      // An individual channel inside a multi-participant case opens only under a signed secrets policy.
      if (viewer.case.participants.length > 1) await assertIndividualChannelsOpen(tx, caseId);
    } else if (input.individualClientId !== undefined && input.individualClientId !== null) {
      throw new SessionsError(SessionsErrorCode.NotAParticipant, 422, 'A joint session names no individual client', [
        { field: 'individualClientId', rule: 'absent', message: 'must be absent for a joint session' },
      ]);
    }
    const startsAt = resolveStart(input.start);
    const endsAt = new Date(startsAt.getTime() + input.durationMinutes * 60_000);
    const id = randomUUID();
    const now = this.clock.now();
    await this.withoutConflict(tx, counselor, startsAt, endsAt, null, () =>
      tx.query(
        `insert into therapy_sessions (clinic_id, id, case_id, counselor_membership_id, kind, individual_client_id,
                                       modality, starts_at, ends_at, status, status_changed_at,
                                       created_by_membership_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'scheduled', $10, $11, $10, $10)`,
        [
          tx.clinicId,
          id,
          caseId,
          counselor,
          input.kind,
          individualClientId,
          input.modality,
          startsAt,
          endsAt,
          now,
          viewer.principal.membershipId,
        ],
      ),
    );
    await this.event(tx, id, 'scheduled', null, 'scheduled', null, { startsAt, endsAt }, viewer, now);
    await audit(tx, viewer, 'session.schedule', id, { kind: input.kind, modality: input.modality });
    return this.view(tx, viewer, await this.row(tx, caseId, id));
  }

  async list(tx: TenantTransaction, viewer: CaseViewer): Promise<SessionView[]> {
    const rows = await tx.query<SessionRow>(
      `select ${COLUMNS} from therapy_sessions where clinic_id = $1 and case_id = $2 order by starts_at, id`,
      [tx.clinicId, viewer.case.caseId],
    );
    const visible = rows.filter((row) => seesSession(viewer, row));
    await recordAudit(tx, {
      action: 'session.list',
      targetType: 'case',
      targetId: viewer.case.caseId,
      actorUserId: viewer.principal.userId,
      actorMembershipId: viewer.principal.membershipId,
      metadata: { caseId: viewer.case.caseId, entries: visible.length },
    });
    return this.views(tx, viewer, visible);
  }

  async get(tx: TenantTransaction, viewer: CaseViewer, sessionId: string): Promise<SessionView> {
    const row = await this.visibleRow(tx, viewer, sessionId);
    await audit(tx, viewer, 'session.read', sessionId);
    return this.view(tx, viewer, row);
  }

  async reschedule(
    tx: TenantTransaction,
    viewer: CaseViewer,
    sessionId: string,
    input: { readonly start: SessionStart; readonly durationMinutes?: number },
  ): Promise<SessionView> {
    const row = await this.visibleRow(tx, viewer, sessionId, true);
    assertScheduled(row);
    assertCaseOpen(viewer);
    const startsAt = resolveStart(input.start);
    const minutes = input.durationMinutes ?? Math.round((row.ends_at.getTime() - row.starts_at.getTime()) / 60_000);
    const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
    const now = this.clock.now();
    await this.withoutConflict(tx, row.counselor_membership_id, startsAt, endsAt, row.id, () =>
      tx.query(
        `update therapy_sessions set starts_at = $3, ends_at = $4, updated_at = $5 where clinic_id = $1 and id = $2`,
        [tx.clinicId, row.id, startsAt, endsAt, now],
      ),
    );
    await this.event(
      tx,
      row.id,
      'rescheduled',
      row.status,
      row.status,
      { startsAt: row.starts_at, endsAt: row.ends_at },
      { startsAt, endsAt },
      viewer,
      now,
    );
    await audit(tx, viewer, 'session.reschedule', row.id);
    return this.view(tx, viewer, await this.row(tx, viewer.case.caseId, row.id));
  }

  async changeStatus(
    tx: TenantTransaction,
    viewer: CaseViewer,
    sessionId: string,
    status: SessionFinalStatus,
  ): Promise<SessionView> {
    const row = await this.visibleRow(tx, viewer, sessionId, true);
    assertScheduled(row);
    const now = this.clock.now();
    await tx.query(
      `update therapy_sessions set status = $3, status_changed_at = $4, updated_at = $4 where clinic_id = $1 and id = $2`,
      [tx.clinicId, row.id, status, now],
    );
    const times = { startsAt: row.starts_at, endsAt: row.ends_at };
    await this.event(tx, row.id, status, row.status, status, times, times, viewer, now);
    await audit(tx, viewer, 'session.status_change', row.id, { fromStatus: row.status, toStatus: status });
    return this.view(tx, viewer, await this.row(tx, viewer.case.caseId, row.id));
  }

  async recordAttendance(
    tx: TenantTransaction,
    viewer: CaseViewer,
    sessionId: string,
    entries: readonly { readonly clientId: string; readonly attendance: AttendanceStatus }[],
  ): Promise<SessionView> {
    const row = await this.visibleRow(tx, viewer, sessionId, true);
    const allowed =
      row.kind === 'individual'
        ? [row.individual_client_id as string]
        : viewer.case.participants.map((participant) => participant.clientId);
    const now = this.clock.now();
    for (const entry of entries) {
      const clientId = allowed.find((candidate) => candidate.toLowerCase() === entry.clientId.toLowerCase());
      if (clientId === undefined) {
        throw new SessionsError(
          SessionsErrorCode.NotAParticipant,
          422,
          'Attendance is recorded for participants of the session',
          [{ field: 'entries.clientId', rule: 'participant', message: 'must be a participant of the session' }],
        );
      }
      await tx.query(
        `insert into therapy_session_attendance (clinic_id, session_id, client_id, attendance, recorded_at, recorded_by_membership_id)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (clinic_id, session_id, client_id)
         do update set attendance = excluded.attendance, recorded_at = excluded.recorded_at,
                       recorded_by_membership_id = excluded.recorded_by_membership_id`,
        [tx.clinicId, row.id, clientId, entry.attendance, now, viewer.principal.membershipId],
      );
    }
    await audit(tx, viewer, 'session.attendance', row.id, { entries: entries.length });
    return this.view(tx, viewer, row);
  }

  /** The session row if the viewer may see it; 404 otherwise (an individual session of another participant). */
  async visibleRow(
    tx: TenantTransaction,
    viewer: CaseViewer,
    sessionId: string,
    forUpdate = false,
  ): Promise<SessionRow> {
    const row = await this.row(tx, viewer.case.caseId, sessionId, forUpdate);
    if (!seesSession(viewer, row)) throw sessionNotFound();
    return row;
  }

  private async row(tx: TenantTransaction, caseId: string, sessionId: string, forUpdate = false): Promise<SessionRow> {
    const [row] = await tx.query<SessionRow>(
      `select ${COLUMNS} from therapy_sessions where clinic_id = $1 and case_id = $2 and id = $3${forUpdate ? ' for update' : ''}`,
      [tx.clinicId, caseId, sessionId],
    );
    if (row === undefined) throw sessionNotFound();
    return row;
  }

  /**
   * Runs the write inside a savepoint: an overlap (found first, or raised by the
   * exclusion constraint when two requests race) becomes a 409 naming the
   * conflicting session, and the transaction stays usable.
   */
  private async withoutConflict(
    tx: TenantTransaction,
    counselor: string,
    startsAt: Date,
    endsAt: Date,
    ignoreId: string | null,
    write: () => Promise<unknown>,
  ): Promise<void> {
    // Bookings of one counselor take turns (until commit), so the check below sees every earlier booking.
    // Unserialized, two requests that both passed it inserted at once, and PostgreSQL's exclusion check, each
    // waiting for the other's uncommitted row, could end in "deadlock detected" (40P01): a 500, not a 409.
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`mend.counselor-sessions:${counselor}`]);
    const conflict = await this.conflicting(tx, counselor, startsAt, endsAt, ignoreId);
    if (conflict !== null) throw conflictError(conflict);
    await tx.query('savepoint therapy_session_write');
    try {
      await write();
    } catch (error) {
      if ((error as { code?: string }).code !== EXCLUSION_VIOLATION) throw error;
      await tx.query('rollback to savepoint therapy_session_write');
      const raced = await this.conflicting(tx, counselor, startsAt, endsAt, ignoreId);
      throw conflictError(raced ?? { id: null, starts_at: startsAt, ends_at: endsAt });
    }
    await tx.query('release savepoint therapy_session_write');
  }

  private async conflicting(
    tx: TenantTransaction,
    counselor: string,
    startsAt: Date,
    endsAt: Date,
    ignoreId: string | null,
  ): Promise<{ id: string | null; starts_at: Date; ends_at: Date } | null> {
    const [row] = await tx.query<{ id: string; starts_at: Date; ends_at: Date }>(
      `select id, starts_at, ends_at from therapy_sessions
        where clinic_id = $1 and counselor_membership_id = $2 and status <> 'cancelled'
          and tstzrange(starts_at, ends_at, '[)') && tstzrange($3, $4, '[)')
          and ($5::uuid is null or id <> $5::uuid)
        order by starts_at limit 1`,
      [tx.clinicId, counselor, startsAt, endsAt, ignoreId],
    );
    return row ?? null;
  }

  private async event(
    tx: TenantTransaction,
    sessionId: string,
    kind: SessionEventKind,
    fromStatus: SessionStatus | null,
    toStatus: SessionStatus,
    from: { startsAt: Date; endsAt: Date } | null,
    to: { startsAt: Date; endsAt: Date },
    viewer: CaseViewer,
    at: Date,
  ): Promise<void> {
    await tx.query(
      `insert into therapy_session_events (clinic_id, id, session_id, kind, from_status, to_status, from_starts_at,
                                           from_ends_at, to_starts_at, to_ends_at, at, by_membership_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        tx.clinicId,
        randomUUID(),
        sessionId,
        kind,
        fromStatus,
        toStatus,
        from?.startsAt ?? null,
        from?.endsAt ?? null,
        to.startsAt,
        to.endsAt,
        at,
        viewer.principal.membershipId,
      ],
    );
  }

  private async view(tx: TenantTransaction, viewer: CaseViewer, row: SessionRow): Promise<SessionView> {
    const [view] = await this.views(tx, viewer, [row]);
    return view;
  }

  /** The views of sessions of one case: three statements whatever their number (zones, attendance, history). */
  private async views(tx: TenantTransaction, viewer: CaseViewer, rows: readonly SessionRow[]): Promise<SessionView[]> {
    if (rows.length === 0) return [];
    const zones = await tx.query<{ client_id: string | null; timezone: string }>(
      `select null::uuid as client_id, k.timezone from clinics k where k.id = $1
       union all
       select c.id, coalesce(c.timezone, k.timezone) from case_participants p
         join clients c on c.clinic_id = p.clinic_id and c.id = p.client_id
         join clinics k on k.id = p.clinic_id
        where p.clinic_id = $1 and p.case_id = $2`,
      [tx.clinicId, viewer.case.caseId],
    );
    const sessionIds = rows.map((row) => row.id);
    const attendanceRows = await tx.query<{
      session_id: string;
      client_id: string;
      attendance: AttendanceStatus;
      recorded_at: Date;
      recorded_by_membership_id: string;
    }>(
      `select session_id, client_id, attendance, recorded_at, recorded_by_membership_id from therapy_session_attendance
        where clinic_id = $1 and session_id = any($2::uuid[]) order by session_id, client_id`,
      [tx.clinicId, sessionIds],
    );
    const historyRows = await tx.query<{
      session_id: string;
      kind: SessionEventKind;
      from_status: SessionStatus | null;
      to_status: SessionStatus;
      from_starts_at: Date | null;
      from_ends_at: Date | null;
      to_starts_at: Date;
      to_ends_at: Date;
      at: Date;
      by_membership_id: string;
    }>(
      `select session_id, kind, from_status, to_status, from_starts_at, from_ends_at, to_starts_at, to_ends_at, at,
              by_membership_id
         from therapy_session_events where clinic_id = $1 and session_id = any($2::uuid[]) order by session_id, seq`,
      [tx.clinicId, sessionIds],
    );
    const group = <T extends { session_id: string }>(items: readonly T[]): Map<string, T[]> => {
      const bySession = new Map<string, T[]>();
      for (const item of items) bySession.set(item.session_id, [...(bySession.get(item.session_id) ?? []), item]);
      return bySession;
    };
    const attendanceBySession = group(attendanceRows);
    const historyBySession = group(historyRows);
    const ownClient = viewer.kind === 'participant' ? viewer.clientId.toLowerCase() : null;
    return rows.map((row) => ({
      id: row.id,
      caseId: row.case_id,
      counselorMembershipId: row.counselor_membership_id,
      kind: row.kind,
      individualClientId: row.individual_client_id,
      modality: row.modality,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      durationMinutes: Math.round((row.ends_at.getTime() - row.starts_at.getTime()) / 60_000),
      status: row.status,
      statusChangedAt: row.status_changed_at,
      localTimes: zones
        .filter((zone) =>
          ownClient === null
            ? row.kind === 'joint' || zone.client_id === null || zone.client_id === row.individual_client_id
            : zone.client_id?.toLowerCase() === ownClient,
        )
        .map((zone) => ({
          clientId: zone.client_id,
          timezone: zone.timezone ?? 'UTC',
          startsAt: toZonedIso(row.starts_at, zone.timezone ?? 'UTC'),
          endsAt: toZonedIso(row.ends_at, zone.timezone ?? 'UTC'),
        })),
      attendance: (attendanceBySession.get(row.id) ?? [])
        .filter((entry) => ownClient === null || entry.client_id.toLowerCase() === ownClient)
        .map((entry) => ({
          clientId: entry.client_id,
          attendance: entry.attendance,
          recordedAt: entry.recorded_at,
          recordedByMembershipId: entry.recorded_by_membership_id,
        })),
      history: (historyBySession.get(row.id) ?? []).map((event) => ({
        kind: event.kind,
        fromStatus: event.from_status,
        toStatus: event.to_status,
        fromStartsAt: event.from_starts_at,
        fromEndsAt: event.from_ends_at,
        toStartsAt: event.to_starts_at,
        toEndsAt: event.to_ends_at,
        at: event.at,
        byMembershipId: event.by_membership_id,
      })),
    }));
  }
}

function resolveStart(start: SessionStart): Date {
  if ('at' in start) return start.at;
  const resolved = resolveLocalTime(start.local, start.timezone, start.preferEarlier === true);
  if (resolved.ok) return resolved.instant;
  if (resolved.reason === 'nonexistent') {
    throw new SessionsError(
      SessionsErrorCode.LocalTimeNonexistent,
      422,
      'That local time does not exist in the timezone (the clocks skip it for daylight saving time)',
      [{ field: 'startsAtLocal', rule: 'exists', message: 'is skipped by a daylight-saving change' }],
    );
  }
  if (resolved.reason === 'ambiguous') {
    throw new SessionsError(
      SessionsErrorCode.LocalTimeAmbiguous,
      422,
      'That local time happens twice in the timezone (daylight saving time ends); set preferEarlier or give startsAt',
      [{ field: 'startsAtLocal', rule: 'unambiguous', message: 'happens twice on that day' }],
    );
  }
  throw new SessionsError(SessionsErrorCode.LocalTimeNonexistent, 400, 'startsAtLocal/timezone are not valid', [
    { field: 'timezone', rule: 'timezone', message: 'must be a known IANA timezone with a valid local time' },
  ]);
}

function assertCaseOpen(viewer: CaseViewer): void {
  if (viewer.case.status === 'closed') {
    throw new SessionsError(SessionsErrorCode.CaseClosed, 422, 'The case is closed: no session is scheduled or moved');
  }
}

function assertScheduled(row: SessionRow): void {
  if (row.status !== 'scheduled') {
    throw new SessionsError(
      SessionsErrorCode.SessionNotScheduled,
      422,
      `The session is ${row.status}: only a scheduled session is rescheduled or changes status`,
    );
  }
}

function conflictError(conflict: { id: string | null; starts_at: Date; ends_at: Date }): SessionsError {
  return new SessionsError(
    SessionsErrorCode.SessionConflict,
    409,
    conflict.id === null
      ? 'The counselor already has a session at that time'
      : `The counselor already has session ${conflict.id} from ${conflict.starts_at.toISOString()} to ${conflict.ends_at.toISOString()}`,
    [{ field: 'startsAt', rule: 'no_overlap', message: `overlaps session ${conflict.id ?? 'unknown'}` }],
  );
}
