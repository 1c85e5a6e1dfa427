import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Ends each Jest run with one plain closing line, `tests: N passed, N failed, N skipped`, that
 * any reader of test output (CI included) can count, whatever it knows of Jest's own summary
 * (`Tests: 622 passed, 622 total`). It also adds the run's counts to test-artifacts/test-counts,
 * which `node bin/test-totals.ts` sums at the end of `npm test` (suite and lifecycle runs).
 * Runs beside Jest's default reporter.
 */
export const TEST_COUNTS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/test-counts');

export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
}

interface AggregatedCounts {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites: number;
}

export const closingLine = ({ passed, failed, skipped }: RunCounts): string => `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;

export default class ClosingLineReporter {
  onRunComplete(_contexts: unknown, results: AggregatedCounts): void {
    const counts: RunCounts = {
      passed: results.numPassedTests,
      // A suite that could not run (a syntax or set-up error) counts as a failure: it ran no test.
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    mkdirSync(dirname(TEST_COUNTS_FILE), { recursive: true });
    appendFileSync(TEST_COUNTS_FILE, `${JSON.stringify(counts)}\n`);
    process.stdout.write(`${closingLine(counts)}\n`);
  }

  getLastError(): undefined {
    return undefined;
  }
}
