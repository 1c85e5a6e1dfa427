/**
 * `npm run tools`: provisions the Temporal CLI, the time-skipping test server and stripe-mock into the
 * tools folder (see lib/temporal-binaries.ts for the resolution order) and says where each came from;
 * and Schemathesis, in a Python virtual environment there (lib/schemathesis.ts).
 */
import { loadConfig } from '../lib/config.ts';
import { resolveSchemathesis } from '../lib/schemathesis.ts';
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
// After the others: pip and go would otherwise share the machine's cores and network at once.
const schemathesis = await resolveSchemathesis({ toolsDir: config.toolsDir, log });
log(`${schemathesis.name}: ${schemathesis.path ?? `missing (${schemathesis.detail})`} [${schemathesis.source}]`);
