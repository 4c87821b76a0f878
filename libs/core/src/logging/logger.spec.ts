import { Writable } from 'node:stream';

import { runWithContext } from '../context/request-context.js';
import { createLogger, isoTimeOncePerMillisecond, withoutSecrets } from './logger.js';

/** The lines a logger writes, parsed. */
function capture(): { lines: Record<string, unknown>[]; destination: Writable } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes the ids of the work in progress, and leaves out those it has not', () => {
    const { lines, destination } = capture();
    const logger = createLogger('info', 'test', { destination });
    runWithContext({ correlationId: 'req-1', clinicId: 'clinic-a' }, () => logger.info('first'));
    runWithContext({ jobId: 'job-7', userId: 'user-b' }, () => logger.info({ correlationId: 'given' }, 'second'));
    logger.info('outside');
    runWithContext({ correlationId: 'req-2', scope: { secret: 'scope-content' } }, () => logger.info('scoped'));

    expect(lines[0]).toMatchObject({ msg: 'first', correlationId: 'req-1', clinicId: 'clinic-a' });
    expect(Object.keys(lines[0])).not.toEqual(expect.arrayContaining(['userId']));
    expect(Object.keys(lines[0])).not.toEqual(expect.arrayContaining(['jobId']));
    // The line's own fields win over the context's.
    expect(lines[1]).toMatchObject({ msg: 'second', correlationId: 'given', jobId: 'job-7', userId: 'user-b' });
    expect(Object.keys(lines[1])).not.toEqual(expect.arrayContaining(['clinicId']));
    expect(lines[2]).not.toHaveProperty('correlationId');
    expect(lines[2]).not.toHaveProperty('clinicId');
    // The API's request scope (transaction, caller) travels in the context but is never written.
    expect(lines[3]).toMatchObject({ msg: 'scoped', correlationId: 'req-2' });
    expect(lines[3]).not.toHaveProperty('scope');
    expect(JSON.stringify(lines[3])).not.toContain('scope-content');
  });

  it('stamps each line with the current time in ISO 8601', () => {
    const { lines, destination } = capture();
    const logger = createLogger('info', 'test', { destination });
    const before = Date.now();
    logger.info('now');
    const after = Date.now();
    const time = Date.parse(String(lines[0].time));
    expect(String(lines[0].time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
  });

  it('removes passwords, tokens and request headers and bodies', () => {
    const { lines, destination } = capture();
    const logger = createLogger('info', 'test', { destination });
    logger.info(
      {
        password: 'pw-1',
        token: 'tk-1',
        authorization: 'Bearer x',
        body: { password: 'pw-2', token: 'tk-2', kept: 1 },
        req: { method: 'POST', url: '/api/v1/auth/login?next=1', headers: { cookie: 'c' }, body: { password: 'pw-3' } },
      },
      'secrets',
    );
    const line = JSON.stringify(lines[0]);
    for (const secret of ['pw-1', 'pw-2', 'pw-3', 'tk-1', 'tk-2', 'Bearer x', 'cookie', 'next=1']) {
      expect(line).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ body: { kept: 1 }, req: { method: 'POST', path: '/api/v1/auth/login' } });
  });
});

describe('withoutSecrets', () => {
  it('passes a line with no secret on as it is', () => {
    const fields = { msg: 'x', nested: { kept: 1 }, list: [{ password: 'in a list, as redact left it' }] };
    expect(withoutSecrets(fields)).toBe(fields);
  });

  it("removes an error's token, keeping what the err serializer reads, and leaves the error itself alone", () => {
    const { lines, destination } = capture();
    const logger = createLogger('info', 'test', { destination });
    const error = Object.assign(new RangeError('link expired'), { token: 'tk-err', code: 'expired' });
    logger.error({ err: error }, 'failed');
    expect(lines[0].err).toMatchObject({ type: 'RangeError', message: 'link expired', code: 'expired' });
    expect((lines[0].err as { stack: string }).stack).toContain('RangeError: link expired');
    expect(JSON.stringify(lines[0])).not.toContain('tk-err');
    expect(error.token).toBe('tk-err');
  });

  it('removes secrets from a frozen object without touching it', () => {
    const frozen = Object.freeze({ password: 'pw-frozen', kept: true });
    const result = withoutSecrets({ login: frozen });
    expect(result).toEqual({ login: { kept: true } });
    expect(frozen.password).toBe('pw-frozen');
  });
});

describe('isoTimeOncePerMillisecond', () => {
  it('formats each millisecond once and a new one as soon as the clock moves', () => {
    let now = Date.UTC(2026, 10, 28, 23, 59, 59, 998);
    const clock = jest.fn(() => now);
    const time = isoTimeOncePerMillisecond(clock);
    const first = time();
    expect(first).toBe(',"time":"2026-11-28T23:59:59.998Z"');
    expect(time()).toBe(first);
    now += 1;
    expect(time()).toBe(',"time":"2026-11-28T23:59:59.999Z"');
    now += 1;
    expect(time()).toBe(',"time":"2026-11-29T00:00:00.000Z"');
    now -= 5_000; // a clock set back is formatted too
    expect(time()).toBe(',"time":"2026-11-28T23:59:55.000Z"');
  });
});
