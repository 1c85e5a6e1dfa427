import net from 'node:net';

/** Lower-cases and strips a trailing dot and any port: `Shop.Example.com.:443` → `shop.example.com`. */
export function normalizeDomain(input: string): string {
  let host = input.trim().toLowerCase();
  try {
    if (host.includes('://')) host = new URL(host).hostname;
  } catch {
    // not a URL: treat as a bare host name
  }
  host = host.replace(/:\d+$/, '').replace(/\.$/, '');
  return host;
}

/**
 * `example.com` matches only itself; `*.example.com` matches any subdomain and the apex.
 */
export function domainAllowed(domain: string, patterns: readonly string[]): boolean {
  const host = normalizeDomain(domain);
  return patterns.some((raw) => {
    const pattern = normalizeDomain(raw);
    if (pattern.startsWith('*.')) {
      const apex = pattern.slice(2);
      return host === apex || host.endsWith(`.${apex}`);
    }
    return host === pattern;
  });
}

/** True when the IP lies in one of the CIDR ranges (IPv4 and IPv6; IPv4-mapped IPv6 folded). */
export function ipAllowed(ip: string, cidrs: readonly string[]): boolean {
  const address = ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined;
  if (!family) return false;
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const [base, bits] = cidr.split('/');
    const baseFamily = net.isIPv4(base ?? '') ? 'ipv4' : 'ipv6';
    const prefix = bits === undefined ? (baseFamily === 'ipv4' ? 32 : 128) : Number(bits);
    list.addSubnet(base!, prefix, baseFamily);
  }
  return list.check(address, family);
}

export function isValidCidr(cidr: string): boolean {
  const [base, bits, ...rest] = cidr.split('/');
  if (rest.length || !base) return false;
  const family = net.isIP(base);
  if (!family) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

export function isValidDomainPattern(pattern: string): boolean {
  return /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(pattern) || /^localhost$/i.test(pattern);
}
