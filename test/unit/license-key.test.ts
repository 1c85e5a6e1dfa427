import {
  generateLicenseKey,
  isWellFormedLicenseKey,
  KEY_ALPHABET,
  KEY_GROUP_LENGTH,
  KEY_GROUPS,
  licenseKeyHint,
  normalizeLicenseKey,
} from '../../lib/license-key.ts';

describe('license keys', () => {
  it('are prefixed, segmented into groups of four, and use the unambiguous alphabet', () => {
    const key = generateLicenseKey();
    expect(key).toMatch(/^KW(-[0-9A-HJKMNP-TV-Z]{4}){6}$/);
    expect(isWellFormedLicenseKey(key)).toBe(true);
    expect(key).not.toMatch(/[ILOU]/);
  });

  it('carry at least 100 bits of entropy', () => {
    const bits = KEY_GROUPS * KEY_GROUP_LENGTH * Math.log2(KEY_ALPHABET.length);
    expect(bits).toBeGreaterThanOrEqual(100);
  });

  it('give trial keys a distinct prefix', () => {
    const key = generateLicenseKey({ trial: true });
    expect(key.startsWith('KWT-')).toBe(true);
    expect(isWellFormedLicenseKey(key)).toBe(true);
  });

  it('do not repeat across many draws and spread over the whole alphabet', () => {
    const keys = new Set(Array.from({ length: 5000 }, () => generateLicenseKey()));
    expect(keys.size).toBe(5000);
    const seen = new Set([...keys].join('').replace(/KW|-/g, ''));
    expect(seen.size).toBe(KEY_ALPHABET.length);
  });

  it('normalise what a person retypes: case, spaces and look-alike letters', () => {
    const key = 'KW-0A1B-2C3D-4E5F-6G7H-8J9K-MNPQ';
    expect(normalizeLicenseKey(' kw-oa1b-2c3d-4e5f-6g7h-8j9k-mnpq ')).toBe(key);
    expect(normalizeLicenseKey('KW-0AIB-2C3D-4E5F-6G7H-8J9K-MNPQ')).toBe(key);
    expect(normalizeLicenseKey('KW-0ALB-2C3D-4E5F-6G7H-8J9K-MNPQ')).toBe(key);
  });

  it('show staff only a hint, never the key', () => {
    const key = generateLicenseKey();
    const hint = licenseKeyHint(key);
    expect(hint).toBe(`KW-…-${key.slice(-4)}`);
    expect(hint.length).toBeLessThan(12);
  });
});
