import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ProblemCode } from '../../api/http/problem.ts';
import type { OpenApiDocument } from '../../api/openapi/document.ts';
import { startApiStack, type ApiStack } from './api-stack.ts';

// ajv ships CommonJS; under Node's ESM the class is the default export's `default`.
type AjvClass = typeof Ajv2020Module.default;
export const Ajv2020: AjvClass = (Ajv2020Module as unknown as { default?: AjvClass }).default ?? (Ajv2020Module as unknown as AjvClass);
export const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: InstanceType<AjvClass>) => void;

export type Response = Awaited<ReturnType<ApiStack['request']>>;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const DOC_ID = 'https://keywarden.dev/openapi.json';
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Which contract test file answers for a success of each documented operation, by path
 * (the path itself or anything under it). openapi-document.test.ts checks that every
 * operation has exactly one owner; each owner checks it has exercised all of its own.
 */
export const OPERATION_OWNERS = {
  'openapi-document': ['/openapi.json'],
  'openapi-license-api': [
    '/v1/products', '/v1/plans', '/v1/customers', '/v1/licenses', '/v1/validate', '/v1/activate', '/v1/heartbeat', '/v1/deactivate',
    '/v1/signing-keys', '/.well-known/jwks.json', '/v1/messages',
  ],
  'openapi-service-endpoints': ['/healthz', '/readyz', '/metrics', '/v1/webhooks', '/v1/stripe'],
  'openapi-identity-api': [
    '/v1/sign-in-methods', '/v1/sessions', '/v1/password-resets', '/v1/staff-links', '/v1/me', '/v1/staff', '/v1/settings', '/v1/api-tokens', '/v1/audit-events',
  ],
  'sso-oidc': ['/v1/sso'],
  'openapi-portal-api': ['/v1/portal', '/renew'],
  'abuse-detection': ['/v1/abuse-alerts', '/v1/abuse-policies'],
  'openapi-reports-api': ['/v1/reports'],
  'openapi-bulk-api': ['/v1/bulk-operations'],
} as const;
export type ContractFile = keyof typeof OPERATION_OWNERS;

/** The contract files that own a documented path (exactly one when the map is right). */
export const ownersOf = (path: string) =>
  (Object.keys(OPERATION_OWNERS) as ContractFile[]).filter((file) => OPERATION_OWNERS[file].some((owned) => path === owned || path.startsWith(`${owned}/`)));

/** `METHOD /template` of every operation the document declares. */
export const documentedOperations = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));

/**
 * The API stack and its served OpenAPI document, with ajv validators of the document's
 * schemas: real answers are checked against what the document declares for them.
 */
export function openApiContract() {
  let stack: ApiStack;
  let doc: OpenApiDocument;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // The document is not a JSON Schema itself: its top-level members are annotations to ajv.
  ajv.addVocabulary(['openapi', 'info', 'tags', 'paths', 'components']);
  /** `METHOD /template status` of every answer checked, for the coverage check. */
  const exercised = new Set<string>();

  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  /** The validator of the schema at a JSON pointer into the document. */
  function validatorAt(schemaPath: string) {
    let validate = validators.get(schemaPath);
    if (!validate) validators.set(schemaPath, (validate = ajv.compile({ $ref: `${DOC_ID}#${schemaPath}` })));
    return validate;
  }

  function check(schemaPath: string, value: unknown, what: string) {
    const validate = validatorAt(schemaPath);
    if (!validate(value)) throw new Error(`${what} contradicts the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value, null, 2)}`);
  }

  function operationOf(method: string, template: string) {
    const operation = doc.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`the document has no ${method} ${template}`);
    return operation;
  }

  /** Checks a real answer against what the document declares for that operation and status. */
  function conforms(method: Method, template: string, response: Response, request?: unknown): Response {
    const what = `${method} ${template} → ${response.status}`;
    const declared = operationOf(method, template).responses[String(response.status)];
    if (!declared) throw new Error(`${what} is not declared by the document: ${JSON.stringify(response.body)}`);
    exercised.add(`${method} ${template} ${response.status}`);
    const base = `/paths/${pointer(template)}/${method.toLowerCase()}`;
    for (const name of Object.keys(declared.headers ?? {})) expect([what, name, response.headers.get(name) !== null]).toEqual([what, name, true]);
    const mediaTypes = Object.keys(declared.content ?? {});
    if (!mediaTypes.length) {
      expect([what, response.body]).toEqual([what, undefined]);
    } else {
      const mediaType = response.headers.get('content-type')?.split(';')[0] ?? '';
      expect([what, mediaTypes]).toEqual([what, expect.arrayContaining([mediaType])]);
      check(`${base}/responses/${response.status}/content/${pointer(mediaType)}/schema`, response.body, what);
    }
    // A body the API accepted must be one the document accepts too.
    if (request !== undefined && response.status < 300) check(`${base}/requestBody/content/application~1json/schema`, request, `the request body of ${what}`);
    return response;
  }

  return {
    /** Starts the API stack and loads its document (checked as an answer of GET /openapi.json). */
    async start(options: Parameters<typeof startApiStack>[0] = {}) {
      stack = await startApiStack(options);
      const served = await stack.request('GET', '/openapi.json', { token: null });
      doc = served.body;
      ajv.addSchema({ ...doc, $id: DOC_ID });
      conforms('GET', '/openapi.json', served);
      return { stack, doc };
    },
    close: () => stack?.close(),
    conforms,
    operationOf,
    check,

    /** Calls an operation by its documented path template, and checks the answer. */
    async call(method: Method, template: string, options: { params?: Record<string, string | undefined>; query?: string; body?: unknown; token?: string | null } = {}) {
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? `(missing ${name})`) + (options.query ? `?${options.query}` : '');
      const response = await stack.request(method, path, { body: options.body, token: options.token });
      return conforms(method, template, response, options.body);
    },

    /** A problem that no operation declares (unknown route, wrong method): the generic Problem schema. */
    isProblem(response: Response, status: number, code: ProblemCode) {
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status, code });
      check('/components/schemas/Problem', response.body, `${status} ${code}`);
    },

    /** Whether the document's request body schema of that operation accepts the value. */
    accepts: (template: string, method: string, value: unknown) =>
      Boolean(validatorAt(`/paths/${pointer(template)}/${method}/requestBody/content/application~1json/schema`)(value)),

    /** The operations this file owns that no checked answer has shown succeeding (2xx, or the redirect a redirecting operation answers). */
    unexercised(file: ContractFile) {
      const succeeded = new Set([...exercised].filter((entry) => /\s(2\d\d|30[23])$/.test(entry)).map((entry) => entry.replace(/\s\d+$/, '')));
      return documentedOperations(doc).filter((operation) => ownersOf(operation.split(' ')[1]!).includes(file) && !succeeded.has(operation));
    },
  };
}
