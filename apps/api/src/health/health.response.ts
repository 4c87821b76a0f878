import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ComponentHealthResponse {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  @ApiPropertyOptional({ description: 'Round trip of the check, in milliseconds' })
  latencyMs?: number;

  @ApiPropertyOptional({ description: 'A short error code (never hosts or credentials)' })
  error?: string;
}

export class RedisHealthResponse extends ComponentHealthResponse {
  @ApiProperty({ enum: ['redis', 'postgres'], description: 'postgres only in the embedded demo' })
  backend: 'redis' | 'postgres';
}

export class QueueHealthResponse {
  @ApiProperty() name: string;
  @ApiProperty() waiting: number;
  @ApiProperty() delayed: number;
  @ApiProperty() active: number;
  @ApiProperty() failed: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Age in seconds of the oldest waiting job' })
  oldestWaitingAgeSeconds: number | null;
}

export class OutboxHealthResponse {
  @ApiProperty({ description: 'Committed outbox rows not yet published to a queue' })
  pending: number;

  @ApiProperty({ nullable: true, type: Number })
  oldestPendingAgeSeconds: number | null;
}

export class ReminderHealthResponse {
  @ApiProperty({ description: 'Reminders due and not yet claimed by a worker' })
  due: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Seconds since the oldest unclaimed reminder was due' })
  oldestDueAgeSeconds: number | null;

  @ApiProperty({ description: 'Reminders claimed and waiting for their delivery' })
  queued: number;

  @ApiProperty({ description: 'Reminders that failed every attempt (clinic admins may retry them)' })
  failed: number;
}

export class HealthReportResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: 'ok' | 'unavailable';

  @ApiProperty({ format: 'date-time' })
  checkedAt: string;

  @ApiProperty({ type: ComponentHealthResponse })
  database: ComponentHealthResponse;

  @ApiProperty({ type: RedisHealthResponse })
  redis: RedisHealthResponse;

  @ApiProperty({ type: [QueueHealthResponse] })
  queues: QueueHealthResponse[];

  @ApiProperty({ type: OutboxHealthResponse, nullable: true })
  outbox: OutboxHealthResponse | null;

  @ApiProperty({ type: ReminderHealthResponse, nullable: true })
  reminders: ReminderHealthResponse | null;

  @ApiProperty({ type: [String], description: 'Failing parts: database, redis or queue' })
  failing: string[];
}
