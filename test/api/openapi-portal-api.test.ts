import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract, type Method } from '../support/openapi-contract.ts';
import { activateMachine, portalEmail, portalLinkToken, seedCustomerLicense } from '../support/portal.ts';
import { Browser } from '../support/staff.ts';

describe('the customer portal API answers as the OpenAPI document says', () => {
  const email = portalEmail();
  const contract = openApiContract();
  const { conforms } = contract;
  let stack: ApiStack;

  beforeAll(async () => {
    await email.cio.start(email.tls);
    ({ stack } = await contract.start({ ...email.stackOptions() }));
  });
  afterAll(async () => {
    await contract.close();
    await email.cio.close();
  });

  const as = async (browser: Browser, method: Method, template: string, options: { params?: Record<string, string>; body?: unknown; query?: string } = {}) => {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? '') + (options.query ? `?${options.query}` : '');
    return conforms(method, template, await browser.request(method, path, { body: options.body }), options.body);
  };

  it('describes signing in by link, the licenses, freeing a seat, the key, license files, renewal and /renew', async () => {
    const seeded = await seedCustomerLicense(stack);
    expect((await activateMachine(stack, seeded.key, 'desk')).status).toBe(201);
    const browser = new Browser(stack);
    expect((await as(browser, 'GET', '/v1/portal/sign-in-methods')).body.email_link).toBe(true);
    expect((await as(browser, 'POST', '/v1/portal/sign-in-links', { body: { email: seeded.email } })).status).toBe(202);
    const token = portalLinkToken(await email.linkFor(seeded.email));
    const signedIn = await as(browser, 'POST', '/v1/portal/sessions', { body: { token } });
    browser.csrfToken = signedIn.body.csrf_token;
    expect((await as(browser, 'POST', '/v1/portal/sessions', { body: { token } })).body.code).toBe('LINK_ALREADY_USED');
    expect((await as(browser, 'GET', '/v1/portal/session')).body.customer.email).toBe(seeded.email);

    const id = { id: seeded.licenseId };
    expect((await as(browser, 'GET', '/v1/portal/licenses')).body.data).toHaveLength(1);
    const detail = (await as(browser, 'GET', '/v1/portal/licenses/{id}', { params: id })).body;
    expect((await as(browser, 'GET', '/v1/portal/licenses/{id}/history', { params: id })).body.data.length).toBeGreaterThan(0);
    const free = '/v1/portal/licenses/{id}/machines/{activationId}/free';
    expect((await as(browser, 'POST', free, { params: { ...id, activationId: detail.machines[0].id } })).body.frees_left).toBe(0);
    expect((await as(browser, 'POST', '/v1/portal/licenses/{id}/key', { params: id })).body.key).toBe(seeded.key);
    expect((await as(browser, 'POST', '/v1/portal/licenses/{id}/license-files', { params: id, body: { fingerprint: 'vault' } })).status).toBe(201);
    expect((await as(browser, 'POST', '/v1/portal/licenses/{id}/license-files', { params: id, body: { fingerprint: '' } })).body.code).toBe('INVALID_REQUEST');
    expect((await as(browser, 'POST', '/v1/portal/licenses/{id}/renewal', { params: id })).body.kind).toBe('SELLER_PAGE');
    expect((await as(browser, 'POST', '/v1/portal/licenses/{id}/rotate-key', { params: id, body: {} })).body.key).not.toBe(seeded.key);
    expect((await as(browser, 'GET', '/v1/portal/licenses/{id}', { params: { id: '00000000-0000-4000-8000-000000000000' } })).body.code).toBe('PORTAL_LICENSE_NOT_FOUND');
    expect((await as(browser, 'GET', '/renew', { query: `license=${seeded.licenseId}` })).status).toBe(302);
    expect((await as(browser, 'DELETE', '/v1/portal/session')).status).toBe(204);
    expect((await as(browser, 'GET', '/v1/portal/licenses')).body.code).toBe('UNAUTHORIZED');
  });

  it('has served every portal operation as documented', () => {
    expect(contract.unexercised('openapi-portal-api')).toEqual([]);
  });
});
