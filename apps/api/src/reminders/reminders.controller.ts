import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { AccessAction } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';
import {
  CLIENT_FACING_CATEGORIES,
  REMINDER_CATEGORIES,
  REMINDER_CHANNELS,
  ReminderAdmin,
  ReminderSettingsService,
  type ClientReminderSettings,
  type ClinicReminderSettings,
} from '@mend/notifications';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ClientIdParams } from '../clients/clients.dto.js';
import { ApiProblemResponses } from '../http/problem.response.js';

const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

export class QuietHoursDto {
  @ApiProperty({ example: '21:00', description: 'Start, local time HH:MM (24-hour)' })
  @IsString()
  @Matches(HH_MM, { message: 'start must be HH:MM (24-hour)' })
  start: string;

  @ApiProperty({ example: '08:00', description: 'End, local time HH:MM; before start means the next morning' })
  @IsString()
  @Matches(HH_MM, { message: 'end must be HH:MM (24-hour)' })
  end: string;
}

export class ClinicReminderSettingsResponse {
  @ApiProperty({ enum: REMINDER_CHANNELS, isArray: true }) channels: string[];
  @ApiProperty({ example: '18:00', description: "Default local time of client reminders (the client's timezone)" })
  localTime: string;
  @ApiProperty({ type: QuietHoursDto, description: "Quiet hours in the recipient's local time" })
  quietHours: QuietHoursDto;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) updatedAt: string | null;
}

/** Optional but never null: absent leaves the setting as it is; null is refused, not passed on as a value. */
const PRESENT = (_: object, value: unknown): boolean => value !== undefined;

export class UpdateClinicReminderSettingsRequest {
  @ApiPropertyOptional({ enum: REMINDER_CHANNELS, isArray: true })
  @ValidateIf(PRESENT)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsIn(REMINDER_CHANNELS, { each: true })
  channels?: string[];

  @ApiPropertyOptional({ example: '18:00' })
  @ValidateIf(PRESENT)
  @IsString()
  @Matches(HH_MM, { message: 'localTime must be HH:MM (24-hour)' })
  localTime?: string;

  @ApiPropertyOptional({ type: QuietHoursDto })
  @ValidateIf(PRESENT)
  @IsObject()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;
}

export class CategoryPreferenceDto {
  @ApiProperty({ enum: CLIENT_FACING_CATEGORIES })
  @IsString()
  @IsIn(CLIENT_FACING_CATEGORIES, {
    message: 'category must be a reminder category clients receive (safety messages cannot be opted out of)',
  })
  category: string;

  @ApiPropertyOptional({
    enum: REMINDER_CHANNELS,
    nullable: true,
    type: String,
    description: "null: the client's channel",
  })
  @IsOptional()
  @IsIn(REMINDER_CHANNELS)
  channel?: string | null;

  @ApiPropertyOptional({ example: '19:30', nullable: true, type: String, description: "null: the client's time" })
  @IsOptional()
  @IsString()
  @Matches(HH_MM, { message: 'localTime must be HH:MM (24-hour)' })
  localTime?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  optedOut?: boolean;
}

export class ClientReminderPreferencesResponse {
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ type: QuietHoursDto, nullable: true, description: "null: the clinic's quiet hours" })
  quietHours: QuietHoursDto | null;
  @ApiProperty({ type: [CategoryPreferenceDto] }) preferences: CategoryPreferenceDto[];
}

export class UpdateClientReminderPreferencesRequest {
  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true, description: "null: use the clinic's quiet hours" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;

  @ApiPropertyOptional({ type: [CategoryPreferenceDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REMINDER_CATEGORIES.length)
  @ValidateNested({ each: true })
  @Type(() => CategoryPreferenceDto)
  preferences?: CategoryPreferenceDto[];
}

export class FailedReminderResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REMINDER_CATEGORIES }) category: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) recipientMembershipId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) recipientClientId: string | null;
  @ApiProperty({ enum: REMINDER_CHANNELS, isArray: true }) channels: string[];
  @ApiProperty({ format: 'date-time' }) fireAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) failedAt: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String, description: 'An error code, never a message' }) lastError:
    string | null;
}

export class FailedRemindersQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class ReminderIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  reminderId: string;
}

export class RetriedReminderResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'pending' }) status: string;
}

const clinicResponse = (settings: ClinicReminderSettings): ClinicReminderSettingsResponse => ({
  channels: [...settings.channels],
  localTime: settings.localTime,
  quietHours: { ...settings.quietHours },
  updatedAt: settings.updatedAt?.toISOString() ?? null,
});

