import { createPlan } from '../support/api-fixtures.ts';
import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract } from '../support/openapi-contract.ts';
import { eventually } from '../support/poll.ts';

describe('the bulk operations API answers as the OpenAPI document says', () => {
  const contract = openApiContract();
  const { call } = contract;
  let stack: ApiStack;

  beforeAll(async () => {
    ({ stack } = await contract.start({ app: { bulkRatePerSecond: 2 } }));
  });
  afterAll(async () => {
    await contract.close();
  });

  it('describes the preview, the run, its progress and report, the list, and cancelling', async () => {
    const plan = await createPlan(stack);
    for (let i = 0; i < 10; i++) {
      expect((await stack.request('POST', '/v1/licenses', { body: { plan_id: plan.id, customer: { email: `contract-${i}@example.com` }, expires_at: '2031-01-01T00:00:00Z' } })).status).toBe(201);
    }
    const body = { selection: { type: 'filter', plan: plan.code }, operation: { type: 'extend_expiry_to', until: '2032-01-01T00:00:00Z' }, reason: 'fiscal year alignment' };
    const preview = await call('POST', '/v1/bulk-operations', { body: { ...body, dry_run: true } });
    expect(preview.body.affected).toBe(10);
    const started = await call('POST', '/v1/bulk-operations', { body });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    // Paced at 2 licenses a second, the run takes 5 s: cancelled at once, it is still running.
    expect((await call('POST', '/v1/bulk-operations/{id}/cancel', { params: { id } })).status).toBe(202);
    expect((await call('GET', '/v1/bulk-operations', { query: 'limit=5' })).body.data[0].id).toBe(id);
    const page = await call('GET', '/v1/bulk-operations/{id}', { params: { id }, query: 'limit=2' });
    expect(page.body.results.data).toHaveLength(2);
    await eventually(async () => ((await stack.request('GET', `/v1/bulk-operations/${id}`)).body.status === 'CANCELLED' ? true : undefined), { timeoutMs: 60_000, what: 'the cancellation' });
    const done = await call('GET', '/v1/bulk-operations/{id}', { params: { id }, query: 'status=CANCELLED' });
    expect(done.body.results.data.every((item: { status: string }) => item.status === 'CANCELLED')).toBe(true);
    const csv = await call('GET', '/v1/bulk-operations/{id}/results.csv', { params: { id } });
    expect(csv.body).toMatch(/^license_id,/);
    expect((await call('POST', '/v1/bulk-operations/{id}/cancel', { params: { id } })).body.code).toBe('BULK_OPERATION_FINISHED');
  });

  it('has served every operation it owns as documented', () => {
    expect(contract.unexercised('openapi-bulk-api')).toEqual([]);
  });
});
