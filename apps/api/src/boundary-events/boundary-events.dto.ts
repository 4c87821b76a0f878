import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';

import {
  BOUNDARY_SEVERITIES,
  LEDGER_RECORDER_KINDS,
  NOTE_MAX_LENGTH,
  type BoundarySeverity,
  type LedgerRecorderKind,
} from '@mend/repair-plans';

export class BoundaryEventCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class BoundaryEventParams extends BoundaryEventCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  eventId: string;
}

export class RecordBoundaryEventRequest {
  @ApiProperty({ format: 'uuid', description: 'The boundary of the repair plan that was crossed' })
  @IsUUID()
  boundaryId: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When it happened; not in the future (422 `occurred_at_in_future`)',
  })
  @IsISO8601({ strict: true })
  occurredAt: string;

  @ApiProperty({ enum: BOUNDARY_SEVERITIES })
  @IsIn(BOUNDARY_SEVERITIES)
  severity: BoundarySeverity;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, description: 'The restorative response agreed' })
  @IsOptional()
  @IsString()
  @Length(1, NOTE_MAX_LENGTH)
  restorativeResponse?: string;
}

export class CompleteBoundaryEventRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the restorative response was completed (default now); not before the event, not in the future',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  completedAt?: string;
}

export class BoundaryEventResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) boundaryId: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ enum: BOUNDARY_SEVERITIES }) severity: BoundarySeverity;
  @ApiProperty({ nullable: true, type: String }) restorativeResponse: string | null;
  @ApiProperty({ format: 'uuid' }) reportedByMembershipId: string;
  @ApiProperty({ enum: LEDGER_RECORDER_KINDS }) reportedByKind: LedgerRecorderKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) reporterClientId: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty() completed: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) completedByMembershipId: string | null;
}

export class BoundaryEventListResponse {
  @ApiProperty({ type: [BoundaryEventResponse] }) events: BoundaryEventResponse[];
}
