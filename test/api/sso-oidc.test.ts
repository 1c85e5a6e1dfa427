import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract } from '../support/openapi-contract.ts';
import { Browser, createStaff } from '../support/staff.ts';

interface Person {
  email: string;
  name: string;
  groups: string[];
}

/**
 * A real OpenID provider (oidc-provider) on this machine, with a login step that signs in
 * whoever the test names next (its interactions are the test's, everything else is the
 * provider's own: discovery, authorization with PKCE, the token endpoint, ID tokens, UserInfo).
 */
async function startProvider() {
  const people = new Map<string, Person>();
  let next: string | null = null;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    issuer,
    people,
    signInNext(accountId: string) {
      next = accountId;
    },
    async configure(redirectUri: string) {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      const provider = new Provider(issuer, {
        clients: [{ client_id: 'keywarden', client_secret: 'keywarden-client-secret', redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code'], response_types: ['code'] }],
        jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
        cookies: { keys: ['oidc-provider-test-cookie-key'] },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
        scopes: ['openid', 'email', 'profile', 'groups'],
        features: { devInteractions: { enabled: false } },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
        interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
        async findAccount(_ctx: unknown, id: string) {
          const person = people.get(id);
          if (!person) return undefined;
          return { accountId: id, claims: () => ({ sub: id, email: person.email, email_verified: true, name: person.name, groups: person.groups }) };
        },
      });
      const callback = provider.callback();
      server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
        if (!req.url?.startsWith('/interaction/')) return callback(req, res);
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(req, res, { login: { accountId: next! } }, { mergeWithLastSubmission: false });
          return;
        }
        const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
        grant.addOIDCScope(String(details.params.scope));
        await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Follows the provider's redirects (with its cookies, as a browser would) until it sends the browser back to `back`. */
async function throughProvider(start: string, back: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(back)) return url;
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([n, v]) => `${n}=${v}`).join('; ') } });
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';')[0]!;
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${url} with ${response.status}: ${await response.text()}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}

