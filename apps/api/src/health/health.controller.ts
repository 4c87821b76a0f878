import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { HealthService } from '@mend/core';

import { Public } from '../auth/public.decorator.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import { HealthReportResponse } from './health.response.js';

@ApiTags('health')
@ApiProblemResponses()
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get()
  @ApiOperation({
    summary: 'Health of the process and its dependencies',
    description:
      "PostgreSQL, Redis (or the demo queue backend), each queue's depth and the age of its oldest waiting job, and the outbox backlog. 503 names the failing parts.",
  })
  @ApiOkResponse({ type: HealthReportResponse, description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({
    type: HealthReportResponse,
    description: 'A dependency is down; `failing` names it',
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReportResponse> {
    const report = await this.health.check();
    void reply.status(report.status === 'ok' ? 200 : 503).header('cache-control', 'no-store');
    return report as HealthReportResponse;
  }
}