const clientResponse = (settings: ClientReminderSettings): ClientReminderPreferencesResponse => ({
  clientId: settings.clientId,
  quietHours: settings.quietHours === null ? null : { ...settings.quietHours },
  preferences: settings.preferences.map((preference) => ({ ...preference })),
});

/**
 * Reminder settings: the clinic's defaults (channels, default time, quiet hours),
 * a client's own overrides (quiet hours; per category channel, time, opt-out —
 * never for safety messages), and the clinic admin's list of reminders that
 * failed every attempt, with a retry.
 */
@ApiTags('reminders')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class RemindersController {
  private readonly settings = new ReminderSettingsService();
  private readonly admin = new ReminderAdmin();

  constructor(@Inject(RequestAccess) private readonly access: RequestAccess) {}

  @Get('clinic/reminder-settings')
  @ApiOperation({ summary: "The clinic's reminder defaults" })
  @ApiOkResponse({ type: ClinicReminderSettingsResponse })
  async getClinic(@Tx() tx: TenantTransaction): Promise<ClinicReminderSettingsResponse> {
    await this.access.authorize(AccessAction.ClinicRead, { kind: 'clinic' });
    return clinicResponse(await this.settings.clinic(tx));
  }

  @Put('clinic/reminder-settings')
  @ApiOperation({ summary: "Change the clinic's reminder defaults (clinic admins)" })
  @ApiOkResponse({ type: ClinicReminderSettingsResponse })
  async updateClinic(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateClinicReminderSettingsRequest,
  ): Promise<ClinicReminderSettingsResponse> {
    await this.access.authorize(AccessAction.ClinicUpdate, { kind: 'clinic' });
    return clinicResponse(await this.settings.updateClinic(tx, principal, body));
  }

  @Get('clients/:clientId/reminder-preferences')
  @ApiOperation({ summary: "A client's reminder preferences (quiet hours; per category channel, time, opt-out)" })
  @ApiOkResponse({ type: ClientReminderPreferencesResponse })
  async getClient(
    @Tx() tx: TenantTransaction,
    @Param() params: ClientIdParams,
  ): Promise<ClientReminderPreferencesResponse> {
    await this.access.authorize(AccessAction.ClientRead, { kind: 'client', clientId: params.clientId });
    return clientResponse(await this.settings.client(tx, params.clientId));
  }

  @Put('clients/:clientId/reminder-preferences')
  @ApiOperation({
    summary: "Change a client's reminder preferences",
    description:
      'The client themself, their care team or a clinic admin. Categories listed are replaced; others are unchanged. ' +
      'Safety messages to staff are not client categories and can never be opted out of.',
  })
  @ApiOkResponse({ type: ClientReminderPreferencesResponse })
  async updateClient(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ClientIdParams,
    @Body() body: UpdateClientReminderPreferencesRequest,
  ): Promise<ClientReminderPreferencesResponse> {
    await this.access.authorize(AccessAction.ClientUpdatePreferences, { kind: 'client', clientId: params.clientId });
    return clientResponse(await this.settings.updateClient(tx, principal, params.clientId, body));
  }

  @Get('reminders/failed')
  @ApiOperation({ summary: 'Reminders that failed every delivery attempt (clinic admins; ids and error codes only)' })
  @ApiOkResponse({ type: [FailedReminderResponse] })
  async listFailed(
    @Tx() tx: TenantTransaction,
    @Query() query: FailedRemindersQuery,
  ): Promise<FailedReminderResponse[]> {
    await this.access.authorize(AccessAction.ReminderFailedList, { kind: 'clinic' });
    const rows = await this.admin.listFailed(tx, query.limit ?? 50);
    return rows.map((row) => ({
      ...row,
      channels: [...row.channels],
      fireAt: row.fireAt.toISOString(),
      failedAt: row.failedAt?.toISOString() ?? null,
    }));
  }

  @Post('reminders/:reminderId/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retry a failed reminder (clinic admins)',
    description:
      'Puts it back in line now, under a new job id; a reminder that is not failed is 409 `reminder_not_failed`.',
  })
  @ApiOkResponse({ type: RetriedReminderResponse })
  async retry(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ReminderIdParams,
  ): Promise<RetriedReminderResponse> {
    await this.access.authorize(AccessAction.ReminderRetry, { kind: 'clinic' });
    return this.admin.retry(tx, principal, params.reminderId);
  }
}
