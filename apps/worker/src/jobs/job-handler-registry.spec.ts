import { WorkerStartupError } from '../worker-startup.error.js';
import { findJobHandlerProblems, resolveJobHandlers } from './job-handler-registry.js';

const declared = ['system.probe', 'reminders.send'];
const registration = (jobName: string, handlerName: string) => ({ jobName, handlerName, instance: { handlerName } });

describe('job handler registry', () => {
  it('maps each declared job to its one handler', () => {
    const handlers = resolveJobHandlers(declared, [
      registration('system.probe', 'SystemProbeHandler'),
      registration('reminders.send', 'SendReminderHandler'),
    ]);
    expect([...handlers.keys()].sort()).toEqual(['reminders.send', 'system.probe']);
    expect(handlers.get('reminders.send')).toEqual({ handlerName: 'SendReminderHandler' });
  });

  it('reports a declared job without a handler', () => {
    expect(findJobHandlerProblems(declared, [registration('system.probe', 'SystemProbeHandler')])).toEqual([
      'job "reminders.send" has no handler',
    ]);
  });

  it('reports a job with two handlers, naming both', () => {
    expect(
      findJobHandlerProblems(declared, [
        registration('system.probe', 'SystemProbeHandler'),
        registration('system.probe', 'OtherProbeHandler'),
        registration('reminders.send', 'SendReminderHandler'),
      ]),
    ).toEqual(['job "system.probe" has 2 handlers (SystemProbeHandler, OtherProbeHandler)']);
  });

  it('reports a handler naming an undeclared job', () => {
    expect(
      findJobHandlerProblems(declared, [
        registration('system.probe', 'SystemProbeHandler'),
        registration('reminders.send', 'SendReminderHandler'),
        registration('reminders.sned', 'TypoHandler'),
      ]),
    ).toEqual(['TypoHandler handles "reminders.sned", which is not declared in JOB_DEFINITIONS']);
  });

  it('refuses with every problem on one line', () => {
    const attempt = () => resolveJobHandlers(declared, [registration('reminders.sned', 'TypoHandler')]);
    expect(attempt).toThrow(WorkerStartupError);
    expect(attempt).toThrow(
      'Worker refuses to start: job "system.probe" has no handler; job "reminders.send" has no handler; ' +
        'TypoHandler handles "reminders.sned", which is not declared in JOB_DEFINITIONS.',
    );
    expect(attempt).toThrow(/^[^\n]+$/);
  });
});
