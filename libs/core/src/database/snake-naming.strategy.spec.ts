import { SnakeNamingStrategy } from './snake-naming.strategy.js';

describe('SnakeNamingStrategy', () => {
  const strategy = new SnakeNamingStrategy();

  it('turns property names into snake_case columns', () => {
    expect(strategy.columnName('clinicId', undefined, [])).toBe('clinic_id');
    expect(strategy.columnName('publishedAt', undefined, [])).toBe('published_at');
    expect(strategy.columnName('id', 'custom_name', [])).toBe('custom_name');
  });

  it('turns class names into snake_case tables unless named', () => {
    expect(strategy.tableName('OutboxMessage', undefined)).toBe('outbox_message');
    expect(strategy.tableName('OutboxMessage', 'outbox')).toBe('outbox');
    expect(strategy.tableName('HTTPLog', undefined)).toBe('http_log');
  });
});
