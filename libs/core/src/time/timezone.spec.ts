import { isValidTimezone } from './timezone.js';

describe('isValidTimezone', () => {
  it('knows IANA zones and refuses anything else', () => {
    expect(isValidTimezone('Europe/Lisbon')).toBe(true);
    expect(isValidTimezone('UTC')).toBe(true);
    expect(isValidTimezone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isValidTimezone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimezone('')).toBe(false);
  });

  it('answers a repeated name from memory, not from ICU', () => {
    const spy = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      isValidTimezone('Asia/Kathmandu');
      const first = spy.mock.calls.length;
      for (let index = 0; index < 1_000; index += 1) isValidTimezone('Asia/Kathmandu');
      expect(isValidTimezone('Not/A_Zone')).toBe(false);
      expect(isValidTimezone('Not/A_Zone')).toBe(false);
      expect(spy.mock.calls.length - first).toBeLessThanOrEqual(1);
    } finally {
      spy.mockRestore();
    }
  });
});
