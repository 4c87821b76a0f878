import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

import {
  AMENDMENT_REASON_MAX,
  NOTE_STATUSES,
  NOTE_TEMPLATES,
  PSYCHOTHERAPY_NOTE_MAX,
  type NoteStatus,
  type NoteTemplate,
} from '@mend/sessions';

export class NoteCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class NoteParams extends NoteCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  noteId: string;
}

export class MembershipParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  membershipId: string;
}

const BODY_DESCRIPTION =
  'The template fields (clinical.md §5.1). soap: subjective, objective, assessment, plan. dap: data, assessment, plan. ' +
  'birp: behavior, intervention, response, plan. couple: startTime, stopTime (HH:mm), cptCode, attendees (client ids), ' +
  'identifiedPatientClientId, targetProblems, riskScreen [{clientId, askedIndividually, suicidalIdeation, ' +
  'homicidalIdeation, intimatePartnerViolence}], measures [{administrationId?, instrument, clientId, score, rciLabel?}], ' +
  'interventions [text], response, homeworkReviewed / homeworkAssigned (assignment ids), plan, nextSession. free: text. ' +
  'Unknown fields are 400; signing needs the required fields (422 `note_incomplete`).';

export class CreateNoteRequest {
  @ApiProperty({ enum: NOTE_TEMPLATES })
  @IsIn(NOTE_TEMPLATES)
  template: NoteTemplate;

  @ApiPropertyOptional({ format: 'uuid', description: 'A session of this case (another case: 422)' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: BODY_DESCRIPTION })
  @IsObject()
  body: Record<string, unknown>;
}

export class UpdateNoteRequest {
  @ApiProperty({ type: 'object', additionalProperties: true, description: BODY_DESCRIPTION })
  @IsObject()
  body: Record<string, unknown>;

  @ApiProperty({ description: 'The revision you edited (stale: 409)' })
  @IsInt()
  @Min(1)
  revision: number;
}

export class AmendNoteRequest {
  @ApiProperty({ maxLength: AMENDMENT_REASON_MAX, description: 'Why the signed note changes' })
  @IsString()
  @Length(1, AMENDMENT_REASON_MAX)
  reason: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The fields that change, with their new values (same rules as the body)',
  })
  @IsObject()
  changes: Record<string, unknown>;
}

export class AmendmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) authorMembershipId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) changes: Record<string, unknown>;
  @ApiProperty({ type: [String] }) changedFields: string[];
}

export class NoteResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) sessionId: string | null;
  @ApiProperty({ format: 'uuid' }) authorMembershipId: string;
  @ApiProperty({ enum: NOTE_TEMPLATES }) template: NoteTemplate;
  @ApiProperty({ enum: NOTE_STATUSES }) status: NoteStatus;
  @ApiProperty() revision: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The note as written and signed' })
  body: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body with every amendment applied' })
  currentBody: Record<string, unknown>;
  @ApiProperty({ type: [AmendmentResponse] }) amendments: AmendmentResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) signedAt: string | null;
  @ApiProperty() cosignRequired: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cosignedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) cosignedByMembershipId: string | null;
}

export class NoteListResponse {
  @ApiProperty({ type: [NoteResponse] }) notes: NoteResponse[];
}

export class NoteQueueItemResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) sessionId: string | null;
  @ApiProperty({ format: 'uuid' }) authorMembershipId: string;
  @ApiProperty({ enum: NOTE_TEMPLATES }) template: NoteTemplate;
  @ApiProperty({ enum: NOTE_STATUSES }) status: NoteStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class NoteQueueResponse {
  @ApiProperty({
    type: [NoteQueueItemResponse],
    description: 'Your drafts and your signed notes awaiting co-signature',
  })
  unsigned: NoteQueueItemResponse[];
  @ApiProperty({ type: [NoteQueueItemResponse], description: "Your supervisees' notes awaiting your co-signature" })
  awaitingYourCosignature: NoteQueueItemResponse[];
}

export class CosignRequirementRequest {
  @ApiProperty({ description: "Whether this counselor's progress notes need a supervisor's co-signature" })
  @IsBoolean()
  required: boolean;
}

export class CosignRequirementResponse {
  @ApiProperty({ format: 'uuid' }) membershipId: string;
  @ApiProperty() required: boolean;
}

export class CreatePsychotherapyNoteRequest {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @ApiProperty({ maxLength: PSYCHOTHERAPY_NOTE_MAX })
  @IsString()
  @Length(1, PSYCHOTHERAPY_NOTE_MAX)
  body: string;
}

export class UpdatePsychotherapyNoteRequest {
  @ApiProperty({ maxLength: PSYCHOTHERAPY_NOTE_MAX })
  @IsString()
  @Length(1, PSYCHOTHERAPY_NOTE_MAX)
  body: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  revision: number;
}

export class PsychotherapyNoteResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) sessionId: string | null;
  @ApiProperty() body: string;
  @ApiProperty() revision: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PsychotherapyNoteListResponse {
  @ApiProperty({ type: [PsychotherapyNoteResponse] }) notes: PsychotherapyNoteResponse[];
}
