import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSchemathesis, SCHEMATHESIS_VERSION } from '../../lib/schemathesis.ts';
import { createLicense } from '../support/api-fixtures.ts';
import { captureLogs } from '../support/log-capture.ts';
import { withoutBanners } from '../support/schemathesis-output.ts';
import { useStripeStack } from '../support/stripe.ts';

/** Test cases per operation and mode; with ~45 operations this keeps the run to a few minutes on a loaded machine. */
const MAX_EXAMPLES = Number(process.env.SCHEMATHESIS_MAX_EXAMPLES ?? 20);
const CHECKS = ['not_a_server_error', 'content_type_conformance', 'status_code_conformance', 'response_schema_conformance'];

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number };
}

/**
 * Real resources for the operations that take an id, so their bodies and queries are tested
 * beyond 404 (schemathesis.toml `[[operations]]` parameters); random ids are tested anyway.
 */
async function fixtureConfig(t: ReturnType<typeof useStripeStack>): Promise<string> {
  const license = await createLicense(t.stack, { seat_limit: 5 });
  // Revoked by the first revoke test case: a license of its own, so the other commands keep a live one.
  const revocable = await createLicense(t.stack);
  const activation = await t.stack.request('POST', '/v1/activate', { body: { key: license.key, fingerprint: 'schemathesis' }, token: null });
  const customer = await t.stack.request('POST', '/v1/customers', { body: { email: 'schemathesis@example.com' } });
  const keys = await t.stack.request('GET', '/v1/signing-keys');
  const messages = await t.stack.request('GET', `/v1/licenses/${license.id}/messages`);
  const operation = (pathRegex: string, parameters: Record<string, string>) =>
    `[[operations]]\ninclude-path-regex = ${JSON.stringify(pathRegex)}\nparameters = { ${Object.entries(parameters).map(([name, value]) => `${JSON.stringify(name)} = ${JSON.stringify(value)}`).join(', ')} }\n`;
  return [
    operation('^/v1/licenses/\\{id\\}/revoke$', { 'path.id': revocable.id }),
    operation('^/v1/licenses/\\{id\\}/activations/', { 'path.id': license.id, 'path.activationId': activation.body.activation.id }),
    operation('^/v1/licenses/\\{id\\}(/(?!activations/).*)?$', { 'path.id': license.id }),
    operation('^/v1/products/\\{id\\}$', { 'path.id': license.plan.product_id }),
    operation('^/v1/plans/\\{id\\}$', { 'path.id': license.plan.id }),
    operation('^/v1/customers/\\{id\\}$', { 'path.id': customer.body.id }),
    operation('^/v1/signing-keys/\\{id\\}/', { 'path.id': keys.body.data[0].id }),
    operation('^/v1/messages/\\{id\\}', { 'path.id': messages.body.data[0].id }),
  ].join('\n');
}

/**
 * Schemathesis (pinned, from PyPI; `npm run tools` puts it in the tools folder) against the real
 * API's /openapi.json: positive and negative test cases for every operation, with an admin token,
 * Stripe configured (stripe-mock) and the worker running, so nothing answers 503 for want of a
 * dependency. Any 5xx fails, and so does any answer the document does not describe.
 */
describe('Schemathesis against /openapi.json', () => {
  const logs = captureLogs('warn');
  const t = useStripeStack({ app: { logger: logs.logger } });
  let reportDir: string;

  beforeAll(() => {
    reportDir = mkdtempSync(path.join(os.tmpdir(), 'keywarden-schemathesis-'));
  });
  afterAll(() => {
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it(
    'finds no server error and no answer that breaks the contract, in positive and negative modes',
    async () => {
      const st = await resolveSchemathesis({ toolsDir: path.resolve(process.env.KEYWARDEN_TOOLS_DIR ?? '.tools'), install: false });
      if (!st.path) throw new Error(`schemathesis ${SCHEMATHESIS_VERSION} is not installed (${st.detail}): run \`npm run tools\``);
      const har = path.join(reportDir, 'run.har');
      const config = path.join(reportDir, 'schemathesis.toml');
      writeFileSync(config, await fixtureConfig(t));
      const args = [
        '--config-file', config,
        'run',
        `${t.stack.baseUrl}/openapi.json`,
        '--checks', CHECKS.join(','),
        '--mode', 'all',
        '--phases', 'examples,coverage,fuzzing',
        '--max-examples', String(MAX_EXAMPLES),
        // One worker: Python 3.11's ast module is not thread-safe, and Hypothesis parses lambdas with it
        // ("SystemError: AST constructor recursion depth mismatch" with two).
        '--workers', '1',
        '--seed', '1013',
        '--request-timeout', '30',
        '--suppress-health-check', 'too_slow,filter_too_much',
        '--header', `Authorization: Bearer ${t.stack.adminToken}`,
        '--report', 'har',
        '--report-har-path', har,
        '--output-truncate', 'false',
      ];
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(st.path!, args, { cwd: reportDir, env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (exit) => resolve({ code: exit, output: text }));
      });
      const entries = (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;
      const serverErrors = entries.filter((entry) => entry.response.status >= 500);
      console.log(`Schemathesis ${SCHEMATHESIS_VERSION}: ${entries.length} requests sent, ${serverErrors.length} answered 5xx (checks: ${CHECKS.join(', ')}; exit ${code})\n${withoutBanners(output.split('\n').slice(-40).join('\n'))}`);
      expect(serverErrors.map((entry) => `${entry.response.status} ${entry.request.method} ${entry.request.url}`)).toEqual([]);
      expect(entries.length).toBeGreaterThan(1_000);
      if (code !== 0) throw new Error(`Schemathesis found failures (exit ${code}):\n${withoutBanners(output.slice(-30_000))}`);
      expect(logs.atLeast('error')).toEqual([]);
    },
    15 * 60_000,
  );
});
