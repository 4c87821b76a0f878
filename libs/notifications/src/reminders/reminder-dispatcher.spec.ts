import type { Queue } from 'bullmq';

import type { UnitOfWork } from '@mend/core';

import { ReminderDispatcher, reminderJobId } from './reminder-dispatcher.js';

const CLINIC = '11111111-1111-4111-8111-111111111111';
const ids = ['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'];

/** A unit of work whose claim answers the `due` reminders, and a queue holding `waiting` jobs. */
function fakes(waiting: number, due: readonly string[] = ids) {
  const claims: unknown[][] = [];
  const unitOfWork = {
    runWithoutClinic: (work: (tx: { query: (sql: string, values: unknown[]) => unknown }) => unknown) =>
      Promise.resolve(
        work({
          query: (_sql: string, values: unknown[]) => {
            claims.push(values);
            return Promise.resolve(due.map((id) => ({ id, clinic_id: CLINIC, generation: 1, claims: 1 })));
          },
        }),
      ),
  } as unknown as UnitOfWork;
  const added: { name: string; data: unknown; opts: { jobId: string } }[][] = [];
  const queue = {
    getWaitingCount: jest.fn(() => Promise.resolve(waiting)),
    addBulk: jest.fn((jobs: { name: string; data: unknown; opts: { jobId: string } }[]) => {
      added.push(jobs);
      return Promise.resolve([]);
    }),
  } as unknown as Queue;
  return { unitOfWork, queue, claims, added };
}

/** A dispatcher over the fakes: batches of 100, a lease of 60 s, the given poll and queue bound. */
function dispatcherOver(
  { unitOfWork, queue }: ReturnType<typeof fakes>,
  { pollMs = 50, maxWaiting }: { pollMs?: number; maxWaiting?: number } = {},
): ReminderDispatcher {
  return new ReminderDispatcher(unitOfWork, {
    batchSize: 100,
    pollMs,
    leaseSeconds: 60,
    queue: () => queue,
    ...(maxWaiting === undefined ? {} : { maxWaiting }),
  });
}

describe('ReminderDispatcher', () => {
  it('claims a batch and adds one job per reminder under its deterministic id', async () => {
    const fake = fakes(0);
    const { claims, added } = fake;
    const dispatcher = dispatcherOver(fake, { maxWaiting: 200 });
    await expect(dispatcher.dispatchOnce()).resolves.toBe(2);
    expect(claims).toEqual([[100, 60]]);
    expect(added).toHaveLength(1);
    expect(added[0].map((job) => job.opts.jobId)).toEqual(ids.map((id) => reminderJobId(id, 1)));
  });

  it('claims nothing while the queue already holds maxWaiting waiting jobs (backpressure)', async () => {
    const fake = fakes(200);
    const { claims, added } = fake;
    const dispatcher = dispatcherOver(fake, { maxWaiting: 200 });
    await expect(dispatcher.dispatchOnce()).resolves.toBe(0);
    expect(claims).toHaveLength(0);
    expect(added).toHaveLength(0);
  });

  it('does not ask the queue for its depth without maxWaiting', async () => {
    const fake = fakes(10_000);
    const { queue, added } = fake;
    const dispatcher = dispatcherOver(fake);
    await expect(dispatcher.dispatchOnce()).resolves.toBe(2);
    expect(queue.getWaitingCount).not.toHaveBeenCalled();
    expect(added).toHaveLength(1);
  });

  it('looks again soon, not after a whole poll, when backpressure held a pass back', async () => {
    const fake = fakes(0);
    const { queue, claims } = fake;
    // Full at the first look, drained at the next.
    (queue.getWaitingCount as jest.Mock).mockResolvedValueOnce(200);
    const dispatcher = dispatcherOver(fake, { pollMs: 60_000, maxWaiting: 200 });
    dispatcher.start();
    const deadline = Date.now() + 5_000;
    while (claims.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await dispatcher.stop();
    // The second look claimed (a whole poll would have been a minute).
    expect(claims).toEqual([[100, 60]]);
    expect(queue.getWaitingCount).toHaveBeenCalledTimes(2);
  });

  it('waits a whole poll after a pass that found nothing due', async () => {
    const fake = fakes(0, []);
    const dispatcher = dispatcherOver(fake, { pollMs: 60_000, maxWaiting: 200 });
    dispatcher.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await dispatcher.stop();
    expect(fake.claims).toHaveLength(1);
  });
});
