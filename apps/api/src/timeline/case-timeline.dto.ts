import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

export const TIMELINE_DEFAULT_LIMIT = 100;
export const TIMELINE_MAX_LIMIT = 500;

export class CaseIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

/** The query string of `GET /cases/:caseId/timeline` (any other parameter is a 400). */
export class CaseTimelineQuery {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page: entries older than it' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'before must be a cursor returned by a previous page' })
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: TIMELINE_MAX_LIMIT, default: TIMELINE_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(TIMELINE_MAX_LIMIT)
  limit?: number;
}

export class CaseTimelineEntryResponse {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({
    example: 'plan.phase_changed',
    description:
      'case.status_changed, plan.revised, plan.phase_changed, readiness.assessed, ledger.check_in, ledger.response, boundary.event, disclosure.made',
  })
  kind: string;
  @ApiProperty({ description: 'Id of the underlying record' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorMembershipId: string | null;
  @ApiProperty({ description: 'A content-free label' }) summary: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Ids and codes of the record' })
  refs: Record<string, string | number | null>;
}

export class CaseTimelinePageResponse {
  @ApiProperty({ type: [CaseTimelineEntryResponse] }) entries: CaseTimelineEntryResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `before` for older entries' })
  nextCursor: string | null;
}
