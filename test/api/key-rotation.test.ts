import { randomBytes } from 'node:crypto';
import { ClientRateLimiter } from '../../api/http/rate-limit.ts';
import { LicenseCache } from '../../api/validation/license-cache.ts';
import { startApiStack, startReplica, type ApiStack } from '../support/api-stack.ts';
import { client, createLicense } from '../support/api-fixtures.ts';
import { captureLogs } from '../support/log-capture.ts';
import { eventually } from '../support/poll.ts';
import { signedIn } from '../support/staff.ts';
import { testLogger } from '../support/temporal.ts';

const WEEK_S = 7 * 86_400;

describe('key rotation (same license, new key) on two API replicas', () => {
  let stack: ApiStack;
  let replica: { cache: LicenseCache; url: string; close(): Promise<void> };
  const logs = captureLogs('debug');

  beforeAll(async () => {
    stack = await startApiStack({ logger: logs.logger });
    // A second API replica on the same database, with its own validation cache (LISTEN/NOTIFY).
    const cache = new LicenseCache({ url: stack.db.url, logger: testLogger });
    await cache.start();
    const { url, close } = await startReplica(stack, { cache, logger: logs.logger, rateLimiter: new ClientRateLimiter({ perIpPerMinute: 1e6, perKeyPerMinute: 1e6, unknownKeysPerIpPerMinute: 1e6 }) });
    replica = { cache, url, close };
  });
  afterAll(async () => {
    await replica?.cache.close();
    await replica?.close();
    await stack?.close();
  });

  const onReplica = async (path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${replica.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const codeOnBoth = async (key: string) => [(await client(stack, '/v1/validate', { key })).body.code, (await onReplica('/v1/validate', { key })).body.code];
  const rotate = (id: string, body: Record<string, unknown>) => stack.request('POST', `/v1/licenses/${id}/rotate-key`, { body });
  const auditRows = (id: string) =>
    stack.db.orm.em.fork().execute<{ actor: string; actor_label: string; action: string; reason: string; before: unknown; after: unknown; ip: string | null }[]>(
      `select actor, actor_label, action, reason, before, after, ip from audit_event where license_id = ? order by created_at`,
      [id],
    );

  it('stops the old key on both replicas at once, keeps the activations, and audits who and why without the key', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 3 });
    const fingerprint = `m-${randomBytes(3).toString('hex')}`;
    expect((await client(stack, '/v1/activate', { key, fingerprint })).status).toBe(201);
    // Both replicas have the license cached under the old key. The activation's NOTIFY reaches each
    // replica a moment after its commit and drops whatever it had cached by then: validate again until both hold it.
    const cached = await eventually(async () => {
      const codes = await codeOnBoth(key);
      return replica.cache.get(stack.secret.lookupHash(key)) && stack.cache.get(stack.secret.lookupHash(key)) ? codes : undefined;
    }, { what: 'both replicas to cache the license under the old key', timeoutMs: 5_000 });
    expect(cached).toEqual(['VALID', 'VALID']);
    expect(replica.cache.get(stack.secret.lookupHash(key))).toBeDefined();
    expect(stack.cache.get(stack.secret.lookupHash(key))).toBeDefined();

    const rotated = await rotate(id, { reason: 'key posted on a public forum' });
    expect(rotated.status).toBe(200);
    const newKey = rotated.body.key as string;
    expect(newKey).toMatch(/^KW(-[0-9A-Z]{4}){6}$/);
    expect(newKey).not.toBe(key);
    expect(rotated.body).toMatchObject({ id, status: 'ACTIVE', current_activations: 1, key_hint: `KW-…-${newKey.slice(-4)}`, rotation: { previous_key_hint: `KW-…-${key.slice(-4)}`, overlap_seconds: 0 } });
    expect(Date.parse(rotated.body.rotation.previous_key_works_until)).toBeLessThanOrEqual(Date.now());

    // The replica that rotated answers KEY_ROTATED on the very next validation.
    const old = await client(stack, '/v1/validate', { key });
    expect(old.body).toMatchObject({ valid: false, code: 'KEY_ROTATED', license: null });
    // The other replica drops its cached copy on the NOTIFY sent at commit (milliseconds later).
    await eventually(async () => ((await onReplica('/v1/validate', { key })).body.code === 'KEY_ROTATED' ? true : undefined), { what: 'the second replica to refuse the old key', timeoutMs: 5_000 });
    expect(replica.cache.get(stack.secret.lookupHash(key))).toBeUndefined();
    expect(await codeOnBoth(key)).toEqual(['KEY_ROTATED', 'KEY_ROTATED']);

    // The new key is the same license, with its seat: the machine stays activated.
    const valid = await onReplica('/v1/validate', { key: newKey, fingerprint });
    expect(valid.body).toMatchObject({ valid: true, code: 'VALID', license: { id, current_activations: 1 } });
    expect((await client(stack, '/v1/validate', { key: newKey })).body.code).toBe('VALID');
    // Seat calls with the old key are refused with the same code (422: a known key, not an unknown one).
    for (const path of ['/v1/activate', '/v1/deactivate', '/v1/heartbeat']) {
      const refused = await onReplica(path, { key, fingerprint });
      expect([path, refused.status, refused.body.code]).toEqual([path, 422, 'KEY_ROTATED']);
    }

    // Support still finds the license by the old key (a customer reads out what they have).
    const found = await stack.request('POST', '/v1/licenses/search', { body: { q: key } });
    expect(found.body.data.map((hit: { id: string; matched: string }) => [hit.id, hit.matched])).toEqual([[id, 'key']]);

    const events = (await auditRows(id)).filter((e) => e.action === 'license.key_rotated');
    expect(events).toEqual([
      expect.objectContaining({ actor: expect.stringMatching(/^token:/), reason: 'key posted on a public forum', ip: '127.0.0.1', before: { key_hint: `KW-…-${key.slice(-4)}` }, after: expect.objectContaining({ key_hint: `KW-…-${newKey.slice(-4)}`, overlap_seconds: 0 }) }),
    ]);
    const everything = JSON.stringify([await auditRows(id), logs.records, await stack.db.orm.em.fork().execute(`select * from retired_license_key where license_id = ?`, [id])]);
    for (const secret of [key, newKey]) expect(everything).not.toContain(secret.slice(3));
  });

  it('lets both keys work through the overlap window, then answers KEY_ROTATED; a second rotation ends the first overlap', async () => {
    const { id, key } = await createLicense(stack, { seat_limit: 5 });
    expect(await codeOnBoth(key)).toEqual(['VALID', 'VALID']);
    const first = await rotate(id, { reason: 'laptop stolen', overlap_seconds: 3600 });
    expect(first.status).toBe(200);
    const second = first.body.key as string;
    expect(Date.parse(first.body.rotation.previous_key_works_until) - Date.now()).toBeGreaterThan(3500_000);
    await eventually(async () => ((await codeOnBoth(key)).join() === 'VALID,VALID' ? true : undefined), { what: 'the old key to keep working' });
    expect(await codeOnBoth(second)).toEqual(['VALID', 'VALID']);
    // The old key still takes and frees seats during the overlap, on the same license.
    const fingerprint = `m-${randomBytes(3).toString('hex')}`;
    const activated = await onReplica('/v1/activate', { key, fingerprint });
    expect([activated.status, activated.body.license.id]).toEqual([201, id]);
    // The seat was taken on the other replica: this one hears of it by NOTIFY, a moment after its commit.
    const counted = await eventually(async () => {
      const answer = (await client(stack, '/v1/validate', { key: second, fingerprint })).body;
      return answer.license?.current_activations === 1 ? answer : undefined;
    }, { what: 'this replica to count the seat taken on the other', timeoutMs: 5_000 });
    expect(counted).toMatchObject({ code: 'VALID', license: { current_activations: 1 } });

    // The overlap ends (as time would end it): the old key answers KEY_ROTATED, nothing cached under it.
    await stack.db.orm.em.fork().execute(`update retired_license_key set works_until = now() - interval '1 second' where license_id = ?`, [id]);
    expect(await codeOnBoth(key)).toEqual(['KEY_ROTATED', 'KEY_ROTATED']);

    // Back to an overlap, then rotated again: the earlier retired keys stop at once.
    await stack.db.orm.em.fork().execute(`update retired_license_key set works_until = now() + interval '1 hour' where license_id = ?`, [id]);
    expect(await codeOnBoth(key)).toEqual(['VALID', 'VALID']);
    const third = await rotate(id, { reason: 'leaked again', overlap_seconds: WEEK_S });
    expect(third.status).toBe(200);
    expect(await codeOnBoth(key)).toEqual(['KEY_ROTATED', 'KEY_ROTATED']);
    expect(await codeOnBoth(second)).toEqual(['VALID', 'VALID']);
    expect(await codeOnBoth(third.body.key)).toEqual(['VALID', 'VALID']);
  });

  it('refuses bad rotations with a clear problem and changes nothing', async () => {
    const { id, key } = await createLicense(stack);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{}, 400, 'INVALID_REQUEST'],
      [{ reason: '   ' }, 400, 'INVALID_REQUEST'],
      [{ reason: 'leak', overlap_seconds: WEEK_S + 1 }, 400, 'INVALID_REQUEST'],
      [{ reason: 'leak', overlap_seconds: -1 }, 400, 'INVALID_REQUEST'],
      [{ reason: 'leak', overlap_seconds: 1.5 }, 400, 'INVALID_REQUEST'],
      [{ reason: 'leak', overlap_seconds: '60' }, 400, 'INVALID_REQUEST'],
      [{ reason: 'leak', key: 'KW-0000' }, 400, 'INVALID_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await rotate(id, body);
      expect([body, answer.status, answer.body.code, answer.headers.get('content-type')]).toEqual([body, status, code, expect.stringContaining('application/problem+json')]);
    }
    expect((await rotate('00000000-0000-4000-8000-000000000000', { reason: 'leak' })).body.code).toBe('LICENSE_NOT_FOUND');
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('VALID');
    await stack.request('POST', `/v1/licenses/${id}/revoke`, { body: { reason: 'chargeback' } });
    const revoked = await rotate(id, { reason: 'leak' });
    expect([revoked.status, revoked.body.code]).toEqual([409, 'LICENSE_ALREADY_REVOKED']);
    expect((await client(stack, '/v1/validate', { key })).body.code).toBe('REVOKED');
  });

  it('rotates many licenses for an owner, reporting each, and refuses the bulk route to other roles', async () => {
    const a = await createLicense(stack);
    const b = await createLicense(stack);
    const missing = '00000000-0000-4000-8000-00000000f00d';
    const bulk = await stack.request('POST', '/v1/licenses/rotate-keys', { body: { license_ids: [a.id, missing, b.id], reason: 'build server compromised' } });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toMatchObject({ rotated: 2, refused: 1 });
    expect(bulk.body.results.map((r: any) => [r.license_id, r.status, r.code])).toEqual([[a.id, 'rotated', null], [missing, 'refused', 'LICENSE_NOT_FOUND'], [b.id, 'rotated', null]]);
    expect(JSON.stringify(bulk.body)).not.toMatch(/KW(-[0-9A-Z]{4}){6}/);
    expect(await codeOnBoth(a.key)).toEqual(['KEY_ROTATED', 'KEY_ROTATED']);
    expect(await codeOnBoth(b.key)).toEqual(['KEY_ROTATED', 'KEY_ROTATED']);

    for (const body of [{ license_ids: [], reason: 'x' }, { license_ids: [a.id, a.id], reason: 'x' }, { license_ids: Array.from({ length: 101 }, () => a.id), reason: 'x' }, { license_ids: ['nope'], reason: 'x' }]) {
      expect((await stack.request('POST', '/v1/licenses/rotate-keys', { body })).status).toBe(400);
    }
    const { browser } = await signedIn(stack, 'admin');
    const refused = await browser.request('POST', '/v1/licenses/rotate-keys', { body: { license_ids: [a.id], reason: 'x' } });
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    // An admin (and support) may rotate one license.
    expect((await browser.request('POST', `/v1/licenses/${a.id}/rotate-key`, { body: { reason: 'customer asked' } })).status).toBe(200);
  });
});
