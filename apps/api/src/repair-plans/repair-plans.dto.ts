import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
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

import {
  CASE_OUTCOMES,
  PLAN_ITEM_VISIBILITIES,
  PLAN_PHASES,
  type CaseOutcome,
  type PlanItemVisibility,
  type PlanPhase,
} from '@mend/contracts';
import {
  BREACH_ASPECTS,
  COMMITMENT_CADENCES,
  GOAL_STATUSES,
  OBJECTIVE_STATUSES,
  type BreachAspect,
  type CommitmentCadence,
  type GoalStatus,
  type ObjectiveStatus,
} from '@mend/repair-plans';

const MAX_ITEMS = 100;

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 is refused). */
function DateOnly(): PropertyDecorator {
  return applyDecorators(
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' }),
    IsISO8601({ strict: true }, { message: '$property must be a real calendar date' }),
  );
}

/** Optional (absent or null) or a date. */
function OptionalDate(): PropertyDecorator {
  return applyDecorators(IsOptional(), DateOnly());
}

function Text(max: number): PropertyDecorator {
  return applyDecorators(IsString(), Length(1, max));
}

function ItemId(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      format: 'uuid',
      description: 'Stable id: send it back to keep (or change) an existing item; leave it out for a new one',
    }),
    IsOptional(),
    IsUUID(),
  );
}

function Items(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    // A named `type` thunk: Swagger resolves lazy types only by that name (otherwise an empty $ref).
    ApiProperty({ type: () => type(), isArray: true }),
    IsArray(),
    ArrayMaxSize(MAX_ITEMS),
    ValidateNested({ each: true }),
    Type(type),
  );
}

function OptionalItems(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: () => type(), isArray: true, description: 'Absent: the section is kept as it is' }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_ITEMS),
    ValidateNested({ each: true }),
    Type(type),
  );
}

// ---- the plan document -----------------------------------------------------------------------------

export class BreachAssessmentItemDto {
  @ItemId() id?: string;
  @ApiProperty({ enum: BREACH_ASPECTS }) @IsIn(BREACH_ASPECTS) aspect: BreachAspect;
  @ApiProperty({ maxLength: 4000 }) @Text(4000) text: string;
  @ApiProperty({ enum: PLAN_ITEM_VISIBILITIES, description: '`clinician`: the care team only' })
  @IsIn(PLAN_ITEM_VISIBILITIES)
  visibility: PlanItemVisibility;
}

export class ObjectiveDto {
  @ItemId() id?: string;
  @ApiProperty({ maxLength: 1000 }) @Text(1000) description: string;
  @ApiProperty({ maxLength: 500, description: 'How it is measured' }) @Text(500) measure: string;
  @ApiProperty({ maxLength: 200, description: 'The value that counts as met' }) @Text(200) target: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, description: 'Not before the plan was created' })
  @OptionalDate()
  targetDate?: string | null;
  @ApiProperty({ enum: OBJECTIVE_STATUSES }) @IsIn(OBJECTIVE_STATUSES) status: ObjectiveStatus;
}

export class GoalDto {
  @ItemId() id?: string;
  @ApiProperty({ maxLength: 500 }) @Text(500) title: string;
  @ApiProperty({ enum: GOAL_STATUSES }) @IsIn(GOAL_STATUSES) status: GoalStatus;
  @ApiProperty({ type: () => ObjectiveDto, isArray: true, description: 'Measurable objectives (at most 20)' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ObjectiveDto)
  objectives: ObjectiveDto[];
}

export class CommitmentDto {
  @ItemId() id?: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Who commits: participant client ids of the case' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  participantClientIds: string[];
  @ApiProperty({ maxLength: 1000 }) @Text(1000) what: string;
  @ApiProperty({ enum: COMMITMENT_CADENCES }) @IsIn(COMMITMENT_CADENCES) cadence: CommitmentCadence;
  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @Text(200)
  cadenceDetail?: string | null;
  @ApiProperty({ maxLength: 500, description: 'How it is verified' }) @Text(500) verification: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) @OptionalDate() startDate?: string | null;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, description: 'Not before startDate' })
  @OptionalDate()
  endDate?: string | null;
}

export class BoundaryDto {
  @ItemId() id?: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Whom it binds (empty: everyone in the case)' })
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  participantClientIds: string[];
  @ApiProperty({ maxLength: 1000 }) @Text(1000) description: string;
  @ApiProperty({ maxLength: 1000, description: 'The agreed consequence if it is crossed' })
  @Text(1000)
  consequence: string;
  @ApiProperty({ maxLength: 1000, description: 'The agreed restorative response' })
  @Text(1000)
  restorativeResponse: string;
}

export class NeedDto {
  @ItemId() id?: string;
  @ApiProperty({ format: 'uuid', description: 'Whose need (a participant of the case)' }) @IsUUID() clientId: string;
  @ApiProperty({ maxLength: 2000 }) @Text(2000) text: string;
  @ApiProperty({
    enum: PLAN_ITEM_VISIBILITIES,
    description: '`clinician`: the care team (and a proposing participant)',
  })
  @IsIn(PLAN_ITEM_VISIBILITIES)
  visibility: PlanItemVisibility;
}

