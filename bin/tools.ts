/**
 * `npm run tools` (and the start of `npm test`): provisions the Temporal CLI, the time-skipping
 * test server and stripe-mock into the tools folder (see lib/temporal-binaries.ts for the
 * resolution order) and says where each came from. What cannot be had is said in one line
 * each, with how to get it, before any test starts. Schemathesis goes into a Python virtual
 * environment there (lib/schemathesis.ts).
 */
import { loadConfigOrExit } from '../lib/entry-point.ts';
import { resolveSchemathesis } from '../lib/schemathesis.ts';
import { resolveStripeMock } from '../lib/stripe-mock.ts';
import { NO_TEMPORAL_CLI_HINT, resolveTemporalCli, resolveTestServer, type ResolvedBinary } from '../lib/temporal-binaries.ts';

const config = loadConfigOrExit();
const log = (line: string) => console.log(`[tools] ${line}`);

const howToGet: Record<string, string> = {
  'temporal CLI': NO_TEMPORAL_CLI_HINT,
  'temporal time-skipping test server': 'install Java 17+ and Maven (e.g. apt-get install openjdk-17-jdk-headless maven), or set TEMPORAL_TEST_SERVER_PATH',
  'stripe-mock': 'install Go (https://go.dev/doc/install) to build it, or set STRIPE_MOCK_PATH',
  schemathesis: 'install Python 3 with venv (e.g. apt-get install python3 python3-venv)',
};

async function timed(name: string, resolve: () => Promise<ResolvedBinary>): Promise<{ binary?: ResolvedBinary; problem?: string }> {
  const started = performance.now();
  try {
    const binary = await resolve();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (binary.path) log(`${binary.name}: ${binary.path} [${binary.source}${binary.detail ? `, ${binary.detail}` : ''}] in ${seconds} s`);
    return binary.path ? { binary } : { problem: `the tests need the ${name}, and there is none (${binary.detail}): ${howToGet[name]}` };
  } catch (error) {
    // The build's own output first (it is what explains a failed build), then the one line.
    console.error((error as Error).message);
    const last = (error as Error).message.split('\n').filter((line) => line.trim()).at(-1)?.trim();
    return { problem: `getting the ${name} for the tests failed (${last}): ${howToGet[name]}` };
  }
}

const results = await Promise.all([
  timed('temporal CLI', () => resolveTemporalCli({ toolsDir: config.toolsDir, envPath: config.temporal.cliPath, log })),
  timed('temporal time-skipping test server', () => resolveTestServer({ toolsDir: config.toolsDir, envPath: config.temporal.testServerPath, log })),
  timed('stripe-mock', () => resolveStripeMock({ toolsDir: config.toolsDir, envPath: config.stripeMockPath, log })),
]);
// After the others: pip and go would otherwise share the machine's cores and network at once.
results.push(await timed('schemathesis', () => resolveSchemathesis({ toolsDir: config.toolsDir, log })));
const problems = results.flatMap((result) => (result.problem ? [result.problem] : []));
for (const problem of problems) process.stderr.write(`keywarden: ${problem}\n`);
if (problems.length) process.exit(1);
