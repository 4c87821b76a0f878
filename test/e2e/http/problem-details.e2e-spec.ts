import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';

import { createLogger, PROBLEM_CONTENT_TYPE } from '@mend/core';
import { testConfig } from '@mend/testing';

import { Public } from '../../../apps/api/src/auth/public.decorator.js';
import { BODY_LIMIT_BYTES, createApiApplication } from '../../../apps/api/src/bootstrap.js';

class EchoRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(20)
  label: string;

  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(10)
  rating: number;
}

/** A route that exists only in this test, to exercise body parsing and validation (no sign-in needed). */
@Public()
@Controller('test-echo')
class EchoController {
  @Post()
  @HttpCode(200)
  echo(@Body() body: EchoRequest): EchoRequest {
    return body;
  }

  @Post('boom')
  boom(): never {
    throw new Error('internal detail: relation "secret_table" does not exist');
  }
}

describe('errors as application/problem+json', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createApiApplication(testConfig(), createLogger('silent', 'test'), {
      extraControllers: [EchoController],
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  const inject = (options: {
    method: 'GET' | 'POST';
    url: string;
    payload?: string;
    headers?: Record<string, string>;
  }) => app.getHttpAdapter().getInstance().inject(options);

  function expectProblem(response: Awaited<ReturnType<typeof inject>>, status: number, code: string) {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      status,
      code,
      type: expect.stringContaining(code) as unknown,
      title: expect.any(String) as unknown,
    });
    expect(body.correlationId).toBe(response.headers['x-request-id']);
    return body;
  }

  it('accepts a valid body', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      payload: JSON.stringify({ label: 'ok', rating: 3 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ label: 'ok', rating: 3 });
  });

  it('answers malformed JSON with 400', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      payload: '{"label": "ok",',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 400, 'malformed_json');
  });

  it('answers an oversize body with 413', async () => {
    const payload = JSON.stringify({ label: 'x'.repeat(BODY_LIMIT_BYTES + 10), rating: 1 });
    const response = await inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 413, 'body_too_large');
  });

  it('answers a wrong media type with 415', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      payload: 'label=ok',
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('answers an unknown route with 404', async () => {
    const response = await inject({ method: 'GET', url: '/api/v1/no-such-route' });
    expectProblem(response, 404, 'route_not_found');
  });

  it('names each invalid field and its rule, without echoing values', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      payload: JSON.stringify({ label: 'a synthetic label that is far too long', rating: 99, clinicId: 'injected' }),
      headers: { 'content-type': 'application/json' },
    });
    const body = expectProblem(response, 400, 'validation_failed');
    const errors = body.errors as { field: string; rule: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'label', rule: 'maxLength' }),
        expect.objectContaining({ field: 'rating', rule: 'max' }),
        expect.objectContaining({ field: 'clinicId', rule: 'whitelistValidation' }),
      ]),
    );
    expect(response.body).not.toContain('far too long');
  });

  it('hides internals of an unexpected error behind an error id', async () => {
    const response = await inject({ method: 'POST', url: '/api/v1/test-echo/boom' });
    const body = expectProblem(response, 500, 'internal_error');
    expect(body.errorId).toEqual(expect.any(String));
    expect(response.body).not.toMatch(/secret_table|relation "|at \w+ \(/);
  });

  it('keeps a safe caller-supplied X-Request-Id and replaces an unsafe one', async () => {
    const kept = await inject({
      method: 'GET',
      url: '/api/v1/no-such-route',
      headers: { 'x-request-id': 'trace-12345678' },
    });
    expect(kept.headers['x-request-id']).toBe('trace-12345678');
    const replaced = await inject({
      method: 'GET',
      url: '/api/v1/no-such-route',
      headers: { 'x-request-id': 'bad id <script>' },
    });
    expect(replaced.headers['x-request-id']).not.toContain('<script>');
  });

  it('serves the OpenAPI document', async () => {
    const response = await inject({ method: 'GET', url: '/api/docs-json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toContain('/health');
  });
});

describe('OpenAPI document', () => {
  it('documents the problem+json error body on every operation of the real application', async () => {
    const app = await createApiApplication(testConfig(), createLogger('silent', 'test'));
    try {
      await app.init();
      const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/docs-json' });
      const document = response.json<{
        paths: Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>
        >;
        components: { schemas: Record<string, unknown> };
      }>();
      expect(document.components.schemas.ProblemResponse).toBeDefined();
      const undocumented: string[] = [];
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const problem = operation.responses.default?.content?.['application/problem+json']?.schema?.$ref;
          if (problem !== '#/components/schemas/ProblemResponse') undocumented.push(`${method.toUpperCase()} ${path}`);
        }
      }
      expect(undocumented).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
