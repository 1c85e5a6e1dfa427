/**
 * `npm test`'s first and last step. `--reset` forgets earlier runs' counts; without it, prints
 * the plain closing line of every Jest run since (suite and lifecycle), summed:
 * `tests: 631 passed, 0 failed, 0 skipped`. Exits 1 when no test ran at all.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { closingLine, TEST_COUNTS_FILE, type RunCounts } from '../test/support/closing-line-reporter.ts';

if (process.argv.includes('--reset')) {
  rmSync(TEST_COUNTS_FILE, { force: true });
} else {
  const runs: RunCounts[] = existsSync(TEST_COUNTS_FILE)
    ? readFileSync(TEST_COUNTS_FILE, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunCounts)
    : [];
  const total = runs.reduce((sum, run) => ({ passed: sum.passed + run.passed, failed: sum.failed + run.failed, skipped: sum.skipped + run.skipped }), { passed: 0, failed: 0, skipped: 0 });
  console.log(`\n${runs.length} Jest run(s), all together:`);
  console.log(closingLine(total));
  if (total.passed === 0 || total.failed > 0) process.exitCode = 1;
}
