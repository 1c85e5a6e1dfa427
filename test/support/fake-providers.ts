import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import os from 'node:os';
import path from 'node:path';

/** A scripted answer that replaces the normal one: an error status, or no answer at all. */
/** `lose`: the request is carried out, but its answer never arrives (the connection drops). */
export type Fault = { status: number; retryAfter?: string } | { hang: true } | { lose: true };

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  at: number;
  /** The route that matched, if any. */
  route?: string;
  /** Answered 429 by the provider's rate limit (see FakeProvider.limit). */
  limited?: boolean;
  /** The status answered (absent: no answer was sent, a hung or lost request). */
  status?: number;
}

type Handler = (request: Received) => { status: number; body?: unknown };

/** A self-signed certificate for 127.0.0.1 (customerio-node only speaks HTTPS). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kw-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A local stand-in for a provider's API: routes check each request as the provider would
 * (path, auth header, required fields), every request is recorded, and faults can be queued
 * per route to answer 500, 429 with Retry-After, or nothing (a timeout).
 */
export class FakeProvider {
  readonly requests: Received[] = [];
  readonly #routes: Array<{ method: string; pattern: RegExp; name: string; handle: Handler }> = [];
  readonly #limits: Array<{ routes: Set<string>; perSecond: number; retryAfter: string; window: number[] }> = [];
  readonly #faults = new Map<string, Fault[]>();
  readonly #standing = new Set<{ name: string; pathPart: string; fault: Fault }>();
  readonly #hanging = new Set<ServerResponse>();
  #server!: Server;
  url = '';

  route(name: string, method: string, pattern: RegExp, handle: Handler): this {
    this.#routes.push({ name, method, pattern, handle });
    return this;
  }

  /**
   * A rate limit shared by these routes, as the provider enforces it: a request beyond
   * `perSecond` within the last second is answered 429 with Retry-After (and not carried out).
   */
  limit(routes: string[], perSecond: number, retryAfterSeconds = 1): this {
    this.#limits.push({ routes: new Set(routes), perSecond, retryAfter: String(retryAfterSeconds), window: [] });
    return this;
  }

  /** The next requests of route `name` get these answers, in order. */
  fail(name: string, ...faults: Fault[]): void {
    this.#faults.set(name, [...(this.#faults.get(name) ?? []), ...faults]);
  }

  /**
   * Every request of route `name` whose path contains `pathPart` gets `fault`, however many
   * times it is retried, until the returned function is called: an outcome that does not
   * depend on how many attempts a slow machine makes.
   */
  failWhile(name: string, pathPart: string, fault: Fault): () => void {
    const rule = { name, pathPart, fault };
    this.#standing.add(rule);
    return () => void this.#standing.delete(rule);
  }

  received(name: string): Received[] {
    return this.requests.filter((r) => r.route === name);
  }

