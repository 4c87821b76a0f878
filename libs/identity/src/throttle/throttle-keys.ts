import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The account part of a throttle key: sha256 (hex) of the trimmed, lower-cased
 * email. Redis never holds an email address.
 */
export function hashEmailForThrottle(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex');
}

/** Refuses anything that could be a raw email (no "@" or "." in a hash). */
export function assertEmailHash(emailHash: string): void {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(emailHash)) {
    throw new Error('The login throttle takes a hash of the email, never the email itself');
  }
}

/**
 * The client part of a throttle key. An IPv6 client usually controls a whole /64,
 * so per-address blocking would let it rotate through 2^64 addresses: IPv6 is
 * keyed by its /64. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is the IPv4 address.
 */
export function throttleClientKey(ip: string): string {
  const trimmed = ip.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  if (mapped !== null && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(trimmed)) return trimmed;
  if (isIPv6(trimmed)) return `${expandIPv6(trimmed).slice(0, 4).join(':')}::/64`;
  // Not an address (a proxy misconfiguration): still one bucket per value, but bounded in size.
  return `other-${createHash('sha256').update(trimmed, 'utf8').digest('hex').slice(0, 16)}`;
}

function expandIPv6(address: string): string[] {
  const withoutZone = address.split('%')[0];
  const [head, tail] = withoutZone.includes('::') ? withoutZone.split('::') : [withoutZone, ''];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (`64:ff9b::1.2.3.4`) fills two groups.
  const width = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const zeros = new Array<string>(Math.max(0, 8 - width(headGroups) - width(tailGroups))).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
