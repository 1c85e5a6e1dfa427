import { snapshotSeats } from '../../domain/reports/snapshot-seats.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';
import { seedReports, type ReportSeed } from '../support/report-seed.ts';
import { signedIn } from '../support/staff.ts';

/** Each report's figures against a direct SQL count over the same seeded rows. */
describe('reports: every figure equals its SQL ground truth', () => {
  let stack: ApiStack;
  let seed: ReportSeed;
  const count = async (sql: string, params: unknown[] = []) => Number(((await stack.db.orm.em.fork().execute(sql, params))[0] as { n: string | number | null }).n ?? 0);
  const get = async (path: string) => {
    const answer = await stack.request('GET', path);
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
    seed = await seedReports(stack.db.orm.em);
    await snapshotSeats(stack.db.orm.em);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('utilization: issued vs active, per plan, and seats per license and customer', async () => {
    const range = `from=${seed.day(-29)}&to=${seed.day(0)}`;
    const report = await get(`/v1/reports/utilization?${range}`);
    const until = seed.at(1, 0);
    const issued = await count(`select count(*) as n from license where created_at < ? and status not in ('REVOKED', 'EXPIRED')`, [until]);
    const active = await count(
      `select count(distinct l.id) as n from license l join license_validation_day v on v.license_id = l.id
        where l.created_at < ? and l.status not in ('REVOKED', 'EXPIRED') and v.day >= ? and v.day <= ? and v.count > 0`,
      [until, seed.day(-29), seed.day(0)],
    );
    expect(report.summary).toEqual({ issued, active, active_share: Math.round((active / issued) * 1000) / 1000 });
    expect([issued, active]).toEqual([6, 5]);
    const pro = report.plans.find((p: { plan: string }) => p.plan === 'pro');
    expect(pro).toMatchObject({ issued: await count(`select count(*) as n from license l join plan p on p.id = l.plan_id where p.code = 'pro' and l.status not in ('REVOKED', 'EXPIRED')`) });
    const pro1 = report.licenses.find((l: { license_id: string }) => l.license_id === seed.licenses.pro1);
    const live = await count(`select count(*) as n from activation where license_id = ? and deactivated_at is null`, [seed.licenses.pro1]);
    expect(pro1).toMatchObject({ seats_in_use: live, seat_limit: 5, utilization: live / 5 });
    expect(report.licenses[0].license_id).toBe(seed.licenses.pro1); // the most used first
    const ada = report.customers.find((c: { email: string }) => c.email === 'ada@example.com');
    const adaSeats = await count(
      `select count(*) as n from activation a join license l on l.id = a.license_id join customer c on c.id = l.customer_id
        where c.email = 'ada@example.com' and a.deactivated_at is null and l.status not in ('REVOKED', 'EXPIRED')`,
    );
    expect(ada).toMatchObject({ licenses: 3, seats_in_use: adaSeats, seat_limit: 5 + 10 + 5 });

    // Filtered by tier: only that tier's licenses count.
    const teamOnly = await get(`/v1/reports/utilization?${range}&tier=team`);
    expect(teamOnly.summary.issued).toBe(await count(`select count(*) as n from license l join plan p on p.id = l.plan_id where p.tier = 'team' and l.status not in ('REVOKED', 'EXPIRED')`));
    expect(teamOnly.filters).toEqual({ product: null, plan: null, tier: 'team' });
  });

  it('seat trend: the daily snapshots, summed per plan, per license for the one asked for', async () => {
    const report = await get(`/v1/reports/seat-trend?from=${seed.day(-6)}&to=${seed.day(0)}&product=acme-desktop`);
    const pro = report.plans.find((p: { plan: string }) => p.plan === 'pro');
    for (const point of pro.points) {
      const truth = await count(
        `select sum(d.seats_in_use) as n from license_seat_day d join license l on l.id = d.license_id join plan p on p.id = l.plan_id where p.code = 'pro' and d.day = ?`,
        [point.day],
      );
      expect(point.seats_in_use).toBe(truth);
    }
    expect(pro.points.map((p: { day: string }) => p.day)).toEqual([seed.day(-2), seed.day(-1), seed.day(0)]);
    expect(report.plans.map((p: { product: string }) => p.product)).not.toContain('acme-plugin');
    const one = await get(`/v1/reports/seat-trend?from=${seed.day(-6)}&to=${seed.day(0)}&license_id=${seed.licenses.pro1}`);
    expect(one.licenses).toHaveLength(1);
    expect(one.licenses[0].points.map((p: { seats_in_use: number }) => p.seats_in_use)).toEqual([5, 6, 6]);
  });

  it('renewal cohorts: term ends by month and tier, renewed, churned or open', async () => {
    const report = await get(`/v1/reports/renewal-cohorts?from=${seed.day(-90)}&to=${seed.day(90)}`);
    const [from, until] = [seed.at(-90, 0), seed.at(91, 0)];
    const renewed = await count(
      `select count(*) as n from audit_event where (before->>'expiresAt')::timestamptz >= ? and (before->>'expiresAt')::timestamptz < ?
         and (after->>'expiresAt')::timestamptz > (before->>'expiresAt')::timestamptz`,
      [from, until],
    );
    const churned = await count(`select count(*) as n from license where expires_at >= ? and expires_at < ? and status in ('EXPIRED', 'REVOKED')`, [from, until]);
    const open = await count(`select count(*) as n from license where expires_at >= ? and expires_at < ? and status not in ('EXPIRED', 'REVOKED')`, [from, until]);
    expect(report.totals).toEqual({ due: renewed + churned + open, renewed, churned, open, renewal_rate: Math.round((renewed / (renewed + churned)) * 1000) / 1000 });
    expect([renewed, churned]).toEqual([1, 2]);
    const basic = report.cohorts.filter((c: { tier: string }) => c.tier === 'basic');
    expect(basic.reduce((sum: number, c: { renewed: number }) => sum + c.renewed, 0)).toBe(1);
    expect(report.cohorts.find((c: { month: string; tier: string }) => c.month === seed.day(-60).slice(0, 7) && c.tier === 'basic').renewed).toBe(1);
  });

  it('revenue leakage: overage, refused keys still validating, extra domains, with their monthly value', async () => {
    const report = await get(`/v1/reports/revenue-leakage?from=${seed.day(-29)}&to=${seed.day(0)}`);
    const kind = (name: string) => report.summary.find((s: { kind: string }) => s.kind === name);
    const over = await count(
      `select count(*) as n from license l join plan p on p.id = l.plan_id where l.status not in ('REVOKED', 'EXPIRED')
         and (select count(*) from activation a where a.license_id = l.id and a.deactivated_at is null) > p.seat_limit`,
    );
    expect(kind('over_seat_limit')).toEqual({ kind: 'over_seat_limit', licenses: over, units: 1, monthly_value: { USD: 10 }, unpriced: 0 });
    const overage = report.findings.find((f: { kind: string }) => f.kind === 'over_seat_limit');
    expect(overage).toMatchObject({ license_id: seed.licenses.pro1, units: 1, allowed: 5, days: 12, monthly_value: 10, currency: 'USD' });

    const attempts = await count(
      `select sum(d.events) as n from usage_day d join license l on l.id = d.license_id
        where l.status in ('REVOKED', 'EXPIRED', 'SUSPENDED') and d.kind = 'validation' and d.code in ('REVOKED', 'EXPIRED', 'SUSPENDED', 'TRIAL_EXPIRED') and d.day between ? and ?`,
      [seed.day(-29), seed.day(0)],
    );
    expect(kind('refused_keys_validating')).toEqual({ kind: 'refused_keys_validating', licenses: 2, units: attempts, monthly_value: { USD: 100 }, unpriced: 1 });
    expect(attempts).toBe(7 + 5);

    expect(kind('extra_domains')).toMatchObject({ licenses: 1, units: 1, monthly_value: { USD: 5 } });
    expect(report.findings.find((f: { kind: string }) => f.kind === 'extra_domains')).toMatchObject({ license_id: seed.licenses.team1, units: 1, allowed: 2 });

    const countries = await count(
      `select count(distinct c) as n from usage_day d, jsonb_array_elements_text(d.countries) c where d.license_id = ? and d.day between ? and ?`,
      [seed.licenses.team1, seed.day(-29), seed.day(0)],
    );
    expect(countries).toBe(4);
    expect(kind('extra_countries')).toEqual({ kind: 'extra_countries', licenses: 1, units: countries - 3, monthly_value: { USD: 5 }, unpriced: 0 });
    expect(report.findings.find((f: { kind: string }) => f.kind === 'extra_countries')).toMatchObject({ license_id: seed.licenses.team1, units: 1, allowed: 3 });
  });

  it('the five licensing metrics, each beside its target', async () => {
    const report = await get(`/v1/reports/licensing-metrics?from=${seed.day(-29)}&to=${seed.day(0)}`);
    const metric = (name: string) => report.metrics.find((m: { metric: string }) => m.metric === name);
    expect(report.metrics.map((m: { metric: string }) => m.metric)).toEqual(['validation_success_rate', 'active_vs_issued', 'domain_to_license_ratio', 'renewal_rate', 'time_to_first_validation']);
    const [valid, total] = [
      await count(`select sum(events) as n from usage_day where kind = 'validation' and code in ('VALID', 'PAST_DUE', 'IN_GRACE') and day between ? and ?`, [seed.day(-29), seed.day(0)]),
      await count(`select sum(events) as n from usage_day where kind = 'validation' and day between ? and ?`, [seed.day(-29), seed.day(0)]),
    ];
    expect([valid, total]).toEqual([100, 122]);
    expect(metric('validation_success_rate')).toMatchObject({ value: Math.round((valid / total) * 10000) / 10000, numerator: valid, denominator: total, target: { op: '>', value: 0.99 }, meets: false });
    expect(metric('active_vs_issued')).toMatchObject({ value: 0.833, numerator: 5, denominator: 6, target: { op: '>', value: 0.7 }, meets: true });
    const pairs = await count(`select count(distinct (license_id, lower(domain))) as n from activation where domain is not null and last_seen_at >= ?`, [seed.at(-29, 0)]);
    const withDomains = await count(`select count(distinct license_id) as n from activation where domain is not null and last_seen_at >= ?`, [seed.at(-29, 0)]);
    expect(metric('domain_to_license_ratio')).toMatchObject({ value: Math.round((pairs / withDomains) * 100) / 100, numerator: pairs, denominator: withDomains, target: { op: '<', value: 2 } });
    expect(metric('domain_to_license_ratio').meets).toBe(pairs / withDomains < 2);
    const median = await count(
      `select percentile_cont(0.5) within group (order by extract(epoch from first_validated_at - created_at) / 3600) as n
         from license where created_at >= ? and created_at < ? and first_validated_at is not null`,
      [seed.at(-29, 0), seed.at(1, 0)],
    );
    expect(metric('time_to_first_validation')).toMatchObject({ value: median, numerator: 2, denominator: 2, meets: median < 24 });
    expect(median).toBe(15.5);
    expect(metric('renewal_rate')).toMatchObject({ target: { op: '>', value: 0.8 } });
  });

  it('answers CSV with ?format=csv: the main table, one line per row', async () => {
    const answer = await stack.request('GET', `/v1/reports/revenue-leakage?from=${seed.day(-29)}&to=${seed.day(0)}&format=csv`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="keywarden-revenue-leakage-${seed.day(-29)}-${seed.day(0)}.csv"`);
    const lines = (answer.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('kind,license_id,key_hint,customer_email,plan,status,units,allowed,since,days,monthly_value,currency');
    expect(lines).toHaveLength(1 + 5);
    expect(lines.find((line) => line.startsWith('over_seat_limit'))).toContain(`${seed.licenses.pro1},`);
  });

  it('refuses bad input with its own code: a range too long, an unknown filter value, a malformed date', async () => {
    const tooLong = await stack.request('GET', `/v1/reports/utilization?from=2020-01-01&to=2026-01-01`);
    expect(tooLong.status).toBe(422);
    expect(tooLong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(tooLong.body).toMatchObject({ code: 'REPORT_RANGE_TOO_LONG', errors: [{ field: 'from', message: 'the range may cover at most 366 days' }] });
    const unknown = await stack.request('GET', `/v1/reports/renewal-cohorts?plan=platinum&tier=pro`);
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_FILTER_VALUE', errors: [{ field: 'plan', message: 'no plan "platinum"' }] });
    for (const bad of ['2026-02-30', '12/01/2026', '2026-1-1']) {
      const malformed = await stack.request('GET', `/v1/reports/seat-trend?from=${encodeURIComponent(bad)}`);
      expect(malformed.status).toBe(422);
      expect(malformed.body).toMatchObject({ code: 'INVALID_DATE', errors: [{ field: 'from' }] });
    }
    const reversed = await stack.request('GET', `/v1/reports/licensing-metrics?from=${seed.day(0)}&to=${seed.day(-5)}`);
    expect(reversed.body).toMatchObject({ code: 'INVALID_DATE' });
    const unknownParameter = await stack.request('GET', `/v1/reports/utilization?color=red`);
    expect(unknownParameter.body).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('lets finance and read-only staff read reports', async () => {
    for (const role of ['finance', 'read_only'] as const) {
      const { browser } = await signedIn(stack, role);
      const answer = await browser.request('GET', `/v1/reports/licensing-metrics`);
      expect(answer.status).toBe(200);
    }
  });
});
