import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent } from 'undici';

/**
 * Webhook URLs are the host's to choose, so without a guard a host could make this server post to its own
 * network (cloud metadata, admin ports on loopback) and read back status codes. Loopback, private,
 * link-local, carrier-grade NAT, NAT64, multicast and reserved addresses are refused unless the operator
 * allows them.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  // The unspecified address and loopback, and the deprecated IPv4-compatible ::a.b.c.d (::127.0.0.1).
  ['::', 96],
  // NAT64 embeds an IPv4 address, private ones included: 64:ff9b::7f00:1 reaches 127.0.0.1 through the gateway.
  ['64:ff9b::', 96],
  // Teredo and 6to4 (both deprecated) embed one too: 2002:7f00:1:: is 127.0.0.1's 6to4 network.
  ['2001::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  const family = isIP(address);
  return family === 0 || PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type ResolvedAddress = { address: string; family: number };
/** Every address a host name resolves to; the system resolver unless a test brings its own. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true });

/** A resolver that never answers must not hold a delivery (and its slot) until the connect timeout. */
export const DNS_TIMEOUT_MS = 5_000;

export type DestinationGuard = { allowPrivate: boolean; resolve: Resolve; dnsTimeoutMs: number };

class DestinationError extends Error {}

async function resolveChecked(hostname: string, guard: DestinationGuard): Promise<ResolvedAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DestinationError(`the host name ${hostname} did not resolve within ${guard.dnsTimeoutMs} ms`),
        ),
      guard.dnsTimeoutMs,
    );
  });
  let addresses: ResolvedAddress[];
  try {
    addresses = await Promise.race([guard.resolve(hostname), timeout]);
  } catch (error) {
    if (error instanceof DestinationError) throw error;
    throw new DestinationError(`the host name ${hostname} does not resolve`);
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) throw new DestinationError(`the host name ${hostname} does not resolve`);
  if (!guard.allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
    throw new DestinationError(
      `${hostname} is a loopback, private or reserved address; set WEBHOOK_ALLOW_PRIVATE_URLS=true to allow it`,
    );
  }
  return addresses;
}

const hostnameOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '');

/**
 * Why the server may not post to `url` when its host is an address, or undefined. Connecting to an address
 * takes no lookup, so the dispatcher's guard never sees it: deliveries check it with this.
 */
export function addressProblem(url: string, allowPrivate: boolean): string | undefined {
  const host = hostnameOf(url);
  return isIP(host) && !allowPrivate && isPrivateAddress(host)
    ? `${host} is a loopback, private or reserved address; set WEBHOOK_ALLOW_PRIVATE_URLS=true to allow it`
    : undefined;
}

/** Why the server may not post to `url`, or undefined when it may. */
export async function destinationProblem(url: string, guard: DestinationGuard): Promise<string | undefined> {
  if (new URL(url).port === '0') return 'port 0 is no port a server listens on';
  const host = hostnameOf(url);
  if (isIP(host)) return addressProblem(url, guard.allowPrivate);
  try {
    await resolveChecked(host, guard);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The connection's own lookup: the addresses checked are the addresses connected to. Checking a name and then
 * letting `fetch` resolve it again leaves a window in which DNS can answer differently (rebinding) and send
 * the delivery to loopback or the private network.
 */
function guardedLookup(guard: DestinationGuard): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(hostname, guard).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
        if (usable.length === 0) {
          callback(new DestinationError(`${hostname} has no IPv${wanted} address`), '');
        } else if (options.all) {
          callback(null, usable);
        } else {
          const first = usable[0] as ResolvedAddress;
          callback(null, first.address, first.family);
        }
      },
      (error: Error) => callback(error, ''),
    );
  };
}

/** The HTTP client of webhook deliveries: every connection it opens resolves through the guard. */
export function guardedDispatcher(guard: DestinationGuard): Agent {
  return new Agent({ connect: { lookup: guardedLookup(guard) } });
}
