import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a join came from, coarse enough to keep: the IPv4 /24 (`203.0.113.0/24`) or the IPv6 /48
 * (`2001:db8:1::/48`), which is what one household, office or rented server usually holds. Many entries
 * from one bucket are a signal for the host to review, not a proof of anything. IPv4-mapped IPv6
 * addresses count as the IPv4 address they carry. Undefined for anything that is not an IP address.
 */
export function networkBucket(address: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return networkBucket(mapped);
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(address)) return undefined;
  const groups = ipv6Groups(address.replace(/%.*$/, ''));
  return `${groups
    .slice(0, 3)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/48`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` expanded and a trailing IPv4 part converted. */
function ipv6Groups(address: string): string[] {
  const toGroups = (part: string) => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [group];
      const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  };
  const [head = '', tail] = address.split('::');
  const left = toGroups(head);
  if (tail === undefined) return left;
  const right = toGroups(tail);
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}