export class NeedResponseDto extends NeedDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Set when a participant proposed it' })
  proposedByClientId: string | null;
}

export class ContingencyDto {
  @ItemId() id?: string;
  @ApiProperty({ maxLength: 1000, description: 'The slip-up or warning sign' }) @Text(1000) trigger: string;
  @ApiProperty({ maxLength: 2000, description: 'What to do then' }) @Text(2000) response: string;
}

export class PlanContentDto {
  @Items(() => BreachAssessmentItemDto) breachAssessment: BreachAssessmentItemDto[];
  @Items(() => GoalDto) goals: GoalDto[];
  @Items(() => CommitmentDto) commitments: CommitmentDto[];
  @Items(() => BoundaryDto) boundaries: BoundaryDto[];
  @Items(() => NeedDto) needs: NeedDto[];
  @Items(() => ContingencyDto) contingencyPlans: ContingencyDto[];
  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    description: 'The next review of the plan (a new or moved date must not be in the past)',
  })
  @ValidateIf((_object, value) => value !== null)
  @DateOnly()
  reviewDate: string | null;
}

export class PlanContentPatchDto {
  @OptionalItems(() => BreachAssessmentItemDto) breachAssessment?: BreachAssessmentItemDto[];
  @OptionalItems(() => GoalDto) goals?: GoalDto[];
  @OptionalItems(() => CommitmentDto) commitments?: CommitmentDto[];
  @OptionalItems(() => BoundaryDto) boundaries?: BoundaryDto[];
  @OptionalItems(() => NeedDto) needs?: NeedDto[];
  @OptionalItems(() => ContingencyDto) contingencyPlans?: ContingencyDto[];
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, description: 'null clears it' })
  @IsOptional()
  @DateOnly()
  reviewDate?: string | null;
}

export class PlanContentResponse {
  @ApiProperty({ type: () => BreachAssessmentItemDto, isArray: true }) breachAssessment: BreachAssessmentItemDto[];
  @ApiProperty({ type: () => GoalDto, isArray: true }) goals: GoalDto[];
  @ApiProperty({ type: () => CommitmentDto, isArray: true }) commitments: CommitmentDto[];
  @ApiProperty({ type: () => BoundaryDto, isArray: true }) boundaries: BoundaryDto[];
  @ApiProperty({ type: () => NeedResponseDto, isArray: true }) needs: NeedResponseDto[];
  @ApiProperty({ type: () => ContingencyDto, isArray: true }) contingencyPlans: ContingencyDto[];
  @ApiProperty({ format: 'date', nullable: true, type: String }) reviewDate: string | null;
}

// ---- requests ---------------------------------------------------------------------------------------

export class CaseIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class RevisionParams extends CaseIdParams {
  @ApiProperty({ minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  revision: number;
}

export class DiffQuery {
  @ApiProperty({ minimum: 0, description: 'The earlier revision (0: the empty plan)' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  from: number;

  @ApiProperty({ minimum: 1, description: 'The later revision' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to: number;
}

class RevisionWrite {
  @ApiProperty({ minimum: 0, description: 'The revision this change is based on (0 for the first); stale: 409' })
  @IsInt()
  @Min(0)
  expectedRevision: number;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Why (care team only)' })
  @IsOptional()
  @Text(2000)
  changeNote?: string;
}

export class PutPlanRequest extends RevisionWrite {
  @ApiProperty({ type: () => PlanContentDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PlanContentDto)
  content: PlanContentDto;
}

export class PatchPlanRequest extends RevisionWrite {
  @ApiProperty({ type: () => PlanContentPatchDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PlanContentPatchDto)
  content: PlanContentPatchDto;
}

export class OwnNeedDto {
  @ItemId() id?: string;
  @ApiProperty({ maxLength: 2000 }) @Text(2000) text: string;
}

export class ProposeNeedsRequest {
  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  expectedRevision: number;

  @ApiProperty({ type: () => OwnNeedDto, isArray: true, description: 'Replaces the needs you proposed before' })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => OwnNeedDto)
  needs: OwnNeedDto[];
}

export class PhaseChangeRequest {
  @ApiProperty({ enum: PLAN_PHASES }) @IsIn(PLAN_PHASES) toPhase: PlanPhase;
  @ApiProperty({ maxLength: 2000, description: 'Why (care team only)' }) @Text(2000) reason: string;
}

// ---- responses --------------------------------------------------------------------------------------

export class PlanResponse {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ description: '0 before the first revision; send it as expectedRevision' }) revision: number;
  @ApiProperty({ enum: PLAN_PHASES }) phase: PlanPhase;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) phaseChangedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revisedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) revisedByMembershipId: string | null;
  @ApiProperty({ type: () => PlanContentResponse }) content: PlanContentResponse;
}

export class PlanRevisionSummaryResponse {
  @ApiProperty() revision: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'uuid' }) authorMembershipId: string;
  @ApiProperty({ nullable: true, type: String, description: 'Care team only' }) changeNote: string | null;
}

export class PlanRevisionResponse extends PlanRevisionSummaryResponse {
  @ApiProperty({ type: () => PlanContentResponse }) content: PlanContentResponse;
}

export class PlanItemChangeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: [String] }) fields: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) before: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) after: Record<string, unknown>;
}

