/**
 * `npm run tools`: provisions the Temporal CLI, the time-skipping test server and stripe-mock into the
 * tools folder (see lib/temporal-binaries.ts for the resolution order) and says where each came from.
 */
import { loadConfig } from '../lib/config.ts';
import { resolveStripeMock } from '../lib/stripe-mock.ts';
import { resolveTemporalCli, resolveTestServer } from '../lib/temporal-binaries.ts';

const config = loadConfig();
const log = (line: string) => console.log(`[tools] ${line}`);
const [cli, testServer, stripeMock] = await Promise.all([
  resolveTemporalCli({ toolsDir: config.toolsDir, envPath: config.temporal.cliPath, log }),
  resolveTestServer({ toolsDir: config.toolsDir, envPath: config.temporal.testServerPath, log }),
  resolveStripeMock({ toolsDir: config.toolsDir, envPath: config.stripeMockPath, log }),
]);
for (const binary of [cli, testServer, stripeMock]) {
  const where = binary.path ?? `the SDK's own download (${binary.detail ?? 'not found locally'})`;
  log(`${binary.name}: ${where} [${binary.source}]`);
}
