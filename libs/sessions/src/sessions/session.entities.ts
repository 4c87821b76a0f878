import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type {
  AttendanceStatus,
  SessionEventKind,
  SessionKind,
  SessionModality,
  SessionStatus,
} from './session.types.js';

/**
 * A scheduled therapy session of a case (joint, or individual with one
 * participant). The exclusion constraint `therapy_sessions_no_double_booking`
 * (migration only) keeps a counselor's sessions that are not cancelled from
 * overlapping.
 */
@Entity({ name: 'therapy_sessions' })
@Index('therapy_sessions_case_idx', ['clinicId', 'caseId', 'startsAt'])
@Index('therapy_sessions_counselor_idx', ['clinicId', 'counselorMembershipId', 'startsAt'])
export class TherapySession {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') caseId: string;
  @Column('uuid') counselorMembershipId: string;
  @Column('text') kind: SessionKind;
  @Column('uuid', { nullable: true }) individualClientId: string | null;
  @Column('text') modality: SessionModality;
  @Column('timestamptz') startsAt: Date;
  @Column('timestamptz') endsAt: Date;
  @Column('text', { default: 'scheduled' }) status: SessionStatus;
  @Column('timestamptz', { default: () => 'now()' }) statusChangedAt: Date;
  @Column('uuid') createdByMembershipId: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** Dated history of a session: scheduling, each reschedule and each status change (append-only). */
@Entity({ name: 'therapy_session_events' })
@Index('therapy_session_events_session_idx', ['clinicId', 'sessionId', 'seq'])
export class TherapySessionEvent {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') sessionId: string;
  @Column('text') kind: SessionEventKind;
  @Column('text', { nullable: true }) fromStatus: SessionStatus | null;
  @Column('text') toStatus: SessionStatus;
  @Column('timestamptz', { nullable: true }) fromStartsAt: Date | null;
  @Column('timestamptz', { nullable: true }) fromEndsAt: Date | null;
  @Column('timestamptz') toStartsAt: Date;
  @Column('timestamptz') toEndsAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
  @Column('uuid') byMembershipId: string;
  /** Insertion order (events of one request share its clock time). */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' }) seq: string;
}

/** Attendance of one participant at a session. */
@Entity({ name: 'therapy_session_attendance' })
export class TherapySessionAttendance {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') sessionId: string;
  @PrimaryColumn('uuid') clientId: string;
  @Column('text') attendance: AttendanceStatus;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt: Date;
  @Column('uuid') recordedByMembershipId: string;
}

/** A counselor's private iCalendar feed: only the SHA-256 of its token is stored. */
@Entity({ name: 'calendar_feeds' })
@Index('calendar_feeds_token_idx', ['clinicId', 'tokenHash'], { unique: true })
export class CalendarFeed {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') membershipId: string;
  @Column('text') tokenHash: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}
