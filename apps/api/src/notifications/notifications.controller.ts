import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

import { AccessAction } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';
import { NotificationCenter, type NotificationView } from '@mend/notifications';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';

export class NotificationIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  notificationId: string;
}

export class NotificationListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  before?: string;

  @ApiPropertyOptional({ description: 'Only unread notifications' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unreadOnly must be true or false' })
  unreadOnly?: boolean;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'disclosure.made' }) kind: string;
  @ApiProperty({ example: 'Something you wrote was shared in your case', description: 'Content-free' })
  title: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'disclosure' }) subjectType: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) subjectId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: string | null;
}

export class NotificationPageResponse {
  @ApiProperty({ type: [NotificationResponse] }) items: NotificationResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class UnreadCountResponse {
  @ApiProperty() unread: number;
}

export class MarkedReadResponse {
  @ApiProperty({ description: 'How many notifications were marked read' }) marked: number;
}

const toResponse = (view: NotificationView): NotificationResponse => ({
  ...view,
  createdAt: view.createdAt.toISOString(),
  readAt: view.readAt?.toISOString() ?? null,
});

const self = (principal: Principal) => ({ kind: 'user' as const, userId: principal.userId });

/** The caller's own in-app notifications (this issue: in-app only). Another member's notification is 404. */
@ApiTags('notifications')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(NotificationCenter) private readonly center: NotificationCenter,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My notifications, newest first (paged)' })
  @ApiOkResponse({ type: NotificationPageResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Query() query: NotificationListQuery,
  ): Promise<NotificationPageResponse> {
    await this.access.authorize(AccessAction.NotificationList, self(principal));
    const page = await this.center.list(tx, principal, {
      limit: query.limit ?? 20,
      before: query.before ?? null,
      unreadOnly: query.unreadOnly,
    });
    return { items: page.items.map(toResponse), nextCursor: page.nextCursor };
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many of my notifications are unread' })
  @ApiOkResponse({ type: UnreadCountResponse })
  async unreadCount(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UnreadCountResponse> {
    await this.access.authorize(AccessAction.NotificationList, self(principal));
    return { unread: await this.center.unreadCount(tx, principal) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my notifications read' })
  @ApiOkResponse({ type: MarkedReadResponse })
  async readAll(@Tx() tx: TenantTransaction, @CurrentPrincipal() principal: Principal): Promise<MarkedReadResponse> {
    await this.access.authorize(AccessAction.NotificationMarkRead, self(principal));
    return { marked: await this.center.markAllRead(tx, principal) };
  }

  @Post(':notificationId/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notifications read (idempotent)' })
  @ApiOkResponse({ type: NotificationResponse })
  async read(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NotificationIdParams,
  ): Promise<NotificationResponse> {
    await this.access.authorize(AccessAction.NotificationMarkRead, self(principal));
    return toResponse(await this.center.markRead(tx, principal, params.notificationId));
  }
}
