/**
 * The host of an Origin or Referer header (`https://shop.example.com:8443/page` →
 * `shop.example.com`), lower-cased; null for `null`, an opaque origin or anything that is not
 * an http(s) URL. Read at flush time, off the hot path.
 */
export function originHost(header: string | undefined): string | null {
  if (!header) return null;
  let url: URL;
  try {
    url = new URL(header);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host && host.length <= 255 ? host : null;
}

/** The SDK's name and version from `Keywarden-Client: <name>/<version>` (as a User-Agent product token). */
export function clientSoftware(header: string | undefined): { name: string | null; version: string | null } {
  if (!header) return { name: null, version: null };
  const [product = ''] = header.trim().split(/\s+/, 1);
  // The last slash: npm scope names have one of their own (`@keywarden/client/0.1.0`).
  const slash = product.lastIndexOf('/');
  const name = (slash === -1 ? product : product.slice(0, slash)).slice(0, 100);
  const version = slash === -1 ? '' : product.slice(slash + 1).slice(0, 50);
  return { name: name || null, version: version || null };
}
