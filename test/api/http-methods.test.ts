import { openApiDocument } from '../../api/openapi/document.ts';
import { useApiStack } from '../support/api-stack.ts';
import { rawRequest } from '../support/raw-http.ts';

/** Every documented path, its parameters filled in, with the methods the document gives it. */
function documentedPaths(): { path: string; methods: string[] }[] {
  return Object.entries(openApiDocument().paths).map(([template, item]) => ({
    path: template.replace(/\{id\}/, template.startsWith('/v1/stripe/') ? 'evt_test_method' : '8f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f').replace(/\{\w+\}/g, '0e1d2c3b-4a59-4867-9564-738291a0b1c2'),
    methods: Object.keys(item).map((method) => method.toUpperCase()),
  }));
}

describe('HTTP methods no route serves', () => {
  const api = useApiStack({ worker: false });
  const { logs } = api;

  const UNKNOWN = ['TRACE', 'QUERY', 'PROPFIND', 'MKCOL', 'LOCK', 'PURGE', 'SEARCH'];

  it('answers them on every path, with and without a token, 405 METHOD_NOT_ALLOWED with Allow, as problem+json', async () => {
    for (const { path, methods } of documentedPaths()) {
      const allowed = new Set([...methods, 'OPTIONS', ...(methods.includes('GET') ? ['HEAD'] : [])]);
      const others = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => !allowed.has(method));
      for (const method of [...UNKNOWN, ...others]) {
        for (const token of [null, api.stack.adminToken]) {
          const response = await rawRequest(api.stack.baseUrl + path, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
          expect([method, path, response.status, response.json?.code]).toEqual([method, path, 405, 'METHOD_NOT_ALLOWED']);
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(new Set(String(response.headers.allow).split(', '))).toEqual(allowed);
        }
      }
    }
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const response = await rawRequest(`${api.stack.baseUrl}/healthz`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('answers a path that does not exist 404 ROUTE_NOT_FOUND, whatever the method', async () => {
    for (const method of ['GET', 'TRACE', 'PROPFIND']) {
      const response = await rawRequest(`${api.stack.baseUrl}/v1/nope`, { method });
      expect([method, response.status, response.json?.code]).toEqual([method, 404, 'ROUTE_NOT_FOUND']);
    }
  });

  it('logged no error for any of them', () => {
    expect(logs.atLeast('error')).toEqual([]);
  });
});