  async start(tls?: { key: string; cert: string }): Promise<this> {
    const listener = (req: IncomingMessage, res: ServerResponse) => void this.#handle(req, res);
    this.#server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(this.#server.address() as { port: number }).port}`;
    return this;
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the route decides
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const route = this.#routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    const received: Received = { method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body, at: Date.now(), route: route?.name };
    this.requests.push(received);
    const send = (status: number, answer?: unknown, headers: Record<string, string> = {}) => {
      received.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(answer === undefined ? '' : JSON.stringify(answer));
    };
    if (!route) return send(404, { message: `no route ${req.method} ${url.pathname}` });
    const limit = this.#limits.find((l) => l.routes.has(route.name));
    if (limit) {
      while (limit.window.length && limit.window[0]! <= received.at - 1000) limit.window.shift();
      if (limit.window.length >= limit.perSecond) {
        received.limited = true;
        return send(429, { meta: { error: 'rate limit exceeded' } }, { 'retry-after': limit.retryAfter });
      }
      limit.window.push(received.at);
    }
    const fault = [...this.#standing].find((rule) => rule.name === route.name && received.path.includes(rule.pathPart))?.fault ?? this.#faults.get(route.name)?.shift();
    if (fault && 'hang' in fault) {
      this.#hanging.add(res);
      return;
    }
    if (fault && 'lose' in fault) {
      route.handle(received);
      res.destroy();
      return;
    }
    if (fault) return send(fault.status, { message: 'injected failure' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
    const answer = route.handle(received);
    send(answer.status, answer.body);
  }

  async close(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

const problem = (status: number, message: string) => ({ status, body: { meta: { error: message }, message } });

/**
 * Customer.io: the Track API (Basic site id:API key) and the App API (Bearer app key), over
 * HTTPS. Track events with an `id` already seen are accepted and dropped, as Customer.io does.
 */
export function fakeCustomerIo(credentials: { siteId: string; trackApiKey: string; appApiKey: string }) {
  const basic = `Basic ${Buffer.from(`${credentials.siteId}:${credentials.trackApiKey}`).toString('base64')}`;
  const people = new Map<string, Record<string, unknown>>();
  const events: Array<{ customerId: string; name: string; id?: string; data: Record<string, any> }> = [];
  const emails: any[] = [];
  const fake = new FakeProvider()
    .route('identify', 'PUT', /^\/api\/v1\/customers\/[^/]+$/, (r) => {
      if (r.headers.authorization !== basic) return problem(401, 'unauthorized');
      if (typeof r.body !== 'object' || r.body === null) return problem(400, 'body must be a JSON object');
      const id = decodeURIComponent(r.path.split('/')[4]!.split('?')[0]!);
      people.set(id, { ...(people.get(id) ?? {}), ...r.body });
      return { status: 200, body: {} };
    })
    .route('track', 'POST', /^\/api\/v1\/customers\/[^/]+\/events$/, (r) => {
      if (r.headers.authorization !== basic) return problem(401, 'unauthorized');
      if (!r.body?.name) return problem(400, 'name is required');
      if (r.body.id !== undefined && !/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(r.body.id)) return problem(400, 'id must be a ULID');
      const customerId = decodeURIComponent(r.path.split('/')[4]!);
      if (!r.body.id || !events.some((e) => e.id === r.body.id)) events.push({ customerId, name: r.body.name, id: r.body.id, data: r.body.data ?? {} });
      return { status: 200, body: {} };
    })
    .route('send_email', 'POST', /^\/v1\/send\/email$/, (r) => {
      if (r.headers.authorization !== `Bearer ${credentials.appApiKey}`) return problem(401, 'unauthorized');
      const missing = ['transactional_message_id', 'to', 'identifiers'].filter((field) => !r.body?.[field]);
      if (missing.length) return problem(400, `missing ${missing.join(', ')}`);
      emails.push(r.body);
      return { status: 200, body: { delivery_id: `dlv_${emails.length}`, queued_at: Math.floor(Date.now() / 1000) } };
    });
  return Object.assign(fake, { people, events, emails });
}

/** HubSpot CRM v3 (Bearer private-app token): contacts, companies and tasks with search. */
export function fakeHubSpot(token: string, owners: { contacts?: Record<string, string>; companies?: Record<string, string> } = {}) {
  const tasks = new Map<string, { id: string; properties: Record<string, string>; associations: unknown[] }>();
  const authorized = (r: Received) => r.headers.authorization === `Bearer ${token}`;
  const object = (id: string, properties: Record<string, string>) => ({ id, properties, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), archived: false });
  const unauthorized = { status: 401, body: { status: 'error', message: 'Authentication credentials not found', category: 'INVALID_AUTHENTICATION' } };
  const fake = new FakeProvider()
    .route('contact', 'GET', /^\/crm\/v3\/objects\/contacts\/[^/]+$/, (r) => {
      if (!authorized(r)) return unauthorized;
      const id = r.path.split('/')[5]!.split('?')[0]!;
      return { status: 200, body: object(id, { hs_object_id: id, ...(owners.contacts?.[id] ? { hubspot_owner_id: owners.contacts[id]! } : {}) }) };
    })
    .route('company', 'GET', /^\/crm\/v3\/objects\/companies\/[^/]+$/, (r) => {
      if (!authorized(r)) return unauthorized;
      const id = r.path.split('/')[5]!.split('?')[0]!;
      return { status: 200, body: object(id, { hs_object_id: id, ...(owners.companies?.[id] ? { hubspot_owner_id: owners.companies[id]! } : {}) }) };
    })
    .route('create_task', 'POST', /^\/crm\/v3\/objects\/tasks$/, (r) => {
      if (!authorized(r)) return unauthorized;
      const properties = r.body?.properties ?? {};
      if (!properties.hs_timestamp) return { status: 400, body: { status: 'error', message: 'hs_timestamp is required', category: 'VALIDATION_ERROR' } };
      const id = String(90000 + tasks.size + 1);
      tasks.set(id, { id, properties, associations: r.body.associations ?? [] });
      return { status: 201, body: object(id, properties) };
    })
    .route('update_task', 'PATCH', /^\/crm\/v3\/objects\/tasks\/\d+$/, (r) => {
      if (!authorized(r)) return unauthorized;
      const task = tasks.get(r.path.split('/')[5]!.split('?')[0]!);
      if (!task) return { status: 404, body: { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' } };
      Object.assign(task.properties, r.body?.properties ?? {});
      return { status: 200, body: object(task.id, task.properties) };
    })
    .route('search_tasks', 'POST', /^\/crm\/v3\/objects\/tasks\/search$/, (r) => {
      if (!authorized(r)) return unauthorized;
      const filter = r.body?.filterGroups?.[0]?.filters?.[0];
      const found = [...tasks.values()].filter((t) => filter && String(t.properties[filter.propertyName] ?? '').includes(filter.value));
      return { status: 200, body: { total: found.length, results: found.map((t) => object(t.id, t.properties)) } };
    });
  return Object.assign(fake, { tasks });
}
