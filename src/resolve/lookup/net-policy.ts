// Decides which addresses a name the customer controls may lead us to: only global unicast. Loopback,
// private (RFC 1918), link-local, unique-local, CGNAT (RFC 6598), multicast and reserved ranges are refused,
// including IPv4 hidden in IPv6 (::ffff:10.0.0.1), so the bot cannot be turned into a probe of internal networks.
import ipaddr from 'ipaddr.js';

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() unwraps IPv4-mapped IPv6 so the IPv4 rules apply to it.
  return ipaddr.process(address).range() === 'unicast';
}

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'BLOCKED_ADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private or reserved address; refusing to connect`);
  }
}

/** Resolves `host` and returns the addresses that may be used, or throws when any of them is forbidden. */
export async function checkHost(
  host: string,
  lookup: (name: string) => Promise<string[]>,
  allowPrivate: boolean,
): Promise<string[]> {
  const addresses = ipaddr.isValid(host) ? [host] : await lookup(host);
  if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
  const forbidden = allowPrivate ? undefined : addresses.find((address) => !isPublicAddress(address));
  // One bad address is enough to refuse: a name that mixes public and private answers is a rebinding trick.
  if (forbidden) throw new BlockedAddressError(host, forbidden);
  return addresses;
}
