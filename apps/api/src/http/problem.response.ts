import { applyDecorators } from '@nestjs/common';
import { ApiDefaultResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblemResponse {
  @ApiProperty({ example: 'dueDate', description: 'Path of the field (dots and [index] for nested values)' })
  field: string;

  @ApiProperty({ example: 'isDateString', description: 'The rule that failed' })
  rule: string;

  @ApiProperty({ example: 'dueDate must be a valid ISO 8601 date string' })
  message: string;
}

/** RFC 9457 problem details: the body of every error (content type application/problem+json). */
export class ProblemResponse {
  @ApiProperty({ example: 'https://mend.example/problems/validation_failed' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'The request is invalid: see errors' })
  detail: string;

  @ApiProperty({
    example: 'validation_failed',
    description:
      'Stable machine-readable code: validation_failed, malformed_json, body_too_large, unsupported_media_type, route_not_found, not_found, unauthenticated, conflict, rule_violated, rate_limited, dependency_unavailable, internal_error, or a domain code',
  })
  code: string;

  @ApiPropertyOptional({ example: '/api/v1/cases' })
  instance?: string;

  @ApiProperty({ description: 'Also sent as the X-Request-Id header; quote it when reporting a problem' })
  correlationId: string;

  @ApiPropertyOptional({ type: [FieldProblemResponse], description: 'One entry per invalid field and rule' })
  errors?: FieldProblemResponse[];

  @ApiPropertyOptional({ description: 'Present on 500: the id under which the error was logged' })
  errorId?: string;
}

/** Documents the problem+json body that every route answers on error. */
export function ApiProblemResponses(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiDefaultResponse({
      description: 'An error, as application/problem+json',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemResponse' } } },
    }),
  );
}
