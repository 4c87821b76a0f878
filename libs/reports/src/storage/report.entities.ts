import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { ReportAudience, ReportKind, ReportStatus } from '../model/report.types.js';

/**
 * A requested report (migration 1764547300000): kind, audience, period of local
 * dates [periodStart, periodEnd) in `timezone`, the subject, the instant its
 * data is read as of, and the build's status and progress. `narrative` is
 * ciphertext (FieldEncryption).
 */
@Entity({ name: 'report_requests' })
@Index('report_requests_case_idx', ['clinicId', 'caseId', 'createdAt'])
@Index('report_requests_requested_by_idx', ['clinicId', 'requestedByMembershipId', 'createdAt'])
export class ReportRequest {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') kind: ReportKind;
  @Column('text') audience: ReportAudience;
  @Column('date') periodStart: string;
  @Column('date') periodEnd: string;
  @Column('text') timezone: string;
  @Column('timestamptz') asOf: Date;
  @Column('uuid', { nullable: true }) caseId: string | null;
  @Column('uuid', { nullable: true }) audienceClientId: string | null;
  @Column('uuid', { nullable: true }) counselorMembershipId: string | null;
  @Column('uuid', { nullable: true }) requestedByMembershipId: string | null;
  @Column('text', { nullable: true }) scheduleKey: string | null;
  @Column('text', { nullable: true }) narrative: string | null;
  @Column('text', { default: 'queued' }) status: ReportStatus;
  @Column('smallint', { default: 0 }) progress: number;
  @Column('integer', { default: 0 }) attempts: number;
  @Column('text', { nullable: true }) errorCode: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** A built file of a report: ciphertext of its bytes (base64), size and sha256 of the plaintext. Insert-only. */
@Entity({ name: 'report_artifacts' })
@Index('report_artifacts_name_idx', ['clinicId', 'reportId', 'name'], { unique: true })
export class ReportArtifact {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') reportId: string;
  @Column('text') name: string;
  @Column('text') mediaType: string;
  @Column('text') content: string;
  @Column('integer') byteSize: number;
  @Column('text') sha256: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}
