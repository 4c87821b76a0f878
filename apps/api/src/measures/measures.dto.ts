import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

export class CaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class AdministrationParams extends CaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  administrationId: string;
}

export class ClientMeasureParams extends CaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;

  @ApiProperty({ example: 'phq-9' })
  @IsString()
  @Length(1, 64)
  measureId: string;
}

export class CaseMeasureParams extends CaseParams {
  @ApiProperty({ example: 'csi-4' })
  @IsString()
  @Length(1, 64)
  measureId: string;
}

export class MeasureParams {
  @ApiProperty({ example: 'csi-4' })
  @IsString()
  @Length(1, 64)
  measureId: string;
}

export class MeasureVersionParams {
  @ApiProperty({ example: 'phq-9' })
  @IsString()
  @Length(1, 64)
  measureId: string;

  @ApiProperty({ example: '1' })
  @IsString()
  @Length(1, 40)
  version: string;
}

export class VersionQuery {
  @ApiPropertyOptional({ description: 'Instrument version (default: the latest)' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  version?: string;
}

export class ScheduleMeasureRequest {
  @ApiProperty({ format: 'uuid', description: 'A participant of the case' })
  @IsUUID()
  clientId: string;

  @ApiProperty({ example: 'phq-9' })
  @IsString()
  @Length(1, 64)
  measureId: string;

  @ApiProperty({ example: '1' })
  @IsString()
  @Length(1, 40)
  version: string;

  @ApiProperty({ example: '2026-05-04', description: "First due date, in the client's timezone" })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  startDate: string;

  @ApiProperty({ example: '18:00', description: "Due time, in the client's timezone" })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/)
  localTime: string;

  @ApiPropertyOptional({ description: 'Repeat every N days (absent: once)', minimum: 1, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  intervalDays?: number;

  @ApiPropertyOptional({
    description: 'How many administrations when recurring (absent: until stopped)',
    minimum: 1,
    maximum: 200,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  occurrences?: number;
}

export class RecordAdministrationRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;

  @ApiProperty({ example: 'phq-9' })
  @IsString()
  @Length(1, 64)
  measureId: string;

  @ApiProperty({ example: '1' })
  @IsString()
  @Length(1, 40)
  version: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { phq9_1: 2 } })
  @IsObject()
  answers: Record<string, number | null>;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the paper form was filled in (default now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  administeredAt?: string;
}

export class CompleteAdministrationRequest {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { phq9_1: 2 } })
  @IsObject()
  answers: Record<string, number | null>;
}

export class AddClinicMeasureRequest {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'A measure definition (the schema of @mend/measures)',
  })
  @IsObject()
  definition: Record<string, unknown>;

  @ApiProperty({ description: "The clinic's licence for this measure (reference or note)", maxLength: 500 })
  @IsString()
  @Length(1, 500)
  licenceReference: string;
}

export class LicenceConfirmationRequest {
  @ApiProperty({
    maxLength: 500,
    example: "Authors' email of 2026-03-02 (Rogge lab), ref CSI-2026-01",
    description:
      "How the clinic accepts or holds the rights holder's terms: a reference or note (e.g. the date of the authors' written confirmation). No clinical content.",
  })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'reference must not be blank' })
  reference: string;
}

export class ObjectResponse {
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
}
