import { preparedStatement, sqlLiteral } from './unit-of-work.js';

describe('sqlLiteral', () => {
  it('quotes strings, doubling quotes, and writes backslashes in an E string as pg escapeLiteral does', () => {
    expect(sqlLiteral('7d8f4c2e-1b3a-4c5d-9e6f-0a1b2c3d4e5f')).toBe("'7d8f4c2e-1b3a-4c5d-9e6f-0a1b2c3d4e5f'");
    expect(sqlLiteral("x' or 1=1 --")).toBe("'x'' or 1=1 --'");
    expect(sqlLiteral("a\\'b")).toBe(" E'a\\\\''b'");
    expect(sqlLiteral('')).toBe("''");
  });

  it('refuses NUL, non-finite numbers, invalid dates and other types', () => {
    expect(() => sqlLiteral('a\0b')).toThrow(/NUL/);
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
    expect(() => sqlLiteral(Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => sqlLiteral(new Date(Number.NaN))).toThrow(/invalid date/);
    expect(() => sqlLiteral({} as never)).toThrow(/Unsupported/);
  });

  it('writes dates as ISO-8601, numbers, booleans and null as themselves', () => {
    expect(sqlLiteral(new Date('2026-03-01T09:00:00.123Z'))).toBe("'2026-03-01T09:00:00.123Z'");
    expect(sqlLiteral(-12.5)).toBe('-12.5');
    expect(sqlLiteral(true)).toBe('true');
    expect(sqlLiteral(false)).toBe('false');
    expect(sqlLiteral(null)).toBe('null');
  });
});

describe('preparedStatement', () => {
  it('checks the name and the parameter types, which are written into PREPARE', () => {
    expect(() => preparedStatement('Bad Name', 'select 1', [])).toThrow(/name/);
    expect(() => preparedStatement('x; drop', 'select 1', [])).toThrow(/name/);
    expect(() => preparedStatement('ok_types', 'select $1', ['uuid) as select 1; --'])).toThrow(/parameter types/);
    expect(preparedStatement('ok_array', 'select $1', ['text[]']).parameterTypes).toEqual(['text[]']);
  });

  it('gives one statement per name: the same declaration again is the same statement, a different one is refused', () => {
    const first = preparedStatement('spec_once', 'select $1::int', ['integer']);
    expect(preparedStatement('spec_once', 'select $1::int', ['integer'])).toBe(first);
    expect(() => preparedStatement('spec_once', 'select $1::bigint', ['integer'])).toThrow(/Two different/);
    expect(() => preparedStatement('spec_once', 'select $1::int', ['bigint'])).toThrow(/Two different/);
  });
});
