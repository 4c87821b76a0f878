import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import {
  CASE_SORTS,
  type CaseSort,
  type CaseView,
  type SecretsPolicyStatusView,
  type SignatureStatusView,
  type StatusChangeView,
} from '@mend/clients';
import {
  CASE_OUTCOMES,
  CASE_STATUSES,
  CASE_TYPES,
  PARTICIPANT_ROLES,
  PLAN_PHASES,
  SAFETY_STATUSES,
  SECRETS_POLICY_KINDS,
  type CaseOutcome,
  type CaseStatus,
  type CaseType,
  type ParticipantRole,
  type PlanPhase,
  type SafetyStatus,
  type SecretsPolicyKind,
} from '@mend/contracts';

const VIEWS = ['care_team', 'participant', 'directory'] as const;
/** What `GET /cases` may add to its items on request. */
export const CASE_LIST_INCLUDES = ['homework'] as const;

/** `a,b` or repeated parameters: a list. */
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;

/** Optional but never null: absent means "unchanged" or "none"; null is refused, not passed on as a value. */
const PRESENT = (_: object, value: unknown): boolean => value !== undefined;

export class CaseIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class CaseParticipantParams extends CaseIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;
}

export class CaseCareTeamParams extends CaseIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  membershipId: string;
}

// ---- responses -----------------------------------------------------------------------------------

export class CaseParticipantResponse {
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty() displayName: string;
  @ApiPropertyOptional({ enum: PARTICIPANT_ROLES, description: 'Not in the directory view' }) role?: ParticipantRole;
  @ApiPropertyOptional({ description: "The clinic's label of the role" }) roleLabel?: string;
  @ApiPropertyOptional({ description: 'Signed the current secrets policy version' }) signedCurrentPolicy?: boolean;
}

export class CareTeamMemberResponse {
  @ApiProperty({ format: 'uuid' }) membershipId: string;
  @ApiProperty({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty() isPrimary: boolean;
}

export class CaseSafetyResponse {
  @ApiProperty({ enum: SAFETY_STATUSES }) status: SafetyStatus;
  @ApiProperty({ nullable: true, type: String, description: 'Care team only' }) reason: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) changedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) changedByMembershipId: string | null;
}

export class CaseSecretsPolicySummary {
  @ApiProperty({ nullable: true, type: Number }) version: number | null;
  @ApiProperty({ description: 'Every participant signed the current version' }) allSigned: boolean;
}

export class CaseHomeworkNextDueResponse {
  @ApiProperty({ format: 'uuid' }) occurrenceId: string;
  @ApiProperty({ format: 'uuid', description: 'Whose item it is' }) clientId: string;
  @ApiProperty({ format: 'date', description: "The participant's local due day" }) dueOn: string;
  @ApiProperty() exerciseTitle: string;
}

export class CaseHomeworkSummaryResponse {
  @ApiProperty({ description: "Open now (opened, not past the due day), not submitted: the overview's `due`, summed" })
  due: number;
  @ApiProperty({ description: "Past the due day, not submitted: the overview's `overdue`, summed" }) overdue: number;
  @ApiProperty({
    description:
      "Submitted, not private, with feedback or a release approval owed: the overview's `awaitingReview`, summed",
  })
  awaitingReview: number;
  @ApiProperty({
    type: CaseHomeworkNextDueResponse,
    nullable: true,
    description: 'The earliest item not submitted whose due day is today or later (each participant’s local day)',
  })
  nextDue: CaseHomeworkNextDueResponse | null;
}

