import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../../lib/http-edge-settings.ts';

/** `::ffff:192.0.2.5` → `192.0.2.5`: one spelling per address for the CIDR lock, the limits and the history. */
export function canonicalIp(address: string): string {
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** proxy-addr's trust function for the setting: the first `hops` addresses from the socket, or addresses in the ranges. */
export function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if ('hops' in trust) return (_address, hop) => hop < trust.hops;
  return proxyaddr.compile(trust.ranges);
}

/**
 * The client's address behind trusted proxies: the right-most address of the chain (socket
 * peer, then `X-Forwarded-For` from right to left) that is not a trusted proxy. proxy-addr
 * walks the chain; an entry that is not an IP address (a proxy that passed on garbage) ends it,
 * and the address of the proxy that sent it stands instead, so no client-written text is ever
 * taken for an address.
 */
export function resolveClientIp(req: IncomingMessage, trusted: (address: string, hop: number) => boolean): string {
  const chain = proxyaddr.all(req, trusted);
  let client = req.socket.remoteAddress ?? '';
  for (let hop = 1; hop < chain.length; hop += 1) {
    const address = chain[hop]!;
    if (net.isIP(address) === 0) break;
    client = address;
  }
  return canonicalIp(client);
}

/**
 * Sets `ctx.ip` once per request, so everything that reads the client's address (the CIDR
 * lock, the per-IP and unknown-key limits, the activation history) reads this one.
 *
 * Koa runs with `proxy: false`: its own `ctx.ip` is then the socket's peer, and
 * `X-Forwarded-For`, which any client can write, is ignored. Only with TRUST_PROXY set is the
 * header read, and only as far as the configured proxies vouch for it.
 */
export function clientIp(trust: TrustProxy | undefined): Middleware {
  if (!trust) {
    return (ctx, next) => {
      ctx.request.ip = canonicalIp(ctx.req.socket.remoteAddress ?? '');
      return next();
    };
  }
  const trusted = trustFunction(trust);
  return (ctx, next) => {
    ctx.request.ip = resolveClientIp(ctx.req, trusted);
    return next();
  };
}
