import pino from 'pino';

import type { UnitOfWork } from '@mend/core';
import type { ReminderPlanner } from '@mend/notifications';

import { ReminderPlanLoop } from './reminder-plan-loop.js';

const CLINICS = ['clinic-a', 'clinic-b', 'clinic-c'];

/** A unit of work that lists CLINICS and runs each clinic's work with a stand-in transaction. */
function fakeUnitOfWork(): UnitOfWork {
  return {
    runWithoutClinic: (work: (tx: unknown) => Promise<unknown>) =>
      work({ query: () => Promise.resolve(CLINICS.map((clinic_id) => ({ clinic_id }))) }),
    run: (clinicId: string, work: (tx: unknown) => Promise<unknown>) => work({ clinicId }),
  } as unknown as UnitOfWork;
}

describe('ReminderPlanLoop', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('plans every clinic in a pass run directly, and sums what was planned', async () => {
    const planned: string[] = [];
    const planner = {
      plan: (tx: { clinicId: string }) => {
        planned.push(tx.clinicId);
        return Promise.resolve(2);
      },
    } as unknown as ReminderPlanner;
    const loop = new ReminderPlanLoop(fakeUnitOfWork(), {
      intervalMs: 60_000,
      logger: pino({ enabled: false }),
      planner,
    });
    await expect(loop.runOnce()).resolves.toBe(6);
    expect(planned).toEqual(CLINICS);
  });

  it('a stop during a pass ends it after the clinic being planned, and no pass follows', async () => {
    const planned: string[] = [];
    let stopped: Promise<void> | undefined;
    const planner = {
      plan: (tx: { clinicId: string }) => {
        planned.push(tx.clinicId);
        if (tx.clinicId === 'clinic-a') stopped = loop.stop(); // the worker shuts down mid-pass
        return Promise.resolve(1);
      },
    } as unknown as ReminderPlanner;
    const loop = new ReminderPlanLoop(fakeUnitOfWork(), {
      intervalMs: 1_000,
      logger: pino({ enabled: false }),
      planner,
    });
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    await stopped;
    expect(planned).toEqual(['clinic-a']);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(planned).toEqual(['clinic-a']);
  });
});
