import { checkTotp, createTotpSecret, totpCodeAt, totpStep, totpUri } from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII "12345678901234567890".
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const STEP_MS = 30_000;

describe('TOTP (RFC 6238, authenticator-app settings)', () => {
  it('matches the RFC 6238 SHA-1 test vectors (last 6 of the 8 digits)', async () => {
    expect(await totpCodeAt(RFC_SECRET, 59_000)).toBe('287082');
    expect(await totpCodeAt(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
    expect(await totpCodeAt(RFC_SECRET, 1_234_567_890_000)).toBe('005924');
    expect(await totpCodeAt(RFC_SECRET, 2_000_000_000_000)).toBe('279037');
  });

  it('builds an otpauth URI with issuer and the app defaults (SHA1, 6 digits, 30 s)', () => {
    const secret = createTotpSecret();
    const uri = new URL(totpUri(secret, 'counselor@example.test'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Mend');
    expect(uri.pathname).toBe('/Mend:counselor%40example.test');
    // Key URI format defaults (SHA1, 6, 30) may be left out; anything else would be a mismatch.
    expect(uri.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1');
    expect(uri.searchParams.get('digits') ?? '6').toBe('6');
    expect(uri.searchParams.get('period') ?? '30').toBe('30');
  });

  it('creates 160-bit Base32 seeds, different every time', () => {
    const seeds = new Set(Array.from({ length: 50 }, () => createTotpSecret()));
    expect(seeds.size).toBe(50);
    for (const seed of seeds) expect(seed).toMatch(/^[A-Z2-7]{32}$/);
  });

  describe('window edges (tolerance exactly one step each way)', () => {
    const secret = createTotpSecret();
    const stepStart = 1_800_000_000_000 - (1_800_000_000_000 % STEP_MS); // start of step N
    const step = totpStep(stepStart);
    let code: string;

    beforeAll(async () => {
      code = await totpCodeAt(secret, stepStart);
    });

    it.each([
      ['first ms of step N', 0, true],
      ['last ms of step N', STEP_MS - 1, true],
      ['first ms of step N+1 (one step late)', STEP_MS, true],
      ['last ms of step N+1', 2 * STEP_MS - 1, true],
      ['first ms of step N+2 (two steps late)', 2 * STEP_MS, false],
      ['last ms of step N-1 (one step early)', -1, true],
      ['first ms of step N-1', -STEP_MS, true],
      ['last ms of step N-2 (two steps early)', -STEP_MS - 1, false],
    ])('at the %s: accepted=%s', async (_label, offset, accepted) => {
      const result = await checkTotp(secret, code, stepStart + offset, null);
      expect(result.valid).toBe(accepted);
      if (result.valid) expect(result.step).toBe(step);
    });

    it('skips steps at or below the last used one', async () => {
      expect((await checkTotp(secret, code, stepStart, step)).valid).toBe(false);
      expect((await checkTotp(secret, code, stepStart, step + 1)).valid).toBe(false);
      expect(await checkTotp(secret, code, stepStart, step - 1)).toEqual({ valid: true, step });
    });

    it('refuses (without throwing) when the last used step is ahead of the whole window', async () => {
      expect((await checkTotp(secret, code, stepStart, step + 5)).valid).toBe(false);
    });

    it('refuses wrong and malformed codes', async () => {
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      expect((await checkTotp(secret, wrong, stepStart, null)).valid).toBe(false);
      for (const malformed of ['', '12345', '1234567', 'abcdef', `${code} `, '12 345']) {
        expect((await checkTotp(secret, malformed, stepStart, null)).valid).toBe(false);
      }
    });
  });
});
