import { snapshotSeats } from '../../domain/reports/snapshot-seats.ts';
import type { ApiStack } from '../support/api-stack.ts';
import { openApiContract } from '../support/openapi-contract.ts';
import { seedReports, type ReportSeed } from '../support/report-seed.ts';

describe('the reports answer as the OpenAPI document says: JSON, CSV and their refusals', () => {
  const contract = openApiContract();
  const { call } = contract;
  let stack: ApiStack;
  let seed: ReportSeed;

  beforeAll(async () => {
    ({ stack } = await contract.start({ worker: false }));
    seed = await seedReports(stack.db.orm.em);
    await snapshotSeats(stack.db.orm.em);
  });
  afterAll(async () => {
    await contract.close();
  });

  const REPORTS = ['utilization', 'seat-trend', 'renewal-cohorts', 'revenue-leakage', 'licensing-metrics'];

  it('describes every report as JSON and as CSV', async () => {
    const range = `from=${seed.day(-29)}&to=${seed.day(0)}`;
    for (const name of REPORTS) {
      const json = await call('GET', `/v1/reports/${name}`, { query: `${range}&product=acme-desktop` });
      expect(json.body).toMatchObject({ report: name, range: { from: seed.day(-29), to: seed.day(0), days: 30 }, filters: { product: 'acme-desktop', plan: null, tier: null } });
      const csv = await call('GET', `/v1/reports/${name}`, { query: `${range}&format=csv` });
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="keywarden-/);
    }
    expect((await call('GET', '/v1/reports/seat-trend', { query: `license_id=${seed.licenses.pro1}` })).body.licenses).toHaveLength(1);
  });

  it('describes the refusals: a range too long, an unknown filter, a malformed date, no token', async () => {
    expect((await call('GET', '/v1/reports/utilization', { query: 'from=2024-01-01&to=2026-01-01' })).body.code).toBe('REPORT_RANGE_TOO_LONG');
    expect((await call('GET', '/v1/reports/revenue-leakage', { query: 'tier=diamond' })).body.code).toBe('UNKNOWN_FILTER_VALUE');
    expect((await call('GET', '/v1/reports/renewal-cohorts', { query: 'to=yesterday' })).body.code).toBe('INVALID_DATE');
    expect((await call('GET', '/v1/reports/licensing-metrics', { query: 'format=pdf' })).body.code).toBe('INVALID_REQUEST');
    expect((await call('GET', '/v1/reports/seat-trend', { token: null })).body.code).toBe('UNAUTHORIZED');
  });

  it('has exercised every operation it answers for with a success', () => {
    expect(contract.unexercised('openapi-reports-api')).toEqual([]);
  });
});