export class PlanSectionDiffResponse {
  @ApiProperty({ type: 'object', isArray: true, additionalProperties: true }) added: Record<string, unknown>[];
  @ApiProperty({ type: 'object', isArray: true, additionalProperties: true }) removed: Record<string, unknown>[];
  @ApiProperty({ type: () => PlanItemChangeResponse, isArray: true }) changed: PlanItemChangeResponse[];
}

export class PlanSectionsDiffResponse {
  @ApiProperty({ type: () => PlanSectionDiffResponse }) breachAssessment: PlanSectionDiffResponse;
  @ApiProperty({ type: () => PlanSectionDiffResponse }) goals: PlanSectionDiffResponse;
  @ApiProperty({ type: () => PlanSectionDiffResponse }) commitments: PlanSectionDiffResponse;
  @ApiProperty({ type: () => PlanSectionDiffResponse }) boundaries: PlanSectionDiffResponse;
  @ApiProperty({ type: () => PlanSectionDiffResponse }) needs: PlanSectionDiffResponse;
  @ApiProperty({ type: () => PlanSectionDiffResponse }) contingencyPlans: PlanSectionDiffResponse;
}

export class ReviewDateChangeResponse {
  @ApiProperty({ format: 'date', nullable: true, type: String }) from: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) to: string | null;
}

export class PlanDiffResponse {
  @ApiProperty() from: number;
  @ApiProperty() to: number;
  @ApiProperty({ type: () => PlanSectionsDiffResponse }) sections: PlanSectionsDiffResponse;
  @ApiProperty({ type: () => ReviewDateChangeResponse, nullable: true }) reviewDate: ReviewDateChangeResponse | null;
  @ApiProperty({ description: 'Items added, removed or changed, plus 1 for a moved review date' }) changeCount: number;
}

export class PhaseChangeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PLAN_PHASES }) fromPhase: PlanPhase;
  @ApiProperty({ enum: PLAN_PHASES }) toPhase: PlanPhase;
  @ApiProperty({ nullable: true, type: String, description: 'Care team only' }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({ format: 'uuid' }) changedByMembershipId: string;
}

// ---- readiness --------------------------------------------------------------------------------------

export class AssessmentParams extends CaseIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  assessmentId: string;
}

export class RecordReadinessRequest {
  @ApiProperty({ format: 'date', description: 'Not in the future, not before the case began' })
  @DateOnly()
  assessedOn: string;

  @ApiProperty({ minimum: 0, maximum: 10, description: "The counselor's rating of readiness (0 not ready .. 10)" })
  @IsInt()
  @Min(0)
  @Max(10)
  counselorRating: number;

  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @Text(4000) counselorNote?: string;

  @ApiPropertyOptional({ enum: CASE_OUTCOMES, description: 'Absent: pending (record it later)' })
  @IsOptional()
  @IsIn(CASE_OUTCOMES)
  outcome?: CaseOutcome;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Care team only' })
  @IsOptional()
  @Text(2000)
  outcomeReason?: string;

  @ApiPropertyOptional({ description: 'With `redefine` or `end`: close the case with that outcome' })
  @IsOptional()
  @IsBoolean()
  closeCase?: boolean;
}

export class DecideReadinessRequest {
  @ApiProperty({ enum: CASE_OUTCOMES }) @IsIn(CASE_OUTCOMES) outcome: CaseOutcome;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Care team only' })
  @IsOptional()
  @Text(2000)
  outcomeReason?: string;

  @ApiPropertyOptional({ description: 'With `redefine` or `end`: close the case with that outcome' })
  @IsOptional()
  @IsBoolean()
  closeCase?: boolean;
}

export class RateReadinessRequest {
  @ApiProperty({ minimum: 0, maximum: 10, description: 'Your own readiness (0 not ready .. 10)' })
  @IsInt()
  @Min(0)
  @Max(10)
  rating: number;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Seen by you and the care team only' })
  @IsOptional()
  @Text(2000)
  note?: string;
}

export class ParticipantRatingResponse {
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty() rating: number;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'date-time' }) ratedAt: string;
}

export class ReadinessResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'date' }) assessedOn: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ format: 'uuid' }) recordedByMembershipId: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Care team only' }) counselorRating: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Care team only' }) counselorNote: string | null;
  @ApiProperty({ enum: CASE_OUTCOMES, nullable: true }) outcome: CaseOutcome | null;
  @ApiProperty({ nullable: true, type: String, description: 'Care team only' }) outcomeReason: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty() closedCase: boolean;
  @ApiProperty({
    type: () => ParticipantRatingResponse,
    isArray: true,
    description: "Care team: every participant's; a participant: their own only",
  })
  ratings: ParticipantRatingResponse[];
}
