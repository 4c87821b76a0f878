import { UnrecoverableError, type Job } from 'bullmq';

import { currentContext, type JobHandlerInstance, type MendJob } from '@mend/core';

import { createJobProcessor } from './job-dispatcher.js';

const clinicId = '0b7f5a52-9d0e-4a35-8d55-7b1f0f0c2a11';
const outboxId = '6a1f6f7c-2b8e-4e0d-a9a4-3c7d8f1e5b22';

function fakeJob(name: string, data: unknown): Job {
  return { id: outboxId, name, data } as unknown as Job;
}

describe('job processor', () => {
  const seen: { job: MendJob; context: ReturnType<typeof currentContext> }[] = [];
  const probe: JobHandlerInstance = {
    handle: (job) => {
      seen.push({ job, context: { ...currentContext() } });
      return Promise.resolve('done');
    },
  };
  const process = createJobProcessor('system', new Map([['system.probe', probe]]));

  beforeEach(() => {
    seen.length = 0;
  });

  it('runs the handler named by the job, with the job and clinic ids in the logging context', async () => {
    const data = { clinicId, outboxId, enqueuedAt: '2026-01-02T03:04:05.000Z' };
    await expect(process(fakeJob('system.probe', data))).resolves.toBe('done');
    expect(seen).toHaveLength(1);
    expect(seen[0].job.data).toEqual(data);
    expect(seen[0].context).toEqual({ jobId: outboxId, clinicId });
  });

  it('fails a job without a handler for good', async () => {
    await expect(process(fakeJob('system.other', { clinicId }))).rejects.toThrow(UnrecoverableError);
    expect(seen).toHaveLength(0);
  });

  it.each([
    ['no clinic', { outboxId }],
    ['a nested document', { clinicId, answers: { q1: 'text' } }],
    ['an outbox id that is not a uuid', { clinicId, outboxId: 'outbox-1' }],
    ['an enqueue time that is not a date', { clinicId, enqueuedAt: 'yesterday' }],
    ['no payload at all', undefined],
  ])('fails a job with %s for good, before its handler runs', async (_label, data) => {
    const outcome = process(fakeJob('system.probe', data));
    await expect(outcome).rejects.toThrow(UnrecoverableError);
    await expect(outcome).rejects.toThrow(/^Invalid payload for job "system.probe": /);
    expect(seen).toHaveLength(0);
  });

  it('does not put field values in the failure reason', async () => {
    await expect(process(fakeJob('system.probe', { clinicId, note: 'x'.repeat(150) }))).rejects.toThrow(
      'Invalid payload for job "system.probe": Job payload field "note" must be an id or a small scalar',
    );
  });

  it('lets the envelope fields ride beside a payload already at its field limit', async () => {
    const payload: Record<string, string> = { clinicId };
    for (let index = 1; index < 16; index += 1) payload[`id${index}`] = clinicId;
    await expect(
      process(fakeJob('system.probe', { ...payload, outboxId, enqueuedAt: new Date().toISOString() })),
    ).resolves.toBe('done');
  });
});
