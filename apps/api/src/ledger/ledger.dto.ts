import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

import {
  CHECK_IN_RESPONSES,
  CHECK_IN_STATUSES,
  LEDGER_RECORDER_KINDS,
  NOTE_MAX_LENGTH,
  type CheckInResponseKind,
  type CheckInStatus,
  type LedgerRecorderKind,
} from '@mend/repair-plans';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export class LedgerCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class CheckInParams extends LedgerCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  checkInId: string;
}

export class LedgerQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this commitment' })
  @IsOptional()
  @IsUUID()
  commitmentId?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Entries that occurred on or after this date' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'from must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Entries that occurred on or before this date' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'to must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  to?: string;
}

export class RecordCheckInRequest {
  @ApiProperty({ format: 'uuid', description: 'The commitment of the repair plan' })
  @IsUUID()
  commitmentId: string;

  @ApiProperty({ enum: CHECK_IN_STATUSES })
  @IsIn(CHECK_IN_STATUSES)
  status: CheckInStatus;

  @ApiProperty({
    format: 'date',
    example: '2026-05-28',
    description: "The participant's local day; not after today in their timezone (422 `occurred_on_in_future`)",
  })
  @Matches(DATE_ONLY, { message: 'occurredOn must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  occurredOn: string;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, NOTE_MAX_LENGTH)
  note?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The participant the check-in is about: required when the care team records on their behalf; a participant ' +
      'may only name themselves (422 `check_in_not_own`)',
  })
  @IsOptional()
  @IsUUID()
  participantClientId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Corrects this earlier entry (same commitment and participant). Only the latest entry of a chain counts; an ' +
      'entry already corrected is 409 `check_in_already_corrected`',
  })
  @IsOptional()
  @IsUUID()
  correctsCheckInId?: string;
}

export class RespondRequest {
  @ApiProperty({ enum: CHECK_IN_RESPONSES })
  @IsIn(CHECK_IN_RESPONSES)
  response: CheckInResponseKind;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, NOTE_MAX_LENGTH)
  note?: string;
}

export class CheckInResponseResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) responderClientId: string;
  @ApiProperty({ format: 'uuid' }) respondedByMembershipId: string;
  @ApiProperty({ enum: CHECK_IN_RESPONSES }) response: CheckInResponseKind;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'date-time' }) respondedAt: string;
}

export class CheckInResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) commitmentId: string;
  @ApiProperty({ format: 'uuid' }) participantClientId: string;
  @ApiProperty({ enum: CHECK_IN_STATUSES }) status: CheckInStatus;
  @ApiProperty({ format: 'date' }) occurredOn: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) correctsCheckInId: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The entry correcting this one: this one no longer counts in the summary',
  })
  correctedByCheckInId: string | null;
  @ApiProperty({ format: 'uuid' }) recordedByMembershipId: string;
  @ApiProperty({ enum: LEDGER_RECORDER_KINDS }) recordedByKind: LedgerRecorderKind;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: [CheckInResponseResponse] }) responses: CheckInResponseResponse[];
}

export class LedgerEntriesResponse {
  @ApiProperty({ type: [CheckInResponse] }) entries: CheckInResponse[];
}

export class LedgerCountsResponse {
  @ApiProperty() kept: number;
  @ApiProperty() partlyKept: number;
  @ApiProperty() missed: number;
  @ApiProperty({ description: 'Counted entries another participant disputed (still counted as recorded)' })
  disputed: number;
}

export class LedgerWeekResponse extends LedgerCountsResponse {
  @ApiProperty({ example: '2026-W22' }) week: string;
  @ApiProperty({ format: 'date', description: 'Monday of the ISO week' }) weekStart: string;
}

export class CommitmentSummaryResponse {
  @ApiProperty({ format: 'uuid' }) commitmentId: string;
  @ApiProperty({ format: 'uuid' }) participantClientId: string;
  @ApiProperty({ type: LedgerCountsResponse }) totals: LedgerCountsResponse;
  @ApiProperty({ description: 'Consecutive kept entries at the end (partly kept and missed end a run)' })
  currentKeptRun: number;
  @ApiProperty() longestKeptRun: number;
  @ApiProperty({ format: 'date' }) firstOccurredOn: string;
  @ApiProperty({ format: 'date' }) lastOccurredOn: string;
  @ApiProperty({ type: [LedgerWeekResponse], description: 'Every ISO week from the first entry to the last' })
  weeks: LedgerWeekResponse[];
}

export class LedgerSummaryResponse {
  @ApiProperty({ type: [CommitmentSummaryResponse] }) commitments: CommitmentSummaryResponse[];
}
