import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** Optional but never null: absent leaves the setting as it is; null is refused (the column has no null). */
const PRESENT = (_: object, value: unknown): boolean => value !== undefined;

export class AlertCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class AlertParams extends AlertCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  alertId: string;
}

export class CheckInParams extends AlertCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  checkInId: string;
}

export class CountryParams {
  @ApiProperty({ example: 'US', description: 'ISO 3166-1 alpha-2 (UK is GB)' })
  @Matches(/^[A-Z]{2}$/)
  country: string;
}

export class AlertListQuery {
  @ApiPropertyOptional({ enum: ['open', 'acknowledged'] })
  @IsOptional()
  @IsIn(['open', 'acknowledged'])
  status?: 'open' | 'acknowledged';

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class CrisisResourcesQuery {
  @ApiPropertyOptional({
    example: 'GB',
    description: "Default: the caller's own country (a client: from their timezone), else the clinic's",
  })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/)
  country?: string;
}

export class RaiseAlertRequest {
  @ApiProperty({ enum: [1, 2, 3] })
  @IsIn([1, 2, 3])
  tier: 1 | 2 | 3;

  @ApiPropertyOptional({ format: 'uuid', description: 'The participant the alert is about' })
  @IsOptional()
  @IsUUID()
  subjectClientId?: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Why (clinical text: encrypted, shown only in the alert detail)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class OfferCheckInRequest {
  @ApiProperty({ format: 'uuid', description: 'The participant who gets the check-in on their own account' })
  @IsUUID()
  clientId: string;
}

export class RespondCheckInRequest {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' }, example: { afraid: false } })
  @IsObject()
  answers: Record<string, boolean>;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  openText?: string;
}

export class CheckInQuestionDto {
  @ApiProperty({ example: 'afraid' })
  @Matches(/^[a-z][a-z0-9_]{0,39}$/)
  id: string;

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  text: string;

  @ApiProperty({ enum: ['yes_no', 'open_text'] })
  @IsIn(['yes_no', 'open_text'])
  kind: 'yes_no' | 'open_text';
}

export class UpdateSafetySettingsRequest {
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'A staff member; unacknowledged tier-1 alerts escalate to them',
  })
  @IsOptional()
  @IsUUID()
  escalationMembershipId?: string | null;

  @ApiPropertyOptional({ minimum: 5, maximum: 240 })
  @IsOptional()
  @IsInt()
  escalationDelayMinutes?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 2, description: 'PHQ-9 item 9 at or above: tier 1' })
  @IsOptional()
  @IsInt()
  phq9Item9Tier1Min?: number;

  @ApiPropertyOptional({ minimum: 10, maximum: 20, description: 'PHQ-9 total at or above: tier 2' })
  @IsOptional()
  @IsInt()
  phq9TotalTier2Min?: number;

  @ApiPropertyOptional({ minimum: 2, maximum: 5 })
  @IsOptional()
  @IsInt()
  boundaryBreachCount?: number;

  @ApiPropertyOptional({ minimum: 7, maximum: 30 })
  @IsOptional()
  @IsInt()
  boundaryBreachWindowDays?: number;

  @ApiPropertyOptional({ example: 'US' })
  @ValidateIf(PRESENT)
  @Matches(/^[A-Z]{2}$/)
  defaultCountry?: string;

  @ApiPropertyOptional({ type: [CheckInQuestionDto], nullable: true, description: "null: Mend's default check-in" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CheckInQuestionDto)
  checkInQuestions?: CheckInQuestionDto[] | null;
}

export class CrisisResourceDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  contact: string;

  @ApiProperty({ enum: ['call', 'text', 'call_or_text', 'emergency'] })
  @IsIn(['call', 'text', 'call_or_text', 'emergency'])
  kind: 'call' | 'text' | 'call_or_text' | 'emergency';

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Matches(/^(tel|sms):[0-9+?=A-Za-z&]{1,60}$/)
  href: string | null;
}

export class SetCrisisResourcesRequest {
  @ApiProperty({ type: [CrisisResourceDto] })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => CrisisResourceDto)
  resources: CrisisResourceDto[];

  @ApiProperty({ description: 'The clinic has checked these locally (otherwise marked as needing verification)' })
  @IsBoolean()
  verified: boolean;
}

export class CrisisResourceResponse {
  @ApiProperty() name: string;
  @ApiProperty({ description: 'What to dial or text, e.g. `988`' }) contact: string;
  @ApiProperty({ enum: ['call', 'text', 'call_or_text', 'emergency'] }) kind: string;
  @ApiProperty({ nullable: true, type: String, description: 'A `tel:` or `sms:` link' }) href: string | null;
}

export class CrisisResourceListResponse {
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country: string;
  @ApiProperty({ type: [CrisisResourceResponse] }) resources: CrisisResourceResponse[];
  @ApiProperty() needsLocalVerification: boolean;
  @ApiProperty({ enum: ['built_in', 'clinic'] }) source: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) verifiedAt: string | null;
}

/** What a client is shown at once when their own answers signal risk (clinical.md §4.3). */
export class ClientSafetyResponseDto {
  @ApiProperty({ enum: ['immediate', 'supportive'] }) level: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: CrisisResourceListResponse }) crisisResources: CrisisResourceListResponse;
  @ApiProperty({ description: 'Immediate (tier 1): the portal stops the exercise flow and shows the resources' })
  stopFlow: boolean;
}
