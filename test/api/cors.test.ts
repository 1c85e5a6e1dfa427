import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { createLicense } from '../support/api-fixtures.ts';
import { startApiStack, startReplica, type ApiStack, type Replica } from '../support/api-stack.ts';
import { launchBrowser } from '../support/browser.ts';
import { rawRequest } from '../support/raw-http.ts';

/**
 * Browser software (plugins, widgets, extensions) validates from a page on its own origin: the
 * client endpoints answer CORS for any origin (or those CLIENT_CORS_ORIGINS lists), without
 * credentials; admin endpoints never answer CORS.
 */
describe('CORS on the client endpoints', () => {
  let stack: ApiStack;
  let narrowed: Replica;
  let key: string;
  const PAGE_ORIGIN = 'https://plugin.example';

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
    narrowed = await startReplica(stack, { clientCorsOrigins: ['https://app.example.com'] });
    key = (await createLicense(stack)).key;
  });
  afterAll(async () => {
    await narrowed?.close();
    await stack?.close();
  });

  const preflight = (base: string, path: string, origin: string, method = 'POST') =>
    rawRequest(base + path, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' } });
  const post = (base: string, path: string, body: unknown, origin?: string) =>
    rawRequest(base + path, { method: 'POST', headers: { ...(origin ? { origin } : {}), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  describe('preflights and answers', () => {
    it('answers a preflight of every client endpoint for any origin, without credentials', async () => {
      for (const [path, method] of [['/v1/validate', 'POST'], ['/v1/activate', 'POST'], ['/v1/deactivate', 'POST'], ['/v1/heartbeat', 'POST'], ['/.well-known/jwks.json', 'GET']] as const) {
        const response = await preflight(stack.baseUrl, path, PAGE_ORIGIN, method);
        expect([path, response.status, response.headers['access-control-allow-origin']]).toEqual([path, 204, '*']);
        expect(response.headers['access-control-allow-methods']).toContain(method);
        expect(response.headers['access-control-allow-headers']).toMatch(/content-type/i);
        expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
        expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      }
      expect((await preflight(stack.baseUrl, '/v1/validate', PAGE_ORIGIN, 'DELETE')).headers['access-control-allow-origin']).toBeUndefined();
    });

    it('lets the page read the answer and its signature, and leaves the Origin on the request', async () => {
      const response = await post(stack.baseUrl, '/v1/validate', { key }, PAGE_ORIGIN);
      expect(response.status).toBe(200);
      expect(response.json.code).toBe('VALID');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(String(response.headers['access-control-expose-headers'])).toContain('Keywarden-Signature');
      expect(response.headers['keywarden-signature']).toEqual(expect.any(String));
      expect((await rawRequest(`${stack.baseUrl}/.well-known/jwks.json`, { method: 'GET', headers: { origin: PAGE_ORIGIN } })).headers['access-control-allow-origin']).toBe('*');
      // The cacheable JWKS carries them without an Origin too (a cache may serve it to a page);
      // a POST without one comes from no browser, and its answer is never cached.
      expect((await rawRequest(`${stack.baseUrl}/.well-known/jwks.json`, { method: 'GET' })).headers['access-control-allow-origin']).toBe('*');
      const programs = await post(stack.baseUrl, '/v1/validate', { key });
      expect([programs.json.code, programs.headers['access-control-allow-origin'], programs.headers['x-content-type-options']]).toEqual(['VALID', undefined, 'nosniff']);
    });

    it('never answers CORS on admin endpoints, preflight or not', async () => {
      const response = await preflight(stack.baseUrl, '/v1/licenses', PAGE_ORIGIN, 'GET');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const list = await rawRequest(`${stack.baseUrl}/v1/licenses`, { method: 'GET', headers: { origin: PAGE_ORIGIN, authorization: `Bearer ${stack.adminToken}` } });
      expect(list.status).toBe(200);
      expect(list.headers['access-control-allow-origin']).toBeUndefined();
      expect((await preflight(stack.baseUrl, '/v1/webhooks/stripe', PAGE_ORIGIN)).headers['access-control-allow-origin']).toBeUndefined();
    });

    it('with CLIENT_CORS_ORIGINS, answers only those origins, and says the answer varies by Origin', async () => {
      const allowed = await post(narrowed.url, '/v1/validate', { key }, 'https://app.example.com');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(allowed.headers.vary).toMatch(/Origin/);
      const other = await post(narrowed.url, '/v1/validate', { key }, PAGE_ORIGIN);
      // Still answered (only a browser's reading is refused): the Origin stays for the usage records.
      expect(other.json.code).toBe('VALID');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect((await preflight(narrowed.url, '/v1/validate', PAGE_ORIGIN)).headers['access-control-allow-origin']).toBeUndefined();
      expect((await preflight(narrowed.url, '/v1/validate', 'https://app.example.com')).headers['access-control-allow-origin']).toBe('https://app.example.com');
    });
  });

  describe('from a page in headless Chromium', () => {
    let browser: Browser;
    let page: Page;
    let site: Server;
    let siteOrigin: string;

    beforeAll(async () => {
      // The plugin's page, on an origin of its own (another port is another origin).
      site = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<!doctype html><title>plugin</title><p>plugin page</p>');
      });
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      siteOrigin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
      browser = await launchBrowser();
      page = await browser.newPage();
      await page.goto(`${siteOrigin}/`);
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
    });

    /** fetch() from the page: what the page's script can read, or the error the browser gave it. */
    const fetchFromPage = (url: string, init: { method: string; headers?: Record<string, string>; body?: string }) =>
      page.evaluate(
        async ({ url, init }) => {
          try {
            const response = await fetch(url, init);
            return { status: response.status, body: await response.json(), signature: response.headers.get('keywarden-signature') };
          } catch (error) {
            return { error: String(error) };
          }
        },
        { url, init },
      );

    it('validates a key from another origin and reads the signed answer', async () => {
      const result = await fetchFromPage(`${stack.baseUrl}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
      expect(result).toMatchObject({ status: 200, body: { valid: true, code: 'VALID' }, signature: expect.stringMatching(/\.\./) });
      const jwks = await fetchFromPage(`${stack.baseUrl}/.well-known/jwks.json`, { method: 'GET' });
      expect(jwks).toMatchObject({ status: 200, body: { keys: expect.any(Array) } });
    });

    it('cannot read an admin endpoint, even with a token', async () => {
      const result = await fetchFromPage(`${stack.baseUrl}/v1/licenses`, { method: 'GET', headers: { authorization: `Bearer ${stack.adminToken}` } });
      expect(result).toEqual({ error: expect.stringMatching(/TypeError/) });
    });

    it('cannot read the client endpoints of an API whose CLIENT_CORS_ORIGINS leaves its origin out', async () => {
      const result = await fetchFromPage(`${narrowed.url}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
      expect(result).toEqual({ error: expect.stringMatching(/TypeError/) });
    });
  });
});
