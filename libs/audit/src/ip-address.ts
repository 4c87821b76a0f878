import { isIPv4, isIPv6 } from 'node:net';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): number[] | undefined {
  const match = IPV4.exec(text);
  if (match === null) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** The eight 16-bit words of an IPv6 address (no zone), or undefined. */
function parseIpv6(text: string): number[] | undefined {
  let head = text;
  const words: number[] = [];
  let tail: number[] = [];
  const lastColon = head.lastIndexOf(':');
  const trailing = head.slice(lastColon + 1);
  if (trailing.includes('.')) {
    const octets = parseIpv4(trailing);
    if (octets === undefined) return undefined;
    tail = [(octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]];
    head = head.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::"; "1::1.2.3.4" leaves "1::"; "1:2:3:4:5:6:1.2.3.4" leaves "1:2:3:4:5:6:".
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const parts = head.split('::');
  if (parts.length > 2) return undefined;
  const group = (section: string): number[] | undefined => {
    if (section === '') return [];
    const values = section.split(':').map((word) => (/^[0-9a-fA-F]{1,4}$/.test(word) ? parseInt(word, 16) : NaN));
    return values.some(Number.isNaN) ? undefined : values;
  };
  const before = group(parts[0]);
  const after = parts.length === 2 ? group(parts[1]) : [];
  if (before === undefined || after === undefined) return undefined;
  const explicit = before.length + after.length + tail.length;
  if (parts.length === 2) {
    if (explicit > 7) return undefined;
    words.push(...before, ...new Array<number>(8 - explicit).fill(0), ...after, ...tail);
  } else {
    if (explicit !== 8) return undefined;
    words.push(...before, ...tail);
  }
  return words;
}

/** PostgreSQL's text form of an IPv6 host address (inet_out): RFC 5952 compression, dotted IPv4 tails. */
function formatIpv6(words: readonly number[]): string {
  let bestBase = -1;
  let bestLength = 0;
  for (let index = 0; index < 8;) {
    if (words[index] !== 0) {
      index += 1;
      continue;
    }
    let end = index;
    while (end < 8 && words[end] === 0) end += 1;
    if (end - index > bestLength) {
      bestBase = index;
      bestLength = end - index;
    }
    index = end;
  }
  if (bestLength < 2) bestBase = -1;
  const dotted = `${words[6] >> 8}.${words[6] & 0xff}.${words[7] >> 8}.${words[7] & 0xff}`;
  if (bestBase === 0 && bestLength === 6) return `::${dotted}`;
  if (bestBase === 0 && bestLength === 5 && words[5] === 0xffff) return `::ffff:${dotted}`;
  const hex = words.map((word) => word.toString(16));
  if (bestBase < 0) return hex.join(':');
  const left = hex.slice(0, bestBase).join(':');
  const right = hex.slice(bestBase + bestLength).join(':');
  return `${left}::${right}`;
}

/**
 * The client address as the audit trail stores and hashes it: exactly the text
 * PostgreSQL prints for the `inet` value, so that the row hash the writer
 * computes is the one the verifier recomputes from the stored row. IPv4-mapped
 * IPv6 addresses (a dual-stack socket's IPv4 clients) become plain IPv4.
 * Anything else (a zone id, a netmask, garbage) becomes null: the row is still
 * written, without an address.
 */
export function canonicalIp(input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  const text = input.trim();
  if (isIPv4(text) || IPV4.test(text)) {
    const octets = parseIpv4(text);
    return octets === undefined ? null : octets.join('.');
  }
  if (!isIPv6(text) || text.includes('%')) return null;
  const words = parseIpv6(text);
  if (words === undefined) return null;
  if (words.slice(0, 5).every((word) => word === 0) && words[5] === 0xffff) {
    return `${words[6] >> 8}.${words[6] & 0xff}.${words[7] >> 8}.${words[7] & 0xff}`;
  }
  return formatIpv6(words);
}
