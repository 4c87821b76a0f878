import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AccessAction } from '@mend/access';
import { queryAuditEvents } from '@mend/audit';
import type { TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import { AuditEventPageResponse, AuditEventsQuery, toAuditEventResponse } from './audit-events.dto.js';

/**
 * The clinic's audit trail for its clinic admins (the access policy refuses
 * other members with 403, like the other admin routes). The clinic is the token's: another clinic's rows are
 * invisible however the filters are set.
 */
@ApiTags('audit')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('audit-events')
export class AuditEventsController {
  constructor(@Inject(RequestAccess) private readonly access: RequestAccess) {}

  @Get()
  @ApiOperation({
    summary: "Query the clinic's audit trail (clinic admins)",
    description:
      'Newest first, paged by a keyset cursor (`before`). Filters combine with AND: e.g. who signed in this ' +
      'month is `action=auth.login&outcome=success&from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z`. ' +
      'The query is itself recorded (`audit.read`). Unknown parameters are 400; `from` after `to` is 422.',
  })
  @ApiOkResponse({ type: AuditEventPageResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Query() query: AuditEventsQuery,
  ): Promise<AuditEventPageResponse> {
    await this.access.authorize(AccessAction.AuditEventList, { kind: 'clinic' });
    const page = await queryAuditEvents(
      tx,
      { userId: principal.userId, membershipId: principal.membershipId, ip: principal.ip ?? null },
      {
        ...query,
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
      },
    );
    return { items: page.items.map(toAuditEventResponse), nextBefore: page.nextBefore };
  }
}
