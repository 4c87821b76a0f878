import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
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

import {
  FEEDBACK_NOTE_MAX_LENGTH,
  OCCURRENCE_STATUSES,
  OVERVIEW_WEEKS_DEFAULT,
  OVERVIEW_WEEKS_MAX,
  SCHEDULE_LIMITS,
  VISIBILITIES,
  WEEKDAYS,
  type OccurrenceStatus,
  type ReviewReason,
  type Visibility,
  type Weekday,
} from '@mend/homework';

import { ClientSafetyResponseDto } from '../safety/safety.dto.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const dateMessage = (name: string) => ({ message: `${name} must be a date (YYYY-MM-DD)` });

export class HomeworkCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class AssignmentParams extends HomeworkCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  assignmentId: string;
}

export class OccurrenceParams extends HomeworkCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  occurrenceId: string;
}

export class RecipientDto {
  @ApiProperty({ format: 'uuid', description: 'A participant of the case' })
  @IsUUID()
  clientId: string;

  @ApiPropertyOptional({
    description: "Paired exercises with parts (e.g. E05's `asker` / `answerer`): the part this partner answers",
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  part?: string;
}

export class ScheduleDto {
  @ApiProperty({ enum: ['once', 'recurring'] })
  @IsIn(['once', 'recurring'])
  kind: 'once' | 'recurring';

  @ApiPropertyOptional({ format: 'date', description: 'once: the last local day on time' })
  @IsOptional()
  @Matches(DATE_ONLY, dateMessage('dueOn'))
  dueOn?: string;

  @ApiPropertyOptional({ format: 'date', description: 'once: first local day it may be answered (default today)' })
  @IsOptional()
  @Matches(DATE_ONLY, dateMessage('opensOn'))
  opensOn?: string;

  @ApiPropertyOptional({ enum: ['daily', 'weekly'] })
  @IsOptional()
  @IsIn(['daily', 'weekly'])
  frequency?: 'daily' | 'weekly';

  @ApiPropertyOptional({ minimum: 1, maximum: SCHEDULE_LIMITS.maxInterval, description: 'Every N days or weeks' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SCHEDULE_LIMITS.maxInterval)
  interval?: number;

  @ApiPropertyOptional({ enum: WEEKDAYS, isArray: true, description: 'weekly: the days' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsIn(WEEKDAYS, { each: true })
  weekdays?: Weekday[];

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @Matches(DATE_ONLY, dateMessage('startsOn'))
  startsOn?: string;

  @ApiPropertyOptional({ format: 'date', description: 'recurring: last date (inclusive); or give count' })
  @IsOptional()
  @Matches(DATE_ONLY, dateMessage('until'))
  until?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: SCHEDULE_LIMITS.maxOccurrences })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SCHEDULE_LIMITS.maxOccurrences)
  count?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: SCHEDULE_LIMITS.maxGraceDays, description: 'Days late still on time' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(SCHEDULE_LIMITS.maxGraceDays)
  graceDays?: number;
}

export class CreateAssignmentRequest {
  @ApiProperty({ example: 'E05', description: 'A built-in key or a clinic exercise id' })
  @IsString()
  @Length(1, 64)
  exerciseRef: string;

  @ApiPropertyOptional({ description: 'Default: the current version' })
  @IsOptional()
  @IsInt()
  @Min(1)
  exerciseVersion?: number;

  @ApiProperty({ type: [RecipientDto], description: 'One participant, or both partners (paired)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => RecipientDto)
  recipients: RecipientDto[];

  @ApiPropertyOptional({ enum: VISIBILITIES, description: "Default: the exercise's; must be one it allows" })
  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  @ApiPropertyOptional({ description: '`release` only: the author releases only after a counselor approved' })
  @IsOptional()
  @IsBoolean()
  releaseRequiresReview?: boolean;

  @ApiProperty({ type: ScheduleDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule: ScheduleDto;
}

export class SaveDraftRequest {
  @ApiProperty({ description: 'The draft version this save replaces (0 for the first save); stale: 409' })
  @IsInt()
  @Min(0)
  version: number;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Answers keyed by field key' })
  @IsObject()
  answers: Record<string, unknown>;
}

export class SubmitRequest {
  @ApiPropertyOptional({ description: 'When given, must be the current draft version (409 otherwise)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Default: the saved draft' })
  @IsOptional()
  @IsObject()
  answers?: Record<string, unknown>;
}

export class FeedbackRequest {
  // Optional, never null (null would reach the service as a value).
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "The exercise's feedback fields" })
  @ValidateIf((_: object, value: unknown) => value !== undefined)
  @IsObject()
  fields?: Record<string, unknown>;

  @ApiPropertyOptional({ maxLength: FEEDBACK_NOTE_MAX_LENGTH })
  @ValidateIf((_: object, value: unknown) => value !== undefined)
  @IsString()
  @Length(1, FEEDBACK_NOTE_MAX_LENGTH)
  note?: string;
}

// ---- responses ---------------------------------------------------------------------------------------

export class ExerciseRefResponse {
  @ApiProperty() ref: string;
  @ApiProperty() version: number;
  @ApiProperty() title: string;
}

export class SubmissionMetaResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['draft', 'submitted'] }) status: 'draft' | 'submitted';
  @ApiProperty() draftVersion: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) reviewApprovedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) releasedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revealedAt: string | null;
}

