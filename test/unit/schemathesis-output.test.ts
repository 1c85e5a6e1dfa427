import { withoutBanners } from '../support/schemathesis-output.ts';

/** The closing lines a log reader takes for pytest's: `=== 3 warnings in 73.70s ===` and the like. */
const PYTEST_CLOSING = /^\s*=+ .* in [\d.]+s.* =+\s*$/m;

describe('Schemathesis output in the suite log', () => {
  it('keeps no line that reads as pytest closing on no test, and keeps what the banners said', () => {
    const output = [
      '=================================== SUMMARY ====================================',
      'Test cases:',
      '  8689 generated, 8689 passed',
      '============================= 3 warnings in 73.70s =============================',
      '    ======= 12 passed, 1 failed in 9.10s =======',
    ].join('\n');
    expect(output).toMatch(PYTEST_CLOSING);
    const shown = withoutBanners(output);
    expect(shown).not.toMatch(PYTEST_CLOSING);
    expect(shown.split('\n')).toEqual([
      '[schemathesis] SUMMARY',
      'Test cases:',
      '  8689 generated, 8689 passed',
      '[schemathesis] 3 warnings in 73.70s',
      '[schemathesis] 12 passed, 1 failed in 9.10s',
    ]);
  });
});
