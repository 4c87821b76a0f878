import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { AccessAction } from '@mend/access';
import { DomainError, MEND_CONFIG, UnitOfWork, type MendConfig, type TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';
import { CalendarFeedService } from '@mend/sessions';

import { Public } from '../auth/public.decorator.js';
import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  CalendarFeedIssuedResponse,
  CalendarFeedParams,
  CalendarFeedQuery,
  CalendarFeedStatusResponse,
} from './sessions.dto.js';

const notFound = (): DomainError => new DomainError('not_found', 404, 'No such calendar feed');

/**
 * A counselor's private, read-only iCalendar feed of their sessions. THE ONE
 * PLACE IN MEND WHERE A SECRET TRAVELS IN A URL: calendar apps subscribe to a
 * URL and cannot send an Authorization header. Mitigations: a 256-bit random
 * token stored only as its SHA-256; revocable at any time (issuing a new URL
 * revokes the old); read-only; events carry no names, case titles or clinical
 * content (time, duration, modality, "Session"); the URL is shown once.
 */
@ApiTags('sessions')
@ApiProblemResponses()
@Controller()
export class CalendarFeedController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(CalendarFeedService) private readonly feeds: CalendarFeedService,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(MEND_CONFIG) private readonly config: MendConfig,
  ) {}

  @Get('me/calendar-feed')
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Whether your private calendar feed is live (the URL itself is never shown again)' })
  @ApiOkResponse({ type: CalendarFeedStatusResponse })
  async status(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CalendarFeedStatusResponse> {
    await this.access.authorize(AccessAction.CalendarFeedManage, { kind: 'user', userId: principal.userId });
    const status = await this.feeds.status(tx, principal.membershipId);
    return { active: status.active, createdAt: status.createdAt?.toISOString() ?? null };
  }

  @Post('me/calendar-feed')
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Issue your private calendar feed URL (revokes any previous one)',
    description:
      'The URL carries a secret token: the one place in Mend where a token travels in a URL (calendar apps cannot ' +
      'send headers). Anyone holding it sees your session times (no names or clinical content). Shown once.',
  })
  @ApiCreatedResponse({ type: CalendarFeedIssuedResponse })
  async issue(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CalendarFeedIssuedResponse> {
    await this.access.authorize(AccessAction.CalendarFeedManage, { kind: 'user', userId: principal.userId });
    const issued = await this.feeds.issue(tx, principal.membershipId, principal.userId, new Date());
    return {
      url: `${this.config.publicUrl}/api/v1/calendar-feeds/${tx.clinicId}/sessions.ics?token=${issued.token}`,
      createdAt: issued.createdAt.toISOString(),
    };
  }

  @Delete('me/calendar-feed')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Revoke your calendar feed URL (404 when none is live)' })
  @ApiNoContentResponse()
  async revoke(@Tx() tx: TenantTransaction, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.access.authorize(AccessAction.CalendarFeedManage, { kind: 'user', userId: principal.userId });
    if (!(await this.feeds.revoke(tx, principal.membershipId, principal.userId, new Date()))) throw notFound();
  }

  @Get('calendar-feeds/:clinicId/sessions.ics')
  @Public()
  @ApiProduces('text/calendar')
  @ApiOperation({
    summary: 'A counselor’s calendar feed (iCalendar), authenticated by the secret token in its URL',
    description: 'Unknown, malformed or revoked tokens are 404. Read-only; no names or clinical content.',
  })
  @ApiOkResponse({ description: 'text/calendar' })
  async feed(
    @Param() params: CalendarFeedParams,
    @Query() query: CalendarFeedQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const token = query.token;
    const text = await this.unitOfWork.run(params.clinicId.toLowerCase(), (tx) =>
      this.feeds.render(tx, token, new Date()),
    );
    if (text === null) throw notFound();
    void reply.header('content-type', 'text/calendar; charset=utf-8');
    void reply.header('cache-control', 'private, no-store');
    void reply.header('referrer-policy', 'no-referrer');
    return text;
  }
}
