import { randomUUID } from 'node:crypto';
import { openApiDocument } from '../../api/openapi/document.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { captureLogs } from '../support/log-capture.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { useStripeStack } from '../support/stripe.ts';

/**
 * Replays a generated corpus of bad input on every operation of the OpenAPI document (which a
 * contract test keeps equal to the routes the app registers, so a new route is covered the day it
 * is added): NUL and lone surrogates in every body field, query and path parameter; huge and
 * fractional numbers; wrong types; 64 KiB strings; whole bodies of the wrong shape, encoding or
 * media type; methods no route serves. Nothing may answer 5xx or log an error; every refusal is
 * problem+json, every 405 says what is allowed, and a NUL or lone surrogate in a field is refused,
 * naming the field when the body is checked.
 */

type Schema = Record<string, any>;
interface Case {
  what: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The field that holds NUL or a lone surrogate: a 2xx is a failure, a 400 INVALID_REQUEST must name it. */
  unstorableField?: string;
}

const BAD_TEXT: Record<string, string> = { NUL: 'a\u0000b', 'lone high surrogate': 'a\ud800', 'lone low surrogate': '\udc00b' };
/** Raw JSON texts: numbers JSON.parse turns into Infinity, -0, 2^64, fractions; and every wrong type. */
const BAD_VALUES: Record<string, string> = {
  'huge number': '1e308',
  'overflowing number': '1e400',
  'negative huge number': '-1e400',
  '2^64': '18446744073709551616',
  fraction: '1.5',
  'negative zero': '-0',
  'negative one': '-1',
  true: 'true',
  null: 'null',
  'empty array': '[]',
  'empty object': '{}',
  'array of strings': '["a","b"]',
  number: '7',
  'date string': '"2030-01-01T00:00:00Z"',
  'uuid string': `"${randomUUID()}"`,
  'empty string': '""',
  '60 KiB string': JSON.stringify('x'.repeat(60 * 1024)),
  '64 KiB string': JSON.stringify('x'.repeat(64 * 1024)),
  'object with a NUL key': '{"a\\u0000":1}',
  'deeply nested arrays': `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
};
const BAD_BODIES: Record<string, { type?: string; body: string | Buffer }> = {
  'top-level array': { body: '[]' },
  'top-level string': { body: '"x"' },
  'top-level number': { body: '1e400' },
  'top-level null': { body: 'null' },
  'truncated JSON': { body: '{"a":' },
  'JSON with a byte order mark': { body: '\ufeff{}' },
  'invalid UTF-8': { body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]) },
  'deeply nested object': { body: `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}` },
  'a 64 KiB body': { body: JSON.stringify({ x: 'y'.repeat(64 * 1024) }) },
  'text/plain': { type: 'text/plain', body: '{}' },
  'application/xml': { type: 'application/xml', body: '<a/>' },
  'form-urlencoded': { type: 'application/x-www-form-urlencoded', body: 'a=b' },
  'multipart/form-data': { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n' },
  'json in latin1': { type: 'application/json; charset=latin1', body: '{"a":"\xe9"}' },
  'no content type': { type: '', body: '{}' },
};
const BAD_PARAMS: Record<string, string> = {
  NUL: 'a%00b',
  'encoded surrogate (CESU-8)': '%ED%A0%80',
  'broken percent-encoding': '%E0%A4%A',
  'huge number': '1e400',
  'negative number': '-1',
  'not a number': 'NaN',
  '8 KiB string': 'x'.repeat(8 * 1024),
  'path traversal': '..%2F..%2Fetc%2Fpasswd',
};
const UNKNOWN_METHODS = ['TRACE', 'QUERY', 'PROPFIND', 'MKCOL', 'PURGE'];

function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema | undefined {
  return schema?.$ref ? components[String(schema.$ref).split('/').pop()!] : schema;
}

/** The fields a body schema names: its own properties and those of each shape it may take (oneOf, anyOf). */
function fieldsOf(schema: Schema | undefined): string[] {
  const shapes: Schema[] = [schema ?? {}, ...(schema?.oneOf ?? []), ...(schema?.anyOf ?? [])];
  return [...new Set(shapes.flatMap((shape) => Object.keys(shape.properties ?? {})))];
}

describe('a corpus of bad input on every route', () => {
  const logs = captureLogs('warn');
  const t = useStripeStack({ app: { logger: logs.logger } });
  const doc = openApiDocument();
  let ids: Record<string, string>;

  beforeAll(async () => {
    const license = await createLicense(t.stack);
    const customer = (await t.stack.request('POST', '/v1/customers', { body: { email: 'corpus@example.com' } })).body;
    ids = { license: license.id, product: license.plan.product_id, plan: license.plan.id, customer: customer.id };
  });

  /** Path parameters: real resources where a request changes nothing (so bodies get checked), fresh ids where it could delete or retire one. */
  function fillPath(template: string, method: string): string {
    const real = method !== 'delete' && !template.startsWith('/v1/signing-keys');
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (template.startsWith('/v1/stripe/events')) return 'evt_corpus';
      if (name === 'id' && real) {
        const family = template.split('/')[2]!.replace(/s$/, '');
        return ids[family] ?? randomUUID();
      }
      return randomUUID();
    });
  }

  function corpus(): Case[] {
    const cases: Case[] = [];
    const components = doc.components.schemas;
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const path = fillPath(template, method);
        const auth: Record<string, string> = operation.security?.length ? { authorization: `Bearer ${t.stack.adminToken}` } : {};
        const json = { 'content-type': 'application/json', ...auth };
        const M = method.toUpperCase();
        const body = resolve(operation.requestBody?.content?.['application/json']?.schema, components);
        for (const field of fieldsOf(body)) {
          for (const [name, value] of Object.entries(BAD_TEXT)) {
            cases.push({ what: `${field}: ${name}`, method: M, path, headers: json, body: JSON.stringify({ [field]: value }), unstorableField: field });
            cases.push({ what: `${field}: ${name} nested`, method: M, path, headers: json, body: JSON.stringify({ [field]: { inner: [value] } }), unstorableField: field });
          }
          for (const [name, raw] of Object.entries(BAD_VALUES)) cases.push({ what: `${field}: ${name}`, method: M, path, headers: json, body: `{${JSON.stringify(field)}:${raw}}` });
        }
        if (body) {
          for (const [name, { type, body: raw }] of Object.entries(BAD_BODIES)) {
            const headers: Record<string, string> = { ...auth, ...(type === '' ? {} : { 'content-type': type ?? 'application/json' }) };
            cases.push({ what: `body: ${name}`, method: M, path, headers, body: raw });
          }
          // Without a token too: refused before the body is read.
          if (operation.security?.length) cases.push({ what: 'no token', method: M, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: BAD_TEXT.NUL }) });
        }
        for (const parameter of operation.parameters ?? []) {
          for (const [name, raw] of Object.entries(BAD_PARAMS)) {
            if (parameter.in === 'query') {
              cases.push({ what: `?${parameter.name}: ${name}`, method: M, path: `${path}${path.includes('?') ? '&' : '?'}${parameter.name}=${raw}`, headers: json, unstorableField: name === 'NUL' ? parameter.name : undefined });
            } else if (parameter.in === 'path') {
              const filled = template.replace(`{${parameter.name}}`, raw).replace(/\{(\w+)\}/g, () => randomUUID());
              cases.push({ what: `{${parameter.name}}: ${name}`, method: M, path: filled, headers: json, body: body ? '{}' : undefined });
            }
          }
          if (parameter.in === 'query') cases.push({ what: `?${parameter.name} twice`, method: M, path: `${path}?${parameter.name}=a&${parameter.name}=b`, headers: json });
        }
      }
      const allowed = new Set(Object.keys(item).map((method) => method.toUpperCase()));
      const path = fillPath(template, 'get');
      for (const method of [...UNKNOWN_METHODS, ...['PUT', 'PATCH', 'DELETE', 'POST', 'GET'].filter((m) => !allowed.has(m))]) {
        for (const headers of [{}, { authorization: `Bearer ${t.stack.adminToken}` }] as Record<string, string>[]) cases.push({ what: `method ${method}`, method, path, headers });
      }
    }
    return cases;
  }

  it(
    'answers every case without a server error, as problem+json, naming what is wrong',
    async () => {
      const cases = corpus();
      const failures: string[] = [];
      const record = (c: Case, response: RawResponse, why: string) => failures.push(`${c.method} ${c.path.slice(0, 120)} [${c.what}] → ${response.status} ${response.text.slice(0, 200)}: ${why}`);
      let sent = 0;
      for (let from = 0; from < cases.length; from += 8) {
        const batch = cases.slice(from, from + 8);
        const responses = await Promise.all(batch.map((c) => rawRequest(t.stack.baseUrl + c.path, { method: c.method, headers: c.headers, body: c.body })));
        sent += batch.length;
        batch.forEach((c, i) => {
          const response = responses[i]!;
          if (response.status >= 500) return record(c, response, 'a server error');
          const type = String(response.headers['content-type'] ?? '');
          // 431: node's own answer to a request line or headers over its limit, before the app.
          if (response.status >= 400 && response.status !== 431 && !type.startsWith('application/problem+json')) record(c, response, 'a refusal that is not problem+json');
          if (response.status === 405 && !response.headers.allow) record(c, response, '405 without Allow');
          if (c.unstorableField) {
            if (response.status < 300) record(c, response, 'unstorable text accepted');
            const errors: { field: string }[] = response.json?.code === 'INVALID_REQUEST' ? (response.json.errors ?? []) : [];
            if (response.json?.code === 'INVALID_REQUEST' && !errors.some((e) => e.field === c.unstorableField || e.field.startsWith(`${c.unstorableField}.`))) {
              record(c, response, `INVALID_REQUEST without the field ${c.unstorableField}`);
            }
          }
        });
      }
      console.log(`bad-input corpus: ${sent} requests on ${Object.keys(doc.paths).length} paths; ${failures.length} failures`);
      expect(failures.slice(0, 50)).toEqual([]);
      expect(logs.atLeast('error')).toEqual([]);
    },
    10 * 60_000,
  );
});
