import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import { CLIENT_SORTS, MAX_PAGE_SIZE, type ClientSort, type ClientView } from '@mend/clients';
import { CLIENT_STATUSES, REMINDER_CHANNELS, type ClientStatus, type ReminderChannel } from '@mend/contracts';

const PHONE = /^\+?[0-9 ().-]{3,40}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export class ClientIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;
}

export class ClientResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ example: 'Europe/London' }) timezone: string;
  @ApiProperty({ enum: REMINDER_CHANNELS }) reminderChannel: ReminderChannel;
  @ApiProperty({ nullable: true, type: String, example: '19:30', description: 'Local time (HH:MM) in `timezone`' })
  reminderTime: string | null;
  @ApiProperty({ description: 'Notifications say only that there is an update in Mend' })
  discreetNotifications: boolean;
  @ApiProperty({ enum: CLIENT_STATUSES }) status: ClientStatus;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) archivedAt: string | null;
  @ApiProperty({ description: 'A portal account is linked' }) hasPortalAccess: boolean;
  @ApiProperty({ description: 'A portal invitation is open' }) invitationPending: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdByMembershipId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ClientInvitationResponse {
  @ApiProperty({ format: 'uuid' }) invitationId: string;
  @ApiProperty({ description: 'Single use, valid 7 days; shown only here. Mend sends no email yet: hand it over.' })
  link: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class CreatedClientResponse extends ClientResponse {
  @ApiPropertyOptional({ type: ClientInvitationResponse, description: 'Present when `invite` was true' })
  invitation?: ClientInvitationResponse;
}

export class ClientPageResponse {
  @ApiProperty({ type: [ClientResponse] }) items: ClientResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}

/** Optional but never null: absent leaves the value as it is; null is refused (the column has no null). */
const PRESENT = (_: object, value: unknown): boolean => value !== undefined;

class ClientFields {
  @ApiPropertyOptional({ nullable: true, type: String, example: 'jordan.pike@example.org' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '+44 20 7946 0000' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(PHONE, { message: 'phone must be a phone number (digits, spaces, + ( ) . -), 3 to 40 characters' })
  phone?: string | null;

  @ApiPropertyOptional({ enum: REMINDER_CHANNELS, default: 'email' })
  @ValidateIf(PRESENT)
  @IsIn(REMINDER_CHANNELS)
  reminderChannel?: ReminderChannel;

  @ApiPropertyOptional({ nullable: true, type: String, example: '19:30', description: 'HH:MM, local to the client' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(TIME_OF_DAY, { message: 'reminderTime must be a time of day HH:MM' })
  reminderTime?: string | null;

  @ApiPropertyOptional({ default: false })
  @ValidateIf(PRESENT)
  @IsBoolean()
  discreetNotifications?: boolean;
}

export class CreateClientRequest extends ClientFields {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Jordan Pike' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName: string;

  @ApiProperty({ example: 'Europe/London', description: 'An IANA time zone' })
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timezone: string;

  @ApiPropertyOptional({ default: false, description: 'Also invite the client to the portal (needs an email)' })
  @IsOptional()
  @IsBoolean()
  invite?: boolean;
}

export class UpdateClientRequest extends ClientFields {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @ValidateIf(PRESENT)
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName?: string;

  @ApiPropertyOptional({ example: 'Europe/Lisbon' })
  @ValidateIf(PRESENT)
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timezone?: string;
}

/** What a client may change themselves from the portal. */
export class UpdateClientPreferencesRequest {
  @ApiPropertyOptional({ enum: REMINDER_CHANNELS })
  @ValidateIf(PRESENT)
  @IsIn(REMINDER_CHANNELS)
  reminderChannel?: ReminderChannel;

  @ApiPropertyOptional({ nullable: true, type: String, example: '08:15' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(TIME_OF_DAY, { message: 'reminderTime must be a time of day HH:MM' })
  reminderTime?: string | null;

  @ApiPropertyOptional()
  @ValidateIf(PRESENT)
  @IsBoolean()
  discreetNotifications?: boolean;

  @ApiPropertyOptional({ example: 'Europe/Lisbon' })
  @ValidateIf(PRESENT)
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timezone?: string;
}

/** The query of `GET /clients`: an allow-list (any other parameter is a 400). */
export class ClientListQuery {
  @ApiPropertyOptional({ maxLength: 100, description: 'Part of the name or the email' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: CLIENT_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(CLIENT_STATUSES)
  status?: ClientStatus;

  @ApiPropertyOptional({ enum: CLIENT_SORTS, default: 'displayName' })
  @IsOptional()
  @IsIn(CLIENT_SORTS)
  sort?: ClientSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export function toClientResponse(client: ClientView): ClientResponse {
  return {
    id: client.id,
    displayName: client.displayName,
    email: client.email,
    phone: client.phone,
    timezone: client.timezone,
    reminderChannel: client.reminderChannel,
    reminderTime: client.reminderTime,
    discreetNotifications: client.discreetNotifications,
    status: client.status,
    archivedAt: client.archivedAt?.toISOString() ?? null,
    hasPortalAccess: client.hasPortalAccess,
    invitationPending: client.invitationPending,
    createdByMembershipId: client.createdByMembershipId,
    createdAt: client.createdAt.toISOString(),
    updatedAt: client.updatedAt.toISOString(),
  };
}
