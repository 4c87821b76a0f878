import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import {
  AUDIENCES,
  COACH_MODES,
  EXERCISE_LIMITS,
  EXERCISE_STATUSES,
  FIELD_KEY_PATTERN,
  PHASES,
  SEED_CONCEPTS,
  VISIBILITIES,
  type Audience,
  type CoachMode,
  type ExerciseStatus,
  type Phase,
  type PromptRole,
  type SeedConceptId,
  type Visibility,
} from '@mend/homework';

/** A built-in key (`E05`) or a clinic exercise id. */
export const EXERCISE_REF = /^(E\d{2}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

export class ExerciseRefParams {
  @ApiProperty({ description: 'A built-in key (`E01`..`E37`) or the id of a clinic exercise', example: 'E05' })
  @Matches(EXERCISE_REF, { message: '$property must be a built-in key such as E05 or an exercise id' })
  exerciseRef: string;
}

export class ExerciseVersionParams extends ExerciseRefParams {
  @ApiProperty({ minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}

export class ListExercisesQuery {
  @ApiPropertyOptional({ enum: [...EXERCISE_STATUSES, 'all'], default: 'active' })
  @IsOptional()
  @IsIn([...EXERCISE_STATUSES, 'all'])
  status?: ExerciseStatus | 'all';

  @ApiPropertyOptional({ enum: ['built_in', 'custom', 'all'], default: 'all' })
  @IsOptional()
  @IsIn(['built_in', 'custom', 'all'])
  source?: 'built_in' | 'custom' | 'all';
}

export class ExercisePromptDto {
  @ApiProperty({ maxLength: EXERCISE_LIMITS.maxPromptLength })
  @IsString()
  @Length(1, EXERCISE_LIMITS.maxPromptLength)
  text: string;

  @ApiPropertyOptional({ enum: ['harmed', 'harming'], description: 'For role-specific prompts' })
  @IsOptional()
  @IsIn(['harmed', 'harming'])
  forRole?: PromptRole;

  @ApiPropertyOptional({ description: 'Paired exercises: the part (of responseSchema.parts) the prompt is for' })
  @IsOptional()
  @Matches(new RegExp(FIELD_KEY_PATTERN))
  part?: string;
}

/** An exercise definition as a counselor writes it; the response schema is checked against the meta-schema (422). */
export class ExerciseDefinitionDto {
  @ApiProperty({ maxLength: EXERCISE_LIMITS.maxTitle })
  @IsString()
  @Length(1, EXERCISE_LIMITS.maxTitle)
  title: string;

  @ApiProperty({ maxLength: EXERCISE_LIMITS.maxInstructions })
  @IsString()
  @Length(1, EXERCISE_LIMITS.maxInstructions)
  instructions: string;

  @ApiProperty({ type: [ExercisePromptDto] })
  @IsArray()
  @ArrayMaxSize(EXERCISE_LIMITS.maxPrompts)
  @ValidateNested({ each: true })
  @Type(() => ExercisePromptDto)
  prompts: ExercisePromptDto[];

  @ApiProperty({ enum: AUDIENCES })
  @IsIn(AUDIENCES)
  audience: Audience;

  @ApiPropertyOptional({ enum: AUDIENCES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(AUDIENCES, { each: true })
  optionalAudiences?: Audience[];

  @ApiProperty({ enum: PHASES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PHASES, { each: true })
  phases: Phase[];

  @ApiProperty({ enum: VISIBILITIES })
  @IsIn(VISIBILITIES)
  defaultVisibility: Visibility;

  @ApiProperty({ enum: VISIBILITIES, isArray: true, description: 'Other visibilities the counselor may switch to' })
  @IsArray()
  @ArrayUnique()
  @IsIn(VISIBILITIES, { each: true })
  switchableVisibility: Visibility[];

  @ApiProperty({ enum: COACH_MODES })
  @IsIn(COACH_MODES)
  coachMode: CoachMode;

  @ApiProperty({ minimum: 1, maximum: EXERCISE_LIMITS.maxEstimatedMinutes })
  @IsInt()
  @Min(1)
  @Max(EXERCISE_LIMITS.maxEstimatedMinutes)
  estimatedMinutes: number;

  @ApiProperty({ maxLength: EXERCISE_LIMITS.maxFrequency, example: 'weekly' })
  @IsString()
  @Length(1, EXERCISE_LIMITS.maxFrequency)
  frequency: string;

  @ApiProperty({ enum: SEED_CONCEPTS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(SEED_CONCEPTS, { each: true })
  seedConcepts: SeedConceptId[];

  @ApiPropertyOptional({ maxLength: EXERCISE_LIMITS.maxModel })
  @IsOptional()
  @IsString()
  @Length(1, EXERCISE_LIMITS.maxModel)
  model?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The typed response schema (`fields`, optional `feedbackFields` and `parts`); field types are those of ' +
      'clinical.md §2.1. A schema that cannot be answered is refused with 422 naming each field path and rule.',
  })
  @IsObject()
  responseSchema: Record<string, unknown>;
}

export class CreateExerciseRequest extends ExerciseDefinitionDto {
  @ApiPropertyOptional({ maxLength: EXERCISE_LIMITS.maxChangeNote })
  @IsOptional()
  @IsString()
  @Length(1, EXERCISE_LIMITS.maxChangeNote)
  changeNote?: string;
}

export class ReviseExerciseRequest extends CreateExerciseRequest {
  @ApiProperty({ minimum: 1, description: 'The current version (else 409 with the current one)' })
  @IsInt()
  @Min(1)
  expectedVersion: number;
}

export class CopyExerciseRequest {
  @ApiPropertyOptional({ minimum: 1, description: 'The version to copy (default: the current one)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ maxLength: EXERCISE_LIMITS.maxTitle, description: 'Title of the copy (default: the same)' })
  @IsOptional()
  @IsString()
  @Length(1, EXERCISE_LIMITS.maxTitle)
  title?: string;
}

export class ExerciseSummaryResponse {
  @ApiProperty({ description: 'A built-in key (`E05`) or a clinic exercise id' }) ref: string;
  @ApiProperty({ enum: ['built_in', 'custom'] }) source: 'built_in' | 'custom';
  @ApiProperty() title: string;
  @ApiProperty({ enum: AUDIENCES }) audience: Audience;
  @ApiProperty({ enum: PHASES, isArray: true }) phases: Phase[];
  @ApiProperty({ enum: VISIBILITIES }) defaultVisibility: Visibility;
  @ApiProperty({ enum: COACH_MODES }) coachMode: CoachMode;
  @ApiProperty() estimatedMinutes: number;
  @ApiProperty({ enum: SEED_CONCEPTS, isArray: true, description: 'Seed concepts (clinical.md §0.1)' })
  seedConcepts: SeedConceptId[];
  @ApiProperty({ enum: EXERCISE_STATUSES }) status: ExerciseStatus;
  @ApiProperty() currentVersion: number;
  @ApiProperty({ nullable: true, type: String }) copiedFrom: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) updatedAt: string | null;
}

export class ExerciseVersionSummaryResponse {
  @ApiProperty() version: number;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) createdAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) authorMembershipId: string | null;
  @ApiProperty({ nullable: true, type: String }) changeNote: string | null;
}

export class ExerciseResponse {
  @ApiProperty() ref: string;
  @ApiProperty({ enum: ['built_in', 'custom'] }) source: 'built_in' | 'custom';
  @ApiProperty({ enum: EXERCISE_STATUSES }) status: ExerciseStatus;
  @ApiProperty({ description: 'The version shown (an assignment pins one)' }) version: number;
  @ApiProperty() currentVersion: number;
  @ApiProperty({ nullable: true, type: String }) copiedFrom: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) updatedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) createdAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) authorMembershipId: string | null;
  @ApiProperty({ nullable: true, type: String }) changeNote: string | null;
  @ApiProperty({ type: ExerciseDefinitionDto }) definition: ExerciseDefinitionDto;
}
