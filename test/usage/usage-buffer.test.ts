import { UsageBuffer, type UsageCall } from '../../domain/usage/usage-buffer.ts';
import { clientSoftware, originHost } from '../../domain/usage/call-origin.ts';

const call = (overrides: Partial<UsageCall> = {}): UsageCall => ({
  kind: 'validation', code: 'VALID', licenseId: 'l-1', ip: '192.0.2.1', origin: undefined, domain: undefined, fingerprint: undefined, client: undefined, ...overrides,
});

describe('usage capture: the in-memory aggregate', () => {
  it('folds identical calls into one row with a count and the first call\'s time', () => {
    const buffer = new UsageBuffer(10);
    buffer.add(call(), 1_000);
    buffer.add(call(), 2_000);
    buffer.add(call({ ip: '192.0.2.2' }), 3_000);
    const rows = buffer.take();
    expect(rows.map((row) => [row.ip, row.count, row.firstAt])).toEqual([['192.0.2.1', 2, 1_000], ['192.0.2.2', 1, 3_000]]);
    expect(buffer.size).toBe(0);
  });

  it('is capped: calls that would add a row beyond the cap are dropped and counted, calls matching a held row still count', () => {
    const buffer = new UsageBuffer(3);
    for (let i = 0; i < 5; i += 1) buffer.add(call({ ip: `192.0.2.${i}` }), i);
    expect(buffer.size).toBe(3);
    expect(buffer.dropped).toBe(2);
    buffer.add(call({ ip: '192.0.2.0' }), 9);
    expect(buffer.dropped).toBe(2);
    expect(buffer.take().find((row) => row.ip === '192.0.2.0')?.count).toBe(2);
    // A flood of one key from a million addresses: memory stays at the cap.
    for (let i = 0; i < 100_000; i += 1) buffer.add(call({ ip: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }), i);
    expect(buffer.size).toBe(3);
    expect(buffer.dropped).toBe(2 + 100_000 - 3);
  });

  it('puts back the rows of a failed flush, within the cap', () => {
    const buffer = new UsageBuffer(2);
    buffer.add(call({ ip: 'a' }), 1);
    buffer.add(call({ ip: 'b' }), 2);
    const failed = buffer.take();
    buffer.add(call({ ip: 'c' }), 3);
    buffer.restore(failed);
    expect(buffer.size).toBe(2);
    expect(buffer.dropped).toBe(1);
  });

  it('reads the Origin/Referer host and the SDK header off the hot path, refusing what is not a web origin', () => {
    expect(originHost('https://Shop.Example.com:8443/cart?x=1')).toBe('shop.example.com');
    expect(originHost('http://[2001:db8::1]:80')).toBe('2001:db8::1');
    expect(originHost('null')).toBeNull();
    expect(originHost('file:///etc/passwd')).toBeNull();
    expect(originHost('not a url')).toBeNull();
    expect(originHost(undefined)).toBeNull();
    expect(clientSoftware('@keywarden/client/0.1.0')).toEqual({ name: '@keywarden/client', version: '0.1.0' });
    expect(clientSoftware('acme-sdk/2.4.1 (linux)')).toEqual({ name: 'acme-sdk', version: '2.4.1' });
    expect(clientSoftware('curl')).toEqual({ name: 'curl', version: null });
    expect(clientSoftware(undefined)).toEqual({ name: null, version: null });
  });
});
