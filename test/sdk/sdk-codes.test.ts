import { readFileSync } from 'node:fs';
import { ACTIVATION_REJECTION_CODES as API_REJECTIONS, VALIDATION_CODES as API_CODES } from '../../domain/licenses/validation-codes.ts';
import { ACTIVATION_REJECTION_CODES, CLIENT_CODES, VALIDATION_CODES } from '../../sdk/src/index.ts';

describe('the SDK’s result codes', () => {
  it('mirror the API’s validation codes, in order and with the same validity', () => {
    const api = Object.entries(API_CODES).map(([code, { valid }]) => [code, valid]);
    const sdk = Object.entries(VALIDATION_CODES).map(([code, { valid }]) => [code, valid]);
    expect(sdk).toEqual(api);
  });

  it('mirror the API’s activation refusal codes', () => {
    expect([...ACTIVATION_REJECTION_CODES]).toEqual([...API_REJECTIONS]);
  });

  it('add client-only codes that never collide with the API’s and are all refusals', () => {
    for (const code of Object.keys(CLIENT_CODES)) expect([code, Object.hasOwn(API_CODES, code)]).toEqual([code, false]);
    expect(Object.values(CLIENT_CODES).every(({ valid }) => !valid)).toBe(true);
  });

  it('are all named in the README’s Codes section', () => {
    const readme = readFileSync(new URL('../../sdk/README.md', import.meta.url), 'utf8');
    const codes = readme.slice(readme.indexOf('## Codes'), readme.indexOf('\n## ', readme.indexOf('## Codes') + 1));
    const unnamed = [...Object.keys(VALIDATION_CODES), ...Object.keys(CLIENT_CODES)].filter((code) => !codes.includes(`\`${code}\``));
    expect(unnamed).toEqual([]);
  });
});