describe('single sign-on with OpenID Connect, against a real oidc-provider', () => {
  const contract = openApiContract();
  let stack: ApiStack;
  let provider: Awaited<ReturnType<typeof startProvider>>;

  beforeAll(async () => {
    provider = await startProvider();
    ({ stack } = await contract.start({
      worker: false,
      identity: {
        oidc: {
          issuer: provider.issuer,
          clientId: 'keywarden',
          clientSecret: 'keywarden-client-secret',
          scopes: 'openid email profile groups',
          groupsClaim: 'groups',
          roleRules: [
            { kind: 'domain', value: 'example.com', role: 'support' },
            { kind: 'group', value: 'kw-admins', role: 'admin' },
            { kind: 'group', value: 'kw-owners', role: 'owner' },
          ],
        },
      },
    }));
    await provider.configure(`${stack.baseUrl}/v1/sso/oidc/callback`);
  });
  afterAll(async () => {
    await contract.close();
    await provider?.close();
  });

  /** The whole browser round trip; answers the browser and where the API sent it back to. */
  async function signInAs(accountId: string, returnTo = '/admin/licenses') {
    provider.signInNext(accountId);
    const browser = new Browser(stack);
    const start = contract.conforms('GET', '/v1/sso/oidc/start', await browser.request('GET', `/v1/sso/oidc/start?return_to=${encodeURIComponent(returnTo)}`));
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(provider.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: 'keywarden', response_type: 'code', code_challenge_method: 'S256', state: expect.any(String), nonce: expect.any(String) });
    const back = await throughProvider(authorize.href, stack.baseUrl);
    const callback = contract.conforms('GET', '/v1/sso/oidc/callback', await browser.request('GET', back.slice(stack.baseUrl.length)));
    expect(callback.status).toBe(303);
    return { browser, location: callback.headers.get('location')!, callbackUrl: back };
  }

  it('creates the account on first sign-in with the role its e-mail domain maps to, and signs it in', async () => {
    provider.people.set('ada', { email: 'ada@example.com', name: 'Ada Lovelace', groups: [] });
    const { browser, location } = await signInAs('ada');
    expect(location).toBe('/admin/licenses');
    const session = await browser.request('GET', '/v1/sessions/current');
    expect(session.body).toMatchObject({ staff: { email: 'ada@example.com', name: 'Ada Lovelace', role: 'support' } });
    expect(session.body.scopes).not.toContain('licenses:revoke');
    const member = (await stack.request('GET', `/v1/staff/${session.body.staff.id}`)).body;
    expect(member).toMatchObject({ sso_managed: true, password_set: false });
    const trail = await stack.request('GET', `/v1/audit-events?target_id=${member.id}&action=staff.created`);
    expect(trail.body.data[0]).toMatchObject({ actor: 'system:oidc', after: { email: 'ada@example.com', role: 'support' } });
  });

  it('gives the highest role the claims match, and follows the provider\'s groups on later sign-ins', async () => {
    provider.people.set('bob', { email: 'bob@example.com', name: 'Bob', groups: ['kw-admins'] });
    let { browser } = await signInAs('bob');
    expect((await browser.request('GET', '/v1/sessions/current')).body.staff.role).toBe('admin');
    provider.people.set('bob', { email: 'bob@example.com', name: 'Bob', groups: [] });
    ({ browser } = await signInAs('bob'));
    expect((await browser.request('GET', '/v1/sessions/current')).body.staff.role).toBe('support');
  });

  it('refuses a person no rule admits, a disabled account, and a callback this browser did not start', async () => {
    provider.people.set('eve', { email: 'eve@elsewhere.org', name: 'Eve', groups: ['kw-nothing'] });
    const refused = await signInAs('eve');
    expect(refused.location).toBe('/admin/licenses?sso_error=SSO_NOT_ALLOWED');
    expect(refused.browser.sessionCookie).toBeUndefined();
    expect((await stack.request('GET', '/v1/staff?limit=100')).body.data.map((m: { email: string }) => m.email)).not.toContain('eve@elsewhere.org');

    const invited = await createStaff(stack, 'finance', { email: 'fay@example.com' });
    await stack.request('PATCH', `/v1/staff/${invited.id}`, { body: { status: 'DISABLED' } });
    provider.people.set('fay', { email: 'fay@example.com', name: 'Fay', groups: [] });
    expect((await signInAs('fay')).location).toBe('/admin/licenses?sso_error=ACCOUNT_DISABLED');

    // The provider's answer replayed in a browser without the flow cookie (or with another flow's) is refused.
    provider.people.set('gus', { email: 'gus@example.com', name: 'Gus', groups: [] });
    provider.signInNext('gus');
    const victim = new Browser(stack);
    const start = await victim.request('GET', '/v1/sso/oidc/start');
    const back = await throughProvider(start.headers.get('location')!, stack.baseUrl);
    const attacker = new Browser(stack);
    const replay = await attacker.request('GET', back.slice(stack.baseUrl.length));
    expect([replay.status, replay.body.code]).toEqual([401, 'SSO_FAILED']);
    await attacker.request('GET', '/v1/sso/oidc/start');
    const mixed = await attacker.request('GET', back.slice(stack.baseUrl.length));
    expect([mixed.status, mixed.headers.get('location')]).toEqual([303, '/admin/?sso_error=SSO_FAILED']);
    expect(attacker.sessionCookie).toBeUndefined();
  });

  it('keeps the role owners gave an invited member', async () => {
    const invited = await createStaff(stack, 'finance', { email: 'hal@example.com' });
    provider.people.set('hal', { email: 'hal@example.com', name: 'Hal', groups: ['kw-admins'] });
    const { browser } = await signInAs('hal');
    expect((await browser.request('GET', '/v1/sessions/current')).body.staff).toMatchObject({ id: invited.id, role: 'finance' });
  });

  it('exercises both single sign-on operations', () => {
    expect(contract.unexercised('sso-oidc')).toEqual([]);
  });
});
