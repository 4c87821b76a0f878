import { canonicalIp } from './ip-address.js';

describe('canonicalIp (PostgreSQL inet text form)', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['010.001.1.1', '10.1.1.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['::1.2.3.4', '::1.2.3.4'],
    ['::0.0.1.2', '::102'],
    ['::ffff:0:1.2.3.4', '::ffff:0:102:304'],
    ['fe80::0001', 'fe80::1'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it.each([
    ['a zone id', 'fe80::1%eth0'],
    ['a netmask', '10.0.0.0/8'],
    ['a short IPv4', '1.2.3'],
    ['an octet above 255', '1.2.3.256'],
    ['a host name', 'localhost'],
    ['nothing', ''],
  ])('stores null for %s', (_label, input) => {
    expect(canonicalIp(input)).toBeNull();
  });

  it('stores null for no address', () => {
    expect(canonicalIp(undefined)).toBeNull();
    expect(canonicalIp(null)).toBeNull();
  });
});
