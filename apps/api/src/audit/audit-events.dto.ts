import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

import {
  AUDIT_OUTCOMES,
  AUDIT_QUERY_DEFAULT_LIMIT,
  AUDIT_QUERY_MAX_LIMIT,
  type AuditEventView,
  type AuditOutcome,
} from '@mend/audit';

/** The query string of `GET /audit-events`: an allow-list (any other parameter is a 400). */
export class AuditEventsQuery {
  @ApiPropertyOptional({ example: 'membership', description: 'Kind of record acted on' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'targetType must be a lower-case identifier' })
  targetType?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Id of the record acted on' })
  @IsOptional()
  @IsUUID()
  targetId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The user who acted' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string;

  @ApiPropertyOptional({
    example: 'auth.*',
    description: 'An exact action (`auth.login`) or a prefix ending in `*` (`auth.*`, `audit.*`)',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_.-]{0,79}\*?$/, { message: 'action must be an action code, or a prefix followed by *' })
  action?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive lower bound of occurredAt' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Exclusive upper bound of occurredAt (a month: from its first day to the next month’s). 422 before `from`',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_QUERY_MAX_LIMIT, default: AUDIT_QUERY_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_QUERY_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    example: '1042',
    description: 'Keyset cursor: rows older than this seq (the `nextBefore` of the previous page)',
  })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,18}$/, { message: 'before must be a sequence number' })
  before?: string;
}

export class AuditEventResponse {
  @ApiProperty({ example: '1042', description: 'Order of insertion in the clinic (gaps are normal)' }) seq: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'auth.login' }) action: string;
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome: AuditOutcome;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null: an operator (CLI) or anonymous' })
  actorUserId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorMembershipId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'membership' }) targetType: string | null;
  @ApiProperty({ nullable: true, type: String }) targetId: string | null;
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The X-Request-Id of the request that did it' })
  correlationId: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Ids, codes and small numbers only (never clinical text, names, emails or secrets)',
  })
  metadata: Record<string, unknown>;
}

export class AuditEventPageResponse {
  @ApiProperty({ type: [AuditEventResponse], description: 'Newest first' }) items: AuditEventResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `before` for the next page; null on the last' })
  nextBefore: string | null;
}

export function toAuditEventResponse(event: AuditEventView): AuditEventResponse {
  return { ...event, occurredAt: event.occurredAt.toISOString() };
}
