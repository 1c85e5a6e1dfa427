import { ClockGuard, FileStorage, MemoryStorage } from '../src/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MINUTE = 60_000;

describe('ClockGuard', () => {
  it('reports a clock set back beyond the tolerance, and never lowers its mark', async () => {
    const guard = new ClockGuard(new MemoryStorage(), 5 * MINUTE);
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    expect(await guard.observe(t0)).toBe(false);
    expect(await guard.observe(t0 + 10 * MINUTE)).toBe(false);
    expect(await guard.observe(t0 + 6 * MINUTE)).toBe(false);
    expect(await guard.observe(t0 + 4 * MINUTE)).toBe(true);
    expect(await guard.lastSeen()).toBe(t0 + 10 * MINUTE);
    expect(await guard.observe(t0 + 11 * MINUTE)).toBe(false);
  });

  it('counts a trusted server time as seen', async () => {
    const guard = new ClockGuard(new MemoryStorage(), MINUTE);
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    expect(await guard.observe(t0 - 60 * MINUTE, t0)).toBe(false);
    expect(await guard.observe(t0 - 60 * MINUTE)).toBe(true);
  });

  it('remembers across restarts through FileStorage', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'keywarden-clock-'));
    try {
      const file = path.join(folder, 'nested', 'state.json');
      const t0 = Date.parse('2030-01-01T00:00:00Z');
      expect(await new ClockGuard(new FileStorage(file), MINUTE).observe(t0)).toBe(false);
      expect(await new ClockGuard(new FileStorage(file), MINUTE).observe(t0 - 10 * MINUTE)).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
