import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import {
  ATTENDANCE_STATUSES,
  SESSION_EVENT_KINDS,
  SESSION_FINAL_STATUSES,
  SESSION_KINDS,
  SESSION_MAX_MINUTES,
  SESSION_MIN_MINUTES,
  SESSION_MODALITIES,
  SESSION_STATUSES,
  type AttendanceStatus,
  type SessionEventKind,
  type SessionFinalStatus,
  type SessionKind,
  type SessionModality,
  type SessionStatus,
} from '@mend/sessions';

export class SessionCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class SessionParams extends SessionCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sessionId: string;
}

const START_DESCRIPTION =
  'Give either startsAt (an instant) or startsAtLocal + timezone (wall-clock time in an IANA zone, resolved with its ' +
  'daylight-saving rules; a skipped time is 422 `local_time_nonexistent`, a repeated one 422 `local_time_ambiguous` ' +
  'unless preferEarlier).';

export class SessionStartFields {
  @ApiPropertyOptional({ format: 'date-time', description: START_DESCRIPTION })
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string;

  @ApiPropertyOptional({ example: '2026-03-09T10:00', description: 'Local wall-clock time (YYYY-MM-DDTHH:mm)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
  startsAtLocal?: string;

  @ApiPropertyOptional({ example: 'America/Chicago', description: 'IANA timezone of startsAtLocal' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timezone?: string;

  @ApiPropertyOptional({ description: 'For a local time that happens twice (fall back): take the first' })
  @IsOptional()
  @IsBoolean()
  preferEarlier?: boolean;
}

export class ScheduleSessionRequest extends SessionStartFields {
  @ApiProperty({ minimum: SESSION_MIN_MINUTES, maximum: SESSION_MAX_MINUTES })
  @IsInt()
  @Min(SESSION_MIN_MINUTES)
  @Max(SESSION_MAX_MINUTES)
  durationMinutes: number;

  @ApiProperty({ enum: SESSION_MODALITIES })
  @IsIn(SESSION_MODALITIES)
  modality: SessionModality;

  @ApiProperty({ enum: SESSION_KINDS })
  @IsIn(SESSION_KINDS)
  kind: SessionKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'The participant of an individual session' })
  @IsOptional()
  @IsUUID()
  individualClientId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Default: the caller; must be on the care team' })
  @IsOptional()
  @IsUUID()
  counselorMembershipId?: string;
}

export class RescheduleSessionRequest extends SessionStartFields {
  @ApiPropertyOptional({ minimum: SESSION_MIN_MINUTES, maximum: SESSION_MAX_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(SESSION_MIN_MINUTES)
  @Max(SESSION_MAX_MINUTES)
  durationMinutes?: number;
}

export class ChangeSessionStatusRequest {
  @ApiProperty({ enum: SESSION_FINAL_STATUSES })
  @IsIn(SESSION_FINAL_STATUSES)
  status: SessionFinalStatus;
}

export class AttendanceEntryRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  attendance: AttendanceStatus;
}

export class RecordAttendanceRequest {
  @ApiProperty({ type: [AttendanceEntryRequest] })
  @ValidateNested({ each: true })
  @Type(() => AttendanceEntryRequest)
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  entries: AttendanceEntryRequest[];
}

export class SessionLocalTimeResponse {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: the clinic' })
  clientId: string | null;
  @ApiProperty() timezone: string;
  @ApiProperty({ example: '2026-03-09T10:00:00-05:00' }) startsAt: string;
  @ApiProperty({ example: '2026-03-09T10:50:00-05:00' }) endsAt: string;
}

export class AttendanceResponse {
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) attendance: AttendanceStatus;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ format: 'uuid' }) recordedByMembershipId: string;
}

export class SessionEventResponse {
  @ApiProperty({ enum: SESSION_EVENT_KINDS }) kind: SessionEventKind;
  @ApiProperty({ enum: SESSION_STATUSES, nullable: true }) fromStatus: SessionStatus | null;
  @ApiProperty({ enum: SESSION_STATUSES }) toStatus: SessionStatus;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) fromStartsAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) fromEndsAt: string | null;
  @ApiProperty({ format: 'date-time' }) toStartsAt: string;
  @ApiProperty({ format: 'date-time' }) toEndsAt: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid' }) byMembershipId: string;
}

export class SessionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) counselorMembershipId: string;
  @ApiProperty({ enum: SESSION_KINDS }) kind: SessionKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) individualClientId: string | null;
  @ApiProperty({ enum: SESSION_MODALITIES }) modality: SessionModality;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty() durationMinutes: number;
  @ApiProperty({ enum: SESSION_STATUSES }) status: SessionStatus;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiProperty({ type: [SessionLocalTimeResponse] }) localTimes: SessionLocalTimeResponse[];
  @ApiProperty({ type: [AttendanceResponse] }) attendance: AttendanceResponse[];
  @ApiProperty({ type: [SessionEventResponse] }) history: SessionEventResponse[];
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionResponse] }) sessions: SessionResponse[];
}

export class CalendarFeedIssuedResponse {
  @ApiProperty({
    description:
      'The private feed URL, shown once. It carries a secret token (the one URL in Mend that does): whoever has it ' +
      'sees your session times. Revoke it with DELETE /me/calendar-feed.',
  })
  url: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CalendarFeedStatusResponse {
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) createdAt: string | null;
}

export class CalendarFeedParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clinicId: string;
}

export class CalendarFeedQuery {
  @ApiProperty({
    description:
      'The secret feed token. In the query string (never the path) so request logs, which drop query strings, ' +
      'never record it.',
  })
  @IsString()
  @Length(1, 100)
  token: string;
}
