import { createHmac, randomBytes } from 'node:crypto';

import { jwtVerify, SignJWT } from 'jose';

import { verifyHs256 } from './hs256.js';

/** A differential test: verifyHs256 must accept exactly the tokens jose's jwtVerify accepts with the same options. */
describe('verifyHs256', () => {
  const secret = randomBytes(32);
  const now = new Date('2026-03-01T09:00:00Z');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const options = {
    issuer: 'mend',
    audience: 'mend-api',
    typ: 'at+jwt',
    requiredClaims: ['exp', 'nbf', 'iat', 'sub'],
    currentDate: now,
    clockToleranceSeconds: 5,
  };
  const joseOptions = {
    algorithms: ['HS256'],
    issuer: options.issuer,
    audience: options.audience,
    typ: options.typ,
    requiredClaims: options.requiredClaims,
    currentDate: now,
    clockTolerance: options.clockToleranceSeconds,
  };
  const good = {
    iss: 'mend',
    aud: 'mend-api',
    sub: '7d8f4c2e-1b3a-4c5d-9e6f-0a1b2c3d4e5f',
    iat: nowSeconds - 10,
    nbf: nowSeconds - 10,
    exp: nowSeconds + 590,
    typ: 'access',
  };
  const b64 = (value: unknown) =>
    Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  /** Hand-made compact JWS, so malformed headers and payloads can be signed too. */
  const sign = (header: unknown, payload: unknown, key: Buffer = secret, algorithm = 'sha256') => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${createHmac(algorithm, key).update(input).digest('base64url')}`;
  };
  const header = { alg: 'HS256', typ: 'at+jwt' };
  const without = (claim: string) => Object.fromEntries(Object.entries(good).filter(([key]) => key !== claim));

  const accepted = async (token: string) => {
    let ours: boolean;
    try {
      verifyHs256(token, secret, options);
      ours = true;
    } catch {
      ours = false;
    }
    const theirs = await jwtVerify(token, secret, joseOptions).then(
      () => true,
      () => false,
    );
    expect({ token, ours }).toEqual({ token, ours: theirs });
    return ours;
  };

  it('accepts a well-formed token, with the typ header in any of its equivalent spellings', async () => {
    expect(await accepted(sign(header, good))).toBe(true);
    expect(await accepted(sign({ alg: 'HS256', typ: 'AT+JWT' }, good))).toBe(true);
    expect(await accepted(sign({ alg: 'HS256', typ: 'application/at+jwt' }, good))).toBe(true);
    expect(await accepted(sign(header, { ...good, aud: ['other', 'mend-api'] }))).toBe(true);
    const issuedByJose = await new SignJWT(good).setProtectedHeader(header).sign(secret);
    expect(await accepted(issuedByJose)).toBe(true);
    expect(verifyHs256(issuedByJose, secret, options)).toEqual(good);
  });

  it('refuses what jose refuses: signature, algorithm, structure', async () => {
    const token = sign(header, good);
    const [h, p, s] = token.split('.');
    const cases = [
      sign(header, good, randomBytes(32)),
      sign({ alg: 'HS512', typ: 'at+jwt' }, good, secret, 'sha512'),
      sign({ alg: 'HS384', typ: 'at+jwt' }, good, secret, 'sha384'),
      `${b64({ alg: 'none', typ: 'at+jwt' })}.${p}.`,
      `${b64({ alg: 'none', typ: 'at+jwt' })}.${p}.${s}`,
      `${h}.${b64({ ...good, sub: 'someone-else' })}.${s}`,
      `${h}.${p}.${s.slice(0, -2)}`,
      `${h}.${p}.${s}A`,
      `${h}.${p}`,
      `${h}.${p}.${s}.${s}`,
      `${h}.${p}.${s.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
      sign({ typ: 'at+jwt' }, good),
      sign({ alg: 'hs256', typ: 'at+jwt' }, good),
      sign('not json', good),
      sign([header], good),
      sign(header, 'not json'),
      sign(header, [good]),
      sign(header, null),
      '',
      '..',
      'a.b.c',
    ];
    for (const candidate of cases) expect(await accepted(candidate)).toBe(false);
  });

  it('refuses what jose refuses: typ header, issuer, audience, required and numeric claims, time window', async () => {
    const cases = [
      sign({ alg: 'HS256' }, good),
      sign({ alg: 'HS256', typ: 'mfa+jwt' }, good),
      sign({ alg: 'HS256', typ: 'text/at+jwt' }, good),
      sign({ alg: 'HS256', typ: 7 }, good),
      sign(header, { ...good, iss: 'someone' }),
      sign(header, { ...good, iss: ['mend'] }),
      sign(header, without('iss')),
      sign(header, { ...good, aud: 'mend-mfa' }),
      sign(header, { ...good, aud: ['mend-mfa'] }),
      sign(header, without('aud')),
      sign(header, without('sub')),
      sign(header, without('exp')),
      sign(header, without('nbf')),
      sign(header, without('iat')),
      sign(header, { ...good, exp: String(good.exp) }),
      sign(header, { ...good, nbf: String(good.nbf) }),
      sign(header, { ...good, iat: String(good.iat) }),
      sign(header, { ...good, exp: nowSeconds - 5 }),
      sign(header, { ...good, exp: nowSeconds - 6 }),
      sign(header, { ...good, nbf: nowSeconds + 6 }),
    ];
    for (const candidate of cases) expect(await accepted(candidate)).toBe(false);
  });

  it('agrees with jose at the edges of the clock tolerance', async () => {
    for (const offset of [-6, -5, -4, 0, 4, 5, 6]) {
      await accepted(sign(header, { ...good, exp: nowSeconds + offset }));
      await accepted(sign(header, { ...good, nbf: nowSeconds + offset }));
    }
    expect(await accepted(sign(header, { ...good, exp: nowSeconds - 4 }))).toBe(true);
    expect(await accepted(sign(header, { ...good, nbf: nowSeconds + 5 }))).toBe(true);
  });

  it('is stricter than jose on what Mend never issues: any crit header, a padded signature', () => {
    expect(() => verifyHs256(sign({ ...header, crit: ['b64'], b64: true }, good), secret, options)).toThrow();
    expect(() => verifyHs256(sign({ ...header, crit: ['exp'] }, good), secret, options)).toThrow();
    expect(() => verifyHs256(`${sign(header, good)}=`, secret, options)).toThrow();
    expect(verifyHs256(sign(header, good), secret, options)).toEqual(good);
  });
});