export class CaseResponse {
  @ApiProperty({
    enum: VIEWS,
    description:
      'care_team: everything (incl. the safety reason); participant: no safety facts beyond sharedSpacePaused; ' +
      'directory (a clinic admin not on the care team): metadata only — no title, roles, outcome, phase or safety',
  })
  view: (typeof VIEWS)[number];
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CASE_TYPES }) type: CaseType;
  @ApiProperty({ enum: CASE_STATUSES }) status: CaseStatus;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: [CaseParticipantResponse] }) participants: CaseParticipantResponse[];
  @ApiProperty({ type: [CareTeamMemberResponse] }) careTeam: CareTeamMemberResponse[];
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional({ enum: CASE_OUTCOMES, nullable: true, type: String }) outcome?: CaseOutcome | null;
  @ApiPropertyOptional({ enum: PLAN_PHASES, nullable: true, type: String, description: 'Null until a plan exists' })
  phase?: PlanPhase | null;
  @ApiPropertyOptional({ format: 'date-time', description: 'Care team only' }) updatedAt?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) createdByMembershipId?: string | null;
  @ApiPropertyOptional({ type: CaseSafetyResponse, description: 'Care team only' }) safety?: CaseSafetyResponse;
  @ApiPropertyOptional({ type: CaseSecretsPolicySummary, description: 'Care team only' })
  secretsPolicy?: CaseSecretsPolicySummary;
  @ApiPropertyOptional({ description: 'Participants only: shared activities are paused for now (no reason given)' })
  sharedSpacePaused?: boolean;
  @ApiPropertyOptional({ format: 'uuid', description: 'Participants only: your client id in this case' })
  yourClientId?: string;
  @ApiPropertyOptional({
    type: CaseHomeworkSummaryResponse,
    description:
      'Caseload with `include=homework`, care team only: the case-wide sums of the homework overview’s counts ' +
      '(the same definitions, GET /cases/{caseId}/homework/overview) and the next item due',
  })
  homework?: CaseHomeworkSummaryResponse;
}

export class CasePageResponse {
  @ApiProperty({ type: [CaseResponse] }) items: CaseResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class StatusChangeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CASE_STATUSES, nullable: true, type: String }) fromStatus: CaseStatus | null;
  @ApiProperty({ enum: CASE_STATUSES }) toStatus: CaseStatus;
  @ApiProperty({ enum: CASE_OUTCOMES, nullable: true, type: String }) outcome: CaseOutcome | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Care team only' }) reason?: string | null;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Care team only' })
  changedByMembershipId?: string | null;
}

export class SecretsPolicyVersionResponse {
  @ApiProperty() version: number;
  @ApiProperty({ enum: SECRETS_POLICY_KINDS }) kind: SecretsPolicyKind;
  @ApiProperty({ description: 'The exact text participants sign' }) body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdByMembershipId: string | null;
}

export class SignatureStatusResponse {
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ enum: PARTICIPANT_ROLES }) role: ParticipantRole;
  @ApiProperty() signed: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) signedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Care team and the signer only' })
  signedName?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) signedByUserId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) ip?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) userAgent?: string | null;
}

export class SecretsPolicyStatusResponse {
  @ApiProperty({ type: SecretsPolicyVersionResponse, nullable: true }) current: SecretsPolicyVersionResponse | null;
  @ApiProperty({ type: [SignatureStatusResponse] }) participants: SignatureStatusResponse[];
  @ApiProperty({ description: 'Every participant signed the current version: individual channels may open' })
  complete: boolean;
}

export class ParticipantRoleLabelsResponse {
  @ApiProperty() harmed: string;
  @ApiProperty() harming: string;
  @ApiProperty() mutual: string;
  @ApiProperty() individual: string;
}

// ---- requests ------------------------------------------------------------------------------------

export class ParticipantInput {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;

  @ApiProperty({ enum: PARTICIPANT_ROLES })
  @IsIn(PARTICIPANT_ROLES)
  role: ParticipantRole;
}

export class SecretsPolicyRequest {
  @ApiProperty({ enum: SECRETS_POLICY_KINDS })
  @IsIn(SECRETS_POLICY_KINDS)
  kind: SecretsPolicyKind;

