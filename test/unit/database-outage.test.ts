import { pino } from 'pino';
import { DatabaseOutage } from '../../api/health/database-outage.ts';
import { eventually } from '../support/poll.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('the outage tracker', () => {
  const lines: Array<{ level: number; msg: string; refused?: number }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  let outage: DatabaseOutage | undefined;

  afterEach(() => {
    outage?.close();
    lines.length = 0;
  });

  it('logs an outage once when it begins, however many requests fail, and once when its probe finds Postgres again', async () => {
    let reachable = false;
    outage = new DatabaseOutage({ logger, probe: async () => (reachable ? 1 : Promise.reject(refused())), probeEveryMs: 20 });
    for (let i = 0; i < 50; i += 1) expect(outage.problemFor(refused())).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, headers: { 'Retry-After': '5' } });
    expect(outage.state).toMatchObject({ reason: 'ECONNREFUSED', refused: 50, since: expect.any(Date) });
    expect(lines.map((line) => [line.level, line.msg.slice(0, 26)])).toEqual([[50, 'Postgres is unreachable: r']]);

    reachable = true;
    await eventually(() => (outage!.down ? undefined : true), { what: 'the probe to end the outage' });
    expect(lines.slice(1)).toEqual([expect.objectContaining({ level: 30, refused: 50, msg: expect.stringMatching(/^Postgres is reachable again after [\d.]+ s \(50 requests were answered 503 meanwhile\)$/) })]);
  });

  it('leaves any other error to the middleware’s 500, and starts nothing for it', () => {
    outage = new DatabaseOutage({ logger, probe: async () => 1 });
    expect(outage.problemFor(new Error('a bug'))).toBeUndefined();
    expect(outage.down).toBe(false);
    outage.recovered();
    expect(lines).toEqual([]);
  });
});
