import { assessRedisDurability, readRedisDurability } from './redis-durability.js';

const safe = { maxmemoryPolicy: 'noeviction', appendonly: 'yes' };

describe('Redis durability check', () => {
  it.each([true, false])('accepts noeviction with AOF (production: %s)', (isProduction) => {
    expect(assessRedisDurability(safe, isProduction)).toEqual({ outcome: 'ok' });
  });

  it('refuses an evicting Redis in production, in one line', () => {
    const verdict = assessRedisDurability({ ...safe, maxmemoryPolicy: 'allkeys-lru' }, true);
    expect(verdict.outcome).toBe('refuse');
    expect(verdict.outcome !== 'ok' && verdict.message).toBe(
      'Worker refuses to start: Redis is not safe for queues: maxmemory-policy is "allkeys-lru", not noeviction ' +
        '(set maxmemory-policy noeviction and appendonly yes; see the README, Scaling).',
    );
  });

  it('refuses a Redis without AOF in production', () => {
    const verdict = assessRedisDurability({ ...safe, appendonly: 'no' }, true);
    expect(verdict).toEqual({ outcome: 'refuse', message: expect.stringContaining('appendonly is "no", not yes') });
  });

  it('refuses in production when Redis will not say (CONFIG disabled)', () => {
    const verdict = assessRedisDurability({ maxmemoryPolicy: undefined, appendonly: undefined }, true);
    expect(verdict).toEqual({
      outcome: 'refuse',
      message: expect.stringContaining(
        'maxmemory-policy is unknown (CONFIG GET refused), not noeviction and appendonly is unknown',
      ),
    });
  });

  it('only warns outside production, naming both problems', () => {
    expect(assessRedisDurability({ maxmemoryPolicy: 'volatile-lru', appendonly: 'no' }, false)).toEqual({
      outcome: 'warn',
      message:
        'Redis is not safe for queues: maxmemory-policy is "volatile-lru", not noeviction and appendonly is "no", not yes; ' +
        'acceptable outside production only',
    });
  });

  describe('reading the settings', () => {
    it('reads RESP2 and RESP3 replies', async () => {
      const replies: Record<string, unknown> = {
        'maxmemory-policy': ['maxmemory-policy', 'noeviction'],
        appendonly: { appendonly: 'yes' },
      };
      const client = { config: jest.fn((_sub: string, name: string) => Promise.resolve(replies[name])) };
      await expect(readRedisDurability(client as never)).resolves.toEqual(safe);
      expect(client.config).toHaveBeenCalledWith('GET', 'maxmemory-policy');
    });

    it('reports unknown when CONFIG is disabled', async () => {
      const client = { config: () => Promise.reject(new Error("ERR unknown command 'CONFIG'")) };
      await expect(readRedisDurability(client as never)).resolves.toEqual({
        maxmemoryPolicy: undefined,
        appendonly: undefined,
      });
    });

    it('passes connection errors on', async () => {
      const client = { config: () => Promise.reject(new Error('Connection is closed.')) };
      await expect(readRedisDurability(client as never)).rejects.toThrow('Connection is closed.');
    });
  });
});
