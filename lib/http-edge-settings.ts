import proxyaddr from 'proxy-addr';

/**
 * Which peers may tell the API who the client is (`X-Forwarded-For`): the first `hops`
 * addresses counted from the socket (a fixed chain of proxies), or peers in `ranges` (IP
 * addresses, CIDRs, or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustProxy = { hops: number } | { ranges: string[] };

/** Origins allowed to read the client endpoints' answers from a browser: any (`*`), or these. */
export type CorsOrigins = '*' | string[];

/**
 * TRUST_PROXY: empty, `false` or `0` trusts no one (the default: the socket's peer is the
 * client); a whole number trusts that many hops; anything else is a comma-separated list of
 * addresses and ranges. Returns a message instead of a value when the text is not one of those.
 */
export function parseTrustProxy(raw: string): TrustProxy | undefined | { error: string } {
  const text = raw.trim();
  if (text === '' || text === 'false' || text === '0') return undefined;
  if (/^[0-9]+$/.test(text)) {
    const hops = Number(text);
    return hops <= 32 ? { hops } : { error: `TRUST_PROXY: ${hops} hops is more than any real chain of proxies (at most 32)` };
  }
  const ranges = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const range of ranges) {
    try {
      proxyaddr.compile(range);
    } catch {
      return { error: `TRUST_PROXY: "${range}" is not an IP address, a CIDR range (10.0.0.0/8), loopback, linklocal or uniquelocal` };
    }
  }
  return { ranges };
}

/**
 * CLIENT_CORS_ORIGINS: `*` (the default) or a comma-separated list of origins such as
 * `https://app.example.com` (scheme, host and port only, as a browser sends `Origin`).
 */
export function parseCorsOrigins(raw: string): CorsOrigins | { error: string } {
  const text = raw.trim();
  if (text === '' || text === '*') return '*';
  const origins: string[] = [];
  for (const entry of text.split(',').map((value) => value.trim()).filter(Boolean)) {
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password && !entry.endsWith('/');
      origin = bare && (url.protocol === 'https:' || url.protocol === 'http:') ? url.origin : undefined;
    } catch {
      origin = undefined;
    }
    if (!origin) return { error: `CLIENT_CORS_ORIGINS: "${entry}" is not an origin such as https://app.example.com (scheme, host and port, no path)` };
    origins.push(origin);
  }
  return origins;
}
