import { assertJobPayload, isJobName, JOB_DEFINITIONS, QUEUE_NAMES } from './job-definitions.js';

const clinicId = '5f0c6f5e-3c2a-4f0e-9d59-0d6f3b9a1c11';

describe('job definitions', () => {
  it('puts every job on a declared queue', () => {
    for (const definition of Object.values(JOB_DEFINITIONS)) {
      expect(QUEUE_NAMES).toContain(definition.queue);
    }
  });

  it('names jobs without ":" (BullMQ job ids and names must not contain it)', () => {
    for (const name of Object.keys(JOB_DEFINITIONS)) expect(name).not.toContain(':');
  });

  it('recognises declared job names only', () => {
    expect(isJobName('system.probe')).toBe(true);
    expect(isJobName('system.unknown')).toBe(false);
    expect(isJobName('__proto__')).toBe(false);
  });

  it('accepts ids and small scalars with the clinic', () => {
    expect(() =>
      assertJobPayload({ clinicId, assignmentId: clinicId, attempt: 2, isUrgent: true, note: null }),
    ).not.toThrow();
  });

  it.each([
    ['no clinic', { assignmentId: clinicId }],
    ['a clinic that is not a uuid', { clinicId: 'clinic-1' }],
    ['a nested document', { clinicId, answers: { q1: 'text' } }],
    ['a long string', { clinicId, text: 'x'.repeat(101) }],
    ['an array', [clinicId]],
    ['a non-finite number', { clinicId, n: Number.NaN }],
  ])('refuses %s', (_label, payload) => {
    expect(() => assertJobPayload(payload)).toThrow(TypeError);
  });
});
