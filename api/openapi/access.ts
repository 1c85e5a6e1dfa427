import { PROBLEM_STATUS, type ProblemCode } from '../http/problem.ts';
import { ruleFor } from '../auth/route-rules.ts';
import { PROBLEM_MEDIA_TYPE, header } from './operation.ts';
import { ref } from './registry.ts';

type Operation = { security?: unknown[]; responses: Record<string, any>; description?: string };

/** Adds problem codes to an operation's responses, each under its status (merged with codes already there). */
function addProblems(operation: Operation, codes: ProblemCode[]): void {
  for (const code of codes) {
    const status = String(PROBLEM_STATUS[code]);
    const existing = operation.responses[status];
    if (existing && !existing.content?.[PROBLEM_MEDIA_TYPE]) throw new Error(`openapi: ${status} is both a resource and a problem`);
    const schema = existing?.content[PROBLEM_MEDIA_TYPE].schema;
    const enumeration: ProblemCode[] = schema?.allOf[1].properties.code.enum ?? [];
    if (enumeration.includes(code)) continue;
    const group = [...enumeration, code];
    operation.responses[status] = {
      ...existing,
      description: `Problem: ${group.join(', ')}.`,
      ...(code === 'UNAUTHORIZED' || existing?.headers ? { headers: { ...existing?.headers, ...(code === 'UNAUTHORIZED' ? { 'WWW-Authenticate': header('The Bearer challenge.') } : {}) } } : {}),
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { allOf: [ref('Problem'), { type: 'object', properties: { status: { const: Number(status) }, code: { enum: group } } }] } } },
    };
  }
  // Keep the statuses in order, `default` last, as the operations render them.
  const { default: fallback, ...rest } = operation.responses;
  operation.responses = { ...Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))), ...(fallback ? { default: fallback } : {}) };
}

/**
 * Makes every operation's security and access problems say what the route table enforces
 * (`api/auth/route-rules.ts`): a scoped route takes a bearer token or a staff session with the
 * scope; a session route only a staff session; a cookie-authenticated write can also meet the
 * CSRF refusals. An operation without a rule fails the build of the document.
 */
export function applyAccessRules(paths: Record<string, Record<string, Operation>>): void {
  for (const [template, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const rule = ruleFor(method.toUpperCase(), template.replace(/\{(\w+)\}/g, ':$1'));
      if (!rule) throw new Error(`openapi: ${method.toUpperCase()} ${template} has no rule in api/auth/route-rules.ts`);
      const write = method !== 'get';
      const csrf: ProblemCode[] = write ? ['CROSS_ORIGIN_REQUEST', 'CSRF_TOKEN_INVALID'] : [];
      if (rule.access === 'scope') {
        operation.security = [{ bearer: [rule.scope] }, { staffSession: [rule.scope] }];
        addProblems(operation, ['UNAUTHORIZED', 'SESSION_EXPIRED', 'FORBIDDEN', 'ACCOUNT_DISABLED', 'TWO_FACTOR_ENROLMENT_REQUIRED', ...csrf]);
      } else if (rule.access === 'session') {
        operation.security = [{ staffSession: [] }];
        addProblems(operation, ['UNAUTHORIZED', 'SESSION_EXPIRED', 'FORBIDDEN', 'ACCOUNT_DISABLED', ...(rule.duringEnrolment ? [] : ['TWO_FACTOR_ENROLMENT_REQUIRED' as const]), ...csrf]);
      } else if (rule.access === 'customer') {
        operation.security = [{ customerSession: [] }];
        addProblems(operation, ['UNAUTHORIZED', 'SESSION_EXPIRED', ...csrf]);
      } else {
        operation.security = [];
      }
    }
  }
}