export class OccurrenceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) assignmentId: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ nullable: true, type: String }) part: string | null;
  @ApiProperty({ format: 'date' }) opensOn: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) pairId: string | null;
  @ApiProperty({ enum: OCCURRENCE_STATUSES }) status: OccurrenceStatus;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiProperty({ enum: VISIBILITIES }) visibility: Visibility;
  @ApiProperty({ type: ExerciseRefResponse }) exercise: ExerciseRefResponse;
  @ApiProperty({ type: SubmissionMetaResponse, nullable: true }) submission: SubmissionMetaResponse | null;
  @ApiProperty() answersVisible: boolean;
}

export class FeedbackResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) authorMembershipId: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) fields: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class OccurrenceDetailResponse extends OccurrenceResponse {
  @ApiProperty() releaseRequiresReview: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The pinned exercise snapshot, narrowed to the recipient's part",
  })
  exerciseContent: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) answers: Record<string, unknown> | null;
  @ApiProperty({ type: [FeedbackResponse], nullable: true }) feedback: FeedbackResponse[] | null;
}

export class CountsResponse {
  @ApiProperty() assigned: number;
  @ApiProperty({ name: 'in_progress' }) in_progress: number;
  @ApiProperty() completed: number;
  @ApiProperty() overdue: number;
  @ApiProperty() cancelled: number;
  @ApiProperty() total: number;
}

export class RecipientResponse {
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ nullable: true, type: String }) part: string | null;
}

export class AssignmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: ExerciseRefResponse }) exercise: ExerciseRefResponse;
  @ApiProperty() paired: boolean;
  @ApiProperty({ enum: VISIBILITIES }) visibility: Visibility;
  @ApiProperty() releaseRequiresReview: boolean;
  @ApiProperty({ type: ScheduleDto }) schedule: ScheduleDto;
  @ApiProperty({ enum: OCCURRENCE_STATUSES }) status: OccurrenceStatus;
  @ApiProperty({ type: [RecipientResponse] }) recipients: RecipientResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'uuid' }) createdByMembershipId: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cancelledAt: string | null;
  @ApiProperty({ type: CountsResponse, description: 'Over the occurrences the caller sees' }) counts: CountsResponse;
}

export class AssignmentDetailResponse extends AssignmentResponse {
  @ApiProperty({ type: [OccurrenceResponse] }) occurrences: OccurrenceResponse[];
}

export class AssignmentListResponse {
  @ApiProperty({ type: [AssignmentResponse] }) assignments: AssignmentResponse[];
}

export class MyOccurrenceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) assignmentId: string;
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ nullable: true, type: String }) part: string | null;
  @ApiProperty({ type: ExerciseRefResponse }) exercise: ExerciseRefResponse;
  @ApiProperty({ enum: VISIBILITIES }) visibility: Visibility;
  @ApiProperty({ format: 'date' }) opensOn: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ enum: OCCURRENCE_STATUSES }) status: OccurrenceStatus;
  @ApiProperty({ nullable: true, type: Number }) draftVersion: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) draftSavedAt: string | null;
}

export class MyAssignmentsResponse {
  @ApiProperty({ type: [MyOccurrenceResponse] }) occurrences: MyOccurrenceResponse[];
}

