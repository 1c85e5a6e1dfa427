/** Mirrors normalizeDomain() of lib/network-match.ts: lower case, no trailing dot, no port. */
function normalizeDomain(input: string): string {
  let host = input.trim().toLowerCase();
  try {
    if (host.includes('://')) host = new URL(host).hostname;
  } catch {
    // a bare host name
  }
  return host.replace(/:\d+$/, '').replace(/\.$/, '');
}

/** The API's domain rule: `example.com` matches only itself; `*.example.com` any subdomain and the apex. */
export function domainMatches(domain: string, pattern: string): boolean {
  const host = normalizeDomain(domain);
  const wanted = normalizeDomain(pattern);
  if (wanted.startsWith('*.')) {
    const apex = wanted.slice(2);
    return host === apex || host.endsWith(`.${apex}`);
  }
  return host === wanted;
}
