import { readFileSync } from 'node:fs';
import { CLIENT_HEADER, CLIENT_HEADER_VALUE, SDK_NAME, SDK_VERSION } from '../../sdk/src/client-header.ts';
import { ApiTransport } from '../../sdk/src/transport.ts';

describe('the SDK names itself on every call (Keywarden-Client), for usage capture', () => {
  it('sends its package name and version, as package.json has them', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../sdk/package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    expect({ SDK_NAME, SDK_VERSION }).toEqual({ SDK_NAME: manifest.name, SDK_VERSION: manifest.version });
    const sent: Headers[] = [];
    const fetchImpl = (async (_url: URL, init: RequestInit) => {
      sent.push(new Headers(init.headers));
      return new Response('{}', { status: 200 });
    }) as unknown as typeof fetch;
    await new ApiTransport('http://127.0.0.1:1/', fetchImpl, 1000).post('/v1/validate', { key: 'x' });
    expect(sent[0]!.get(CLIENT_HEADER)).toBe(`${manifest.name}/${manifest.version}`);
    expect(CLIENT_HEADER_VALUE).toBe('@keywarden/client/0.1.0');
  });
});
