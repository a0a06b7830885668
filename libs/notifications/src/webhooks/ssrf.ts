/**
 * Server-side request forgery guard for webhook targets. Only http(s) URLs without credentials;
 * the host is resolved and EVERY address it resolves to must be public: loopback, link-local,
 * private, unique-local, shared (CGNAT), multicast, reserved and unspecified addresses are
 * refused, also when written as IPv4-mapped IPv6. The request then connects to the address
 * that was checked (pinned), so a DNS answer that changes between the check and the
 * connection (DNS rebinding) cannot redirect it. An allow-list (WEBHOOK_ALLOW_HOSTS: host
 * names, addresses or CIDR ranges) names the internal targets that are allowed anyway.
 */
import { lookup as dnsLookup } from 'dns/promises';
import { BlockList, isIP } from 'net';

export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

const BLOCKED = new BlockList();
// IPv4
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (CGNAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv4');
// IPv6
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64 (embeds IPv4)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv6');

/** true when the address is not publicly routable (see the module comment for the ranges) */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  // an IPv4-mapped address (::ffff:127.0.0.1) is checked against the IPv4 ranges by BlockList itself
  if (family === 6) return BLOCKED.check(address, 'ipv6');
  return true;
}

export interface AllowList {
  hosts: Set<string>;
  ranges: BlockList;
}

/** WEBHOOK_ALLOW_HOSTS: comma-separated host names, addresses or CIDR ranges */
export function parseAllowList(text: string | undefined): AllowList {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1])) ranges.addSubnet(cidr[1], Number(cidr[2]), isIP(cidr[1]) === 4 ? 'ipv4' : 'ipv6');
    else if (isIP(entry)) ranges.addAddress(entry, isIP(entry) === 4 ? 'ipv4' : 'ipv6');
    else hosts.add(entry.replace(/^\[|\]$/g, ''));
  }
  return { hosts, ranges };
}

/** problems with a WEBHOOK_ALLOW_HOSTS value (for the configuration check) */
export function allowListProblems(text: string | undefined): string[] {
  const problems: string[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const family = isIP(cidr[1]);
      if (!family || Number(cidr[2]) > (family === 4 ? 32 : 128)) problems.push(`WEBHOOK_ALLOW_HOSTS: ${JSON.stringify(entry)} is not a CIDR range`);
    } else if (!isIP(entry) && !/^[A-Za-z0-9.-]{1,253}$/.test(entry)) problems.push(`WEBHOOK_ALLOW_HOSTS: ${JSON.stringify(entry)} is not a host name, address or CIDR range`);
  }
  return problems;
}

function allowed(list: AllowList, host: string, address: string): boolean {
  if (list.hosts.has(host.toLowerCase())) return true;
  const family = isIP(address);
  return family !== 0 && list.ranges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export interface CheckedTarget {
  url: URL;
  /** the address the request must connect to */
  address: string;
  family: 4 | 6;
}

/** checks a target URL's form only (no DNS): http(s), no credentials, no fragment games */
export function checkTargetForm(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError('not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetRefusedError('only http and https targets are allowed');
  if (url.username || url.password) throw new TargetRefusedError('credentials in the URL are not allowed (use the signature)');
  if (!url.hostname) throw new TargetRefusedError('the URL has no host');
  return url;
}

/** resolves the target and checks every address it resolves to; returns the one to connect to */
export async function checkTarget(raw: string, allow: AllowList, resolve: Resolver = systemResolver): Promise<CheckedTarget> {
  const url = checkTargetForm(raw);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch (err) {
      throw new TargetRefusedError(`the host ${host} does not resolve (${(err as { code?: string }).code ?? (err as Error).message})`);
    }
  }
  if (addresses.length === 0) throw new TargetRefusedError(`the host ${host} does not resolve`);
  for (const a of addresses) {
    if (isNonPublicAddress(a.address) && !allowed(allow, host, a.address)) {
      throw new TargetRefusedError(`${host} resolves to ${a.address}, a loopback, link-local, private, unique-local, multicast or unspecified address (not in WEBHOOK_ALLOW_HOSTS)`);
    }
  }
  const first = addresses[0];
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
