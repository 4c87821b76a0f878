import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';

import { CoreError, CoreErrorCode, DependencyUnavailableError } from '@mend/core';

import { classify } from './problem.filter.js';

describe('classify', () => {
  it("keeps a domain error's status, code, detail and field errors", () => {
    const errors = [{ field: 'dueDate', rule: 'isAfter', message: 'dueDate must be after startDate' }];
    expect(classify(new CoreError(CoreErrorCode.RuleViolated, 'Dates out of order', errors))).toEqual({
      status: 422,
      code: 'rule_violated',
      detail: 'Dates out of order',
      errors,
    });
  });

  it('turns an unreachable dependency into 503', () => {
    expect(classify(new DependencyUnavailableError('database')).status).toBe(503);
    expect(
      classify(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({
      status: 503,
      code: 'dependency_unavailable',
    });
    expect(classify({ driverError: { code: '57P01' } }).status).toBe(503);
    expect(classify(new Error('Connection terminated unexpectedly')).status).toBe(503);
    // pg-pool, when every pooled connection stays busy past connectionTimeoutMillis (overload).
    expect(classify(new Error('timeout exceeded when trying to connect'))).toMatchObject({
      status: 503,
      code: 'dependency_unavailable',
    });
  });

  it("maps Fastify's own errors, also when Nest wrapped them", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    expect(classify(tooLarge)).toMatchObject({ status: 413, code: 'body_too_large' });
    const media = Object.assign(new Error('Unsupported Media Type'), {
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      statusCode: 415,
    });
    expect(classify(new HttpException('Unsupported Media Type', 415, { cause: media }))).toMatchObject({
      status: 415,
      code: 'unsupported_media_type',
    });
  });

  it('answers an unknown route as 404 and other HTTP errors by status', () => {
    expect(classify(new NotFoundException('Cannot GET /x'))).toMatchObject({ status: 404, code: 'route_not_found' });
    expect(classify(new BadRequestException('Bad thing'))).toMatchObject({ status: 400, detail: 'Bad thing' });
  });

  it('hides everything else behind a 500 without details', () => {
    const result = classify(new Error('relation "clients" does not exist'));
    expect(result).toEqual({
      status: 500,
      code: 'internal_error',
      detail: 'The server could not complete the request',
    });
  });
});
