import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';

import {
  NARRATIVE_MAX_LENGTH,
  REPORT_AUDIENCES,
  REPORT_KINDS,
  REPORT_PERIOD_MAX_DAYS,
  REPORT_STATUSES,
  type ReportAudience,
  type ReportKind,
  type ReportStatus,
} from '@mend/reports';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ReportPeriodRequest {
  @ApiProperty({ example: '2026-01-01', description: "First day (the clinic's timezone), YYYY-MM-DD" })
  @Matches(DATE, { message: 'start must be a date YYYY-MM-DD' })
  start: string;

  @ApiProperty({
    example: '2026-04-01',
    description: `Day after the last one (exclusive), YYYY-MM-DD: after start, at most ${REPORT_PERIOD_MAX_DAYS} days later, at most tomorrow`,
  })
  @Matches(DATE, { message: 'end must be a date YYYY-MM-DD' })
  end: string;
}

export class RequestReportRequest {
  @ApiProperty({ enum: REPORT_KINDS })
  @IsIn(REPORT_KINDS)
  kind: ReportKind;

  @ApiProperty({
    enum: REPORT_AUDIENCES,
    description:
      'case: care_team; client_summary: couple or partner (with audienceClientId); caseload: counselor; ' +
      'clinic: clinic (clinic admins) or supervisor (a supervisor: the breakdown holds their supervisees)',
  })
  @IsIn(REPORT_AUDIENCES)
  audience: ReportAudience;

  @ApiProperty({ type: ReportPeriodRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ReportPeriodRequest)
  period: ReportPeriodRequest;

  @ApiPropertyOptional({ format: 'uuid', description: 'case and client_summary: the case' })
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'client_summary for one partner: the participant (client id)' })
  @IsOptional()
  @IsUUID()
  audienceClientId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'caseload: the counselor (default: yourself)' })
  @IsOptional()
  @IsUUID()
  counselorMembershipId?: string;

  @ApiPropertyOptional({
    maxLength: NARRATIVE_MAX_LENGTH,
    description: "case and client_summary: the counselor's narrative for this audience (encrypted at rest)",
  })
  @IsOptional()
  @IsString()
  @Length(1, NARRATIVE_MAX_LENGTH)
  narrative?: string;
}

export class ReportParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  reportId: string;
}

export class ReportFileParams extends ReportParams {
  @ApiProperty({ example: 'report.pdf', description: 'report.pdf, report.json, or a CSV table named in `files`' })
  @Matches(/^[a-z][a-z0-9-]{0,60}[.](pdf|json|csv)$/)
  fileName: string;
}

export class ReportSectionsQuery {
  @ApiProperty({ enum: REPORT_KINDS })
  @IsIn(REPORT_KINDS)
  kind: ReportKind;

  @ApiProperty({ enum: REPORT_AUDIENCES })
  @IsIn(REPORT_AUDIENCES)
  audience: ReportAudience;
}

export class ReportFileResponse {
  @ApiProperty({ example: 'report.pdf' }) name: string;
  @ApiProperty({ example: 'application/pdf' }) mediaType: string;
  @ApiProperty() byteSize: number;
  @ApiProperty({ description: 'sha256 of the file (hex), also sent as the ETag of the download' }) sha256: string;
}

export class ReportPeriodResponse {
  @ApiProperty() start: string;
  @ApiProperty({ description: 'Exclusive' }) end: string;
  @ApiProperty() timezone: string;
}

export class ReportResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REPORT_KINDS }) kind: ReportKind;
  @ApiProperty({ enum: REPORT_AUDIENCES }) audience: ReportAudience;
  @ApiProperty({ type: ReportPeriodResponse }) period: ReportPeriodResponse;
  @ApiProperty({ format: 'date-time', description: 'Rows recorded after this instant are not read' }) asOf: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) audienceClientId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) counselorMembershipId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) requestedByMembershipId: string | null;
  @ApiProperty({ description: 'A scheduled report (monthly clinic report, weekly caseload digest)' })
  scheduled: boolean;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ description: 'Build attempts (a build interrupted by a worker restart starts again)' })
  attempts: number;
  @ApiProperty({ nullable: true, type: String, example: 'build_failed' }) errorCode: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ type: [ReportFileResponse] }) files: ReportFileResponse[];
}

export class ReportListResponse {
  @ApiProperty({ type: [ReportResponse] }) reports: ReportResponse[];
}

export class ReportSectionResponse {
  @ApiProperty({ example: 'measures' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() included: boolean;
  @ApiProperty({ description: 'What the section holds for this audience, or why it is left out' }) note: string;
}

export class ReportSectionsResponse {
  @ApiProperty({ enum: REPORT_KINDS }) kind: ReportKind;
  @ApiProperty({ enum: REPORT_AUDIENCES }) audience: ReportAudience;
  @ApiProperty({ type: [ReportSectionResponse] }) sections: ReportSectionResponse[];
  @ApiProperty({ description: 'Never in any report, whatever the audience' }) never: string[];
}
