import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServerSecret } from '../../lib/server-secret.ts';

describe('server secret', () => {
  const secret = new ServerSecret(randomBytes(32));

  it('hashes look-ups deterministically, and differently under another secret', () => {
    expect(secret.lookupHash('KW-AAAA')).toBe(secret.lookupHash('KW-AAAA'));
    expect(secret.lookupHash('KW-AAAA')).toMatch(/^[0-9a-f]{64}$/);
    expect(new ServerSecret(randomBytes(32)).lookupHash('KW-AAAA')).not.toBe(secret.lookupHash('KW-AAAA'));
    expect(secret.matchesLookupHash('KW-AAAA', secret.lookupHash('KW-AAAA'))).toBe(true);
    expect(secret.matchesLookupHash('KW-AAAB', secret.lookupHash('KW-AAAA'))).toBe(false);
  });

  it('round-trips encrypted copies and binds them to their owner', () => {
    const sealed = secret.encrypt('KW-SECRET-KEY', 'license:1');
    expect(sealed).not.toContain('KW-SECRET-KEY');
    expect(secret.decrypt(sealed, 'license:1')).toBe('KW-SECRET-KEY');
    expect(() => secret.decrypt(sealed, 'license:2')).toThrow();
  });

  it('rejects a tampered ciphertext', () => {
    const sealed = secret.encrypt('KW-SECRET-KEY', 'license:1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => secret.decrypt(parts.join('.'), 'license:1')).toThrow();
  });

  it('refuses secrets shorter than 32 bytes', () => {
    expect(() => new ServerSecret(randomBytes(16))).toThrow(/32 bytes/);
  });

  it('keeps the embedded setup’s secret in a private file and reuses it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kw-secret-'));
    const first = ServerSecret.loadOrCreate(dir);
    const second = ServerSecret.loadOrCreate(dir);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.secret.lookupHash('x')).toBe(first.secret.lookupHash('x'));
    const file = path.join(dir, 'server-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
  });
});