  @ApiPropertyOptional({
    maxLength: 20000,
    description: 'Required for custom; no_secrets and limited_secrets default to the clinic wording',
  })
  @IsOptional()
  @IsString()
  @Length(1, 20000)
  body?: string;
}

export class CreateCaseRequest {
  @ApiProperty({ enum: CASE_TYPES })
  @IsIn(CASE_TYPES)
  type: CaseType;

  @ApiProperty({ minLength: 1, maxLength: 200, description: "The care team's short name for the case" })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title: string;

  @ApiProperty({ type: [ParticipantInput], description: 'At least one (422 `no_participant`), each client once' })
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => ParticipantInput)
  participants: ParticipantInput[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Default: the primary counselor alone. Active counselors or supervisors.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  @IsUUID('all', { each: true })
  careTeamMembershipIds?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Default: you (a counselor or supervisor). Must be on the care team (422 `primary_not_on_care_team`).',
  })
  @IsOptional()
  @IsUUID()
  primaryMembershipId?: string;

  @ApiPropertyOptional({ type: SecretsPolicyRequest })
  @ValidateIf(PRESENT)
  @IsObject()
  @ValidateNested()
  @Type(() => SecretsPolicyRequest)
  secretsPolicy?: SecretsPolicyRequest;
}

export class UpdateCaseRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @ValidateIf(PRESENT)
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title?: string;

  @ApiPropertyOptional({ enum: CASE_TYPES })
  @ValidateIf(PRESENT)
  @IsIn(CASE_TYPES)
  type?: CaseType;
}

export class ChangeStatusRequest {
  @ApiProperty({ enum: CASE_STATUSES, description: 'Any other status; reopening a closed case is allowed' })
  @IsIn(CASE_STATUSES)
  status: CaseStatus;

  @ApiPropertyOptional({ enum: CASE_OUTCOMES, description: 'Required when closing, refused otherwise' })
  @IsOptional()
  @IsIn(CASE_OUTCOMES)
  outcome?: CaseOutcome;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Care team only' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'When it took effect (default now): not in the future, not before the previous change (422 `impossible_date`)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveAt?: string;
}

export class AddParticipantRequest extends ParticipantInput {}

export class ChangeParticipantRoleRequest {
  @ApiProperty({ enum: PARTICIPANT_ROLES })
  @IsIn(PARTICIPANT_ROLES)
  role: ParticipantRole;
}

export class AddCareTeamMemberRequest {
  @ApiProperty({ format: 'uuid', description: 'An active counselor or supervisor' })
  @IsUUID()
  membershipId: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Becomes the primary counselor (the previous one stays on the team)',
  })
  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;
}

export class RemoveCareTeamMemberQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required when removing the primary: another care-team member' })
  @IsOptional()
  @IsUUID()
  newPrimaryMembershipId?: string;
}

export class SetSafetyStatusRequest {
  @ApiProperty({ enum: SAFETY_STATUSES })
  @IsIn(SAFETY_STATUSES)
  status: SafetyStatus;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Required for safety_hold. Care team only: never shown to participants, never logged or audited.',
  })
  @ValidateIf(PRESENT)
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class SignSecretsPolicyRequest {
  @ApiProperty({ minimum: 1, description: 'The version you read (409 when it is no longer current)' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ minLength: 1, maxLength: 200, description: 'Your full name, typed as your signature' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'signedName must not be blank' })
  signedName: string;
}

export class ParticipantRoleLabelsRequest {
  @ApiPropertyOptional({ maxLength: 60 })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  harmed?: string;

  @ApiPropertyOptional({ maxLength: 60 })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  harming?: string;

  @ApiPropertyOptional({ maxLength: 60 })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  mutual?: string;

  @ApiPropertyOptional({ maxLength: 60 })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  individual?: string;
}