/** The submit answer: the occurrence, and what the author is shown when their answers signal risk. */
export class SubmitResponse extends OccurrenceDetailResponse {
  @ApiProperty({
    type: ClientSafetyResponseDto,
    nullable: true,
    description:
      'Set when a free-text answer matches the risk scan at tier 1 (crisis resources for your locale, the statement ' +
      'that the platform is not monitored around the clock; stop the flow) or tier 2 (a supportive message with ' +
      'resources). Only ever in the author’s own answer.',
  })
  safety: ClientSafetyResponseDto | null;
}

// ---- the counselor's overview (GET /cases/:caseId/homework/overview) ---------------------------------

export class HomeworkOverviewQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: OVERVIEW_WEEKS_MAX,
    default: OVERVIEW_WEEKS_DEFAULT,
    description: 'How many ISO weeks, ending with the current one',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(OVERVIEW_WEEKS_MAX)
  weeks?: number;
}

export class OverviewItemResponse {
  @ApiProperty({ format: 'uuid' }) occurrenceId: string;
  @ApiProperty({ format: 'uuid' }) assignmentId: string;
  @ApiProperty({ type: ExerciseRefResponse }) exercise: ExerciseRefResponse;
  @ApiProperty({ enum: VISIBILITIES }) visibility: Visibility;
  @ApiProperty({ nullable: true, type: String }) part: string | null;
  @ApiProperty({ format: 'date' }) opensOn: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ enum: OCCURRENCE_STATUSES, description: 'A `private` item shows `assigned` while a draft exists' })
  status: OccurrenceStatus;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: "Submitted on or before the due day in the client's timezone",
  })
  onTime: boolean | null;
  @ApiProperty({ description: 'Submitted and not `private`' }) answersVisible: boolean;
  @ApiProperty({ enum: ['release_approval', 'feedback'], isArray: true }) reviewReasons: ReviewReason[];
}

export class OverviewWeekResponse {
  @ApiProperty({ example: '2026-W23' }) week: string;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) endsOn: string;
  @ApiProperty({ description: 'Occurrences due this week (not cancelled)' }) due: number;
  @ApiProperty({ description: 'Of those: submitted, or whose due day is over' }) settled: number;
  @ApiProperty() completed: number;
  @ApiProperty() onTime: number;
  @ApiProperty({ nullable: true, type: Number, description: 'completed / settled' }) completionRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'onTime / settled' }) onTimeRate: number | null;
}

export class OverviewWindowResponse {
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) endsOn: string;
  @ApiProperty() due: number;
  @ApiProperty() settled: number;
  @ApiProperty() completed: number;
  @ApiProperty() onTime: number;
  @ApiProperty({ nullable: true, type: Number }) completionRate: number | null;
  @ApiProperty({ nullable: true, type: Number }) onTimeRate: number | null;
}

export class OverviewCountsResponse {
  @ApiProperty() due: number;
  @ApiProperty() overdue: number;
  @ApiProperty() upcoming: number;
  @ApiProperty() submitted: number;
  @ApiProperty() awaitingReview: number;
}

export class ParticipantOverviewResponse {
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null: a former participant with homework history' })
  role: string | null;
  @ApiProperty({ format: 'date', description: "The participant's local today" }) today: string;
  @ApiProperty({ type: OverviewCountsResponse }) counts: OverviewCountsResponse;
  @ApiProperty({ type: [OverviewItemResponse] }) due: OverviewItemResponse[];
  @ApiProperty({ type: [OverviewItemResponse] }) overdue: OverviewItemResponse[];
  @ApiProperty({ type: [OverviewItemResponse], description: 'Submitted on a local day within the window' })
  submitted: OverviewItemResponse[];
  @ApiProperty({ type: [OverviewItemResponse] }) awaitingReview: OverviewItemResponse[];
  @ApiProperty({ type: [OverviewWeekResponse], description: 'Oldest first' }) weeks: OverviewWeekResponse[];
  @ApiProperty({ type: OverviewWindowResponse }) window: OverviewWindowResponse;
}

export class HomeworkOverviewResponse {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() weeks: number;
  @ApiProperty({ type: [ParticipantOverviewResponse] }) participants: ParticipantOverviewResponse[];
}
