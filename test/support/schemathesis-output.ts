/**
 * Schemathesis's output, with its pytest-style banners (`=== SUMMARY ===`, `=== 3 warnings in
 * 73.70s ===`) restated as `[schemathesis] …`. Printed in the suite's log, such a banner reads as
 * pytest's closing line, and one that counts warnings only says "no test ran" to whatever reads
 * the log's closing lines (CI classed a green run so). The suite's own closing line is the
 * reporter's (test/support/closing-line-reporter.ts).
 */
export function withoutBanners(output: string): string {
  return output.replace(/^\s*=+\s*(.*?)\s*=+\s*$/gm, (_line, inner: string) => `[schemathesis] ${inner}`);
}
