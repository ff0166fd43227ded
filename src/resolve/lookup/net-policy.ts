// Decides which addresses a name the customer controls may lead us to: only global unicast. Loopback,
// private (RFC 1918), link-local, unique-local, CGNAT (RFC 6598), multicast and reserved ranges are refused,
// including IPv4 hidden in IPv6 (::ffff:10.0.0.1, ::7f00:1), so the bot cannot be turned into a probe of internal networks.
import ipaddr from 'ipaddr.js';
import { BlockedAddressError, NoAddressError } from '../../model/errors.js';

/** IPv4-compatible IPv6 (::127.0.0.1 written ::7f00:1): deprecated (RFC 4291), never a public host's. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // IPv4 written dotted inside IPv6: ipaddr.js reads any such form as IPv4-mapped, but only ::ffff: is (the
  // resolver writes ::/96 answers as ::93.184.216.34, which would pass for its IPv4 address).
  if (address.includes(':') && address.includes('.') && !/^::ffff:[\d.]+$/i.test(address)) return false;
  // process() unwraps IPv4-mapped IPv6 so the IPv4 rules apply to it.
  const ip = ipaddr.process(address);
  return ip.range() === 'unicast' && !(ip.kind() === 'ipv6' && ip.match(IPV4_COMPATIBLE));
}

/** Resolves `host` and returns the addresses that may be used, or throws when any of them is forbidden. */
export async function checkHost(
  host: string,
  lookup: (name: string) => Promise<string[]>,
  allowPrivate: boolean,
): Promise<string[]> {
  const addresses = ipaddr.isValid(host) ? [host] : await lookup(host);
  if (addresses.length === 0) throw new NoAddressError(host);
  const forbidden = allowPrivate ? undefined : addresses.find((address) => !isPublicAddress(address));
  // One bad address is enough to refuse: a name that mixes public and private answers is a rebinding trick.
  if (forbidden) throw new BlockedAddressError(host, forbidden);
  return addresses;
}
