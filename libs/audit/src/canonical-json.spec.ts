import fc from 'fast-check';

import { canonicalJson, type JsonValue } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } })).toBe('{"a":{"c":"x","d":[true,null]},"b":1}');
  });

  it('is independent of key insertion order, and of a JSON round trip (as through jsonb)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reparsed = JSON.parse(JSON.stringify(value)) as JsonValue;
        const reversed = reverseKeys(reparsed);
        expect(canonicalJson(reversed)).toBe(canonicalJson(reparsed));
        expect(JSON.parse(canonicalJson(reparsed))).toEqual(reparsed);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses numbers JSON cannot represent', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(TypeError);
  });
});

function reverseKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return (value as JsonValue[]).map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    const object = value as { [key: string]: JsonValue };
    return Object.fromEntries(
      Object.keys(object)
        .reverse()
        .map((key) => [key, reverseKeys(object[key])]),
    );
  }
  return value;
}
