/**
 * `npm run tools`: provisions the Temporal CLI and the time-skipping test server into the
 * tools folder (see lib/temporal-binaries.ts for the resolution order) and says where each came from.
 */
import { loadConfig } from '../lib/config.ts';
import { resolveTemporalCli, resolveTestServer } from '../lib/temporal-binaries.ts';

const config = loadConfig();
const log = (line: string) => console.log(`[tools] ${line}`);
const [cli, testServer] = await Promise.all([
  resolveTemporalCli({ toolsDir: config.toolsDir, envPath: config.temporal.cliPath, log }),
  resolveTestServer({ toolsDir: config.toolsDir, envPath: config.temporal.testServerPath, log }),
]);
for (const binary of [cli, testServer]) {
  const where = binary.path ?? `the SDK's own download (${binary.detail ?? 'not found locally'})`;
  log(`${binary.name}: ${where} [${binary.source}]`);
}