/** The query of `GET /cases` (the caseload): an allow-list. */
export class CaseListQuery {
  @ApiPropertyOptional({ enum: CASE_STATUSES, isArray: true, description: 'One or more (comma-separated)' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(4)
  @IsIn(CASE_STATUSES, { each: true })
  status?: CaseStatus[];

  @ApiPropertyOptional({ enum: CASE_TYPES, isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(CASE_TYPES, { each: true })
  type?: CaseType[];

  @ApiPropertyOptional({ enum: SAFETY_STATUSES, description: 'Matches only cases whose care team you are on' })
  @IsOptional()
  @IsIn(SAFETY_STATUSES)
  safetyStatus?: SafetyStatus;

  @ApiPropertyOptional({ enum: PLAN_PHASES })
  @IsOptional()
  @IsIn(PLAN_PHASES)
  phase?: PlanPhase;

  @ApiPropertyOptional({ format: 'uuid', description: 'Cases of this client' })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @ApiPropertyOptional({ maxLength: 100, description: "Part of a participant's name (or of the title, on your cases)" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: CASE_SORTS, default: 'updatedAt' })
  @IsOptional()
  @IsIn(CASE_SORTS)
  sort?: CaseSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: 'Default desc (asc for title)' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

  @ApiPropertyOptional({
    enum: CASE_LIST_INCLUDES,
    isArray: true,
    description:
      '`homework`: each case you see as care team also carries `homework` (due, overdue, awaiting review, next due) ' +
      'in the same query, instead of a homework overview request per case',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(1)
  @IsIn(CASE_LIST_INCLUDES, { each: true })
  include?: (typeof CASE_LIST_INCLUDES)[number][];
}

// ---- mapping -------------------------------------------------------------------------------------

const iso = (date: Date | null | undefined): string | null => (date == null ? null : date.toISOString());

export function toCaseResponse(view: CaseView): CaseResponse {
  return {
    view: view.view,
    id: view.id,
    type: view.type,
    status: view.status,
    statusChangedAt: view.statusChangedAt.toISOString(),
    createdAt: view.createdAt.toISOString(),
    participants: view.participants.map((participant) => ({ ...participant })),
    careTeam: view.careTeam.map((member) => ({ ...member })),
    ...(view.title !== undefined && { title: view.title }),
    ...(view.outcome !== undefined && { outcome: view.outcome }),
    ...(view.phase !== undefined && { phase: view.phase }),
    ...(view.updatedAt !== undefined && { updatedAt: view.updatedAt.toISOString() }),
    ...(view.createdByMembershipId !== undefined && { createdByMembershipId: view.createdByMembershipId }),
    ...(view.safety !== undefined && {
      safety: {
        status: view.safety.status,
        reason: view.safety.reason,
        changedAt: iso(view.safety.changedAt),
        changedByMembershipId: view.safety.changedByMembershipId,
      },
    }),
    ...(view.secretsPolicy !== undefined && { secretsPolicy: { ...view.secretsPolicy } }),
    ...(view.sharedSpacePaused !== undefined && { sharedSpacePaused: view.sharedSpacePaused }),
    ...(view.yourClientId !== undefined && { yourClientId: view.yourClientId }),
  };
}

export function toStatusChangeResponse(change: StatusChangeView): StatusChangeResponse {
  return {
    id: change.id,
    fromStatus: change.fromStatus,
    toStatus: change.toStatus,
    outcome: change.outcome,
    ...(change.reason !== undefined && { reason: change.reason }),
    changedAt: change.changedAt.toISOString(),
    ...(change.changedByMembershipId !== undefined && { changedByMembershipId: change.changedByMembershipId }),
  };
}

export function toSignatureResponse(signature: SignatureStatusView): SignatureStatusResponse {
  return { ...signature, signedAt: iso(signature.signedAt) };
}

export function toSecretsPolicyStatusResponse(status: SecretsPolicyStatusView): SecretsPolicyStatusResponse {
  return {
    current: status.current === null ? null : { ...status.current, createdAt: status.current.createdAt.toISOString() },
    participants: status.participants.map(toSignatureResponse),
    complete: status.complete,
  };
}
