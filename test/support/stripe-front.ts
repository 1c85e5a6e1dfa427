import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the Stripe API answers: through to stripe-mock, 503 with Stripe's error body, or not at
 * all (the connection is dropped before any answer, as when the network fails).
 */
export type StripeApiMode = 'up' | 'unavailable' | 'unreachable';

export interface StripeFront {
  /** Point the Stripe client here (STRIPE_API_BASE). */
  url: string;
  mode: StripeApiMode;
  /** `METHOD path mode` of every request that reached the front. */
  requests: string[];
  /**
   * Answers of the Stripe API that stripe-mock cannot give (its lists ignore their filters, it
   * never refuses), by `METHOD pathname`: given the query and the form-encoded body, an answer
   * (status 200 unless given); undefined goes through to stripe-mock.
   */
  answers: Map<string, (query: URLSearchParams, form: URLSearchParams) => { status?: number; body: unknown } | undefined>;
  close(): Promise<void>;
}

/** Text of the 503 body; it must never reach a webhook answer or the event log. */
export const UPSTREAM_ERROR_TEXT = 'upstream-outage-7f3a: the Stripe API is overloaded';

/**
 * A local HTTP server in front of stripe-mock: the SaaS faked at its HTTP boundary, with an
 * outage switch. While the mode is not `up`, every request fails (the client's own retries too).
 */
export async function startStripeFront(upstream: string): Promise<StripeFront> {
  const target = new URL(upstream);
  const front: StripeFront = { url: '', mode: 'up', requests: [], answers: new Map(), close: async () => undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const mode = front.mode;
    front.requests.push(`${req.method} ${req.url} ${mode}`);
    if (mode === 'unreachable') {
      req.socket.destroy();
      return;
    }
    if (mode === 'unavailable') {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: UPSTREAM_ERROR_TEXT } }));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://front');
    const answer = front.answers.get(`${req.method} ${url.pathname}`);
    const forward = (body?: Buffer) => {
      const upstreamRequest = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (upstreamAnswer) => {
          res.writeHead(upstreamAnswer.statusCode ?? 502, upstreamAnswer.headers);
          upstreamAnswer.pipe(res);
        },
      );
      upstreamRequest.on('error', () => res.destroy());
      if (body) upstreamRequest.end(body);
      else req.pipe(upstreamRequest);
    };
    if (!answer) return forward();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const canned = answer(url.searchParams, new URLSearchParams(body.toString('utf8')));
      if (canned === undefined) return forward(body);
      res.writeHead(canned.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(canned.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  front.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return front;
}
