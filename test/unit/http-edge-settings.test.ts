import { ConfigError, loadConfig } from '../../lib/config.ts';
import { chromiumPath } from '../support/browser.ts';

describe('TRUST_PROXY and CLIENT_CORS_ORIGINS', () => {
  it('trusts no proxy by default, and takes a hop count or a list of addresses and ranges', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    for (const none of ['', 'false', '0']) expect(loadConfig({ TRUST_PROXY: none }).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::1' }).trustProxy).toEqual({ ranges: ['loopback', '10.0.0.0/8', '2001:db8::1'] });
  });

  it('refuses what is neither, naming the entry', () => {
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/8, proxy.internal' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/"10.0.0.0\/33"/);
    expect(() => loadConfig({ TRUST_PROXY: '99' })).toThrow(/at most 32/);
  });

  it('allows any origin by default, or the origins listed', () => {
    expect(loadConfig({}).clientCorsOrigins).toBe('*');
    expect(loadConfig({ CLIENT_CORS_ORIGINS: 'https://App.example.com, http://localhost:5173' }).clientCorsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    for (const bad of ['app.example.com', 'https://app.example.com/path', 'https://app.example.com/', 'ftp://files.example.com']) {
      expect(() => loadConfig({ CLIENT_CORS_ORIGINS: bad })).toThrow(/CLIENT_CORS_ORIGINS/);
    }
  });

  it('sets the per key and address limit under a per-key ceiling', () => {
    expect(loadConfig({}).rateLimits).toMatchObject({ perKeyIpPerMinute: 300, perKeyPerMinute: 3000 });
  });
});

describe('the browser the tests drive', () => {
  it('says in one line how to install Chromium when it is missing', () => {
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(/^Chromium not found at \/nonexistent\/chromium: install it with `apt-get install -y chromium`[^\n]*$/);
  });
});
