import { PasswordHasher, PRODUCTION_ARGON2, TEST_ARGON2 } from './password-hasher.js';

/** The parameters a PHC string carries: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
function phcParameters(hash: string): { algorithm: string; m: number; t: number; p: number } {
  const match = /^\$(argon2id)\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(hash);
  if (match === null) throw new Error('not an argon2id PHC string');
  return { algorithm: match[1], m: Number(match[2]), t: Number(match[3]), p: Number(match[4]) };
}

describe('PasswordHasher', () => {
  const fast = new PasswordHasher('test');

  it('hashes with the production parameters by default: argon2id, m >= 19456 KiB, t >= 2, p = 1 (AUTH-1)', async () => {
    const hash = await new PasswordHasher().hash('correct horse battery staple');
    const parameters = phcParameters(hash);
    expect(parameters.algorithm).toBe('argon2id');
    expect(parameters.m).toBeGreaterThanOrEqual(19_456);
    expect(parameters.t).toBeGreaterThanOrEqual(2);
    expect(parameters.p).toBe(1);
    expect(PRODUCTION_ARGON2).toEqual({ memoryCost: 32_768, timeCost: 4, parallelism: 1 });
  });

  it('uses a cheaper profile only when asked (tests)', async () => {
    expect(phcParameters(await fast.hash('another synthetic pass'))).toMatchObject({
      m: TEST_ARGON2.memoryCost,
      t: TEST_ARGON2.timeCost,
    });
  });

  it('verifies the password exactly as typed: no trimming, case folding or normalisation', async () => {
    const typed = '  Tr\u00e8s s\u00fbr  ';
    const hash = await fast.hash(typed);
    expect((await fast.verify(hash, typed)).isValid).toBe(true);
    expect((await fast.verify(hash, typed.trim())).isValid).toBe(false);
    expect((await fast.verify(hash, typed.toLowerCase())).isValid).toBe(false);
    // The same text in decomposed form (e + combining grave accent) is another password.
    expect((await fast.verify(hash, typed.normalize('NFD'))).isValid).toBe(false);
  });

  it('does not truncate long passwords (the bcrypt 72-byte class of bug)', async () => {
    const long = 'x'.repeat(100);
    const hash = await fast.hash(long);
    expect((await fast.verify(hash, `${long}y`)).isValid).toBe(false);
    expect((await fast.verify(hash, long.slice(0, 72))).isValid).toBe(false);
  });

  it('asks for a rehash when a valid hash was made with other parameters, never for a wrong password', async () => {
    const production = new PasswordHasher('production');
    const oldHash = await fast.hash('rotating parameters');
    expect(await production.verify(oldHash, 'rotating parameters')).toEqual({ isValid: true, needsRehash: true });
    expect(await production.verify(oldHash, 'wrong')).toEqual({ isValid: false, needsRehash: false });
    expect(await fast.verify(oldHash, 'rotating parameters')).toEqual({ isValid: true, needsRehash: false });
  });

  it('treats a malformed stored hash as a failed verification', async () => {
    expect(await fast.verify('$2b$10$notargon', 'anything')).toEqual({ isValid: false, needsRehash: false });
    expect(await fast.verify('', 'anything')).toEqual({ isValid: false, needsRehash: false });
  });

  it('spends a real verification on the dummy hash (same work for unknown accounts)', async () => {
    const hasher = new PasswordHasher('test');
    const spy = jest.spyOn(hasher, 'hash');
    await hasher.verifyAgainstDummy('whatever');
    await hasher.verifyAgainstDummy('whatever else');
    // The dummy hash is made once and reused.
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
