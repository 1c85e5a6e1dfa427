import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pino } from 'pino';
import { SigningKeyring } from '../../domain/signing/signing-keyring.ts';
import { sealedKeyContext } from '../../domain/signing/generate-signing-key.ts';
import { SigningKey } from '../../schema/entities.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testSecret } from '../support/licenses.ts';

describe('signing keys', () => {
  let db: TestDatabase;
  // One server secret for the file: the keys are sealed under it.
  const secret = testSecret();

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('are generated once on first start, even by replicas starting together, and stored encrypted', async () => {
    const replicas = [0, 1, 2].map(() => new SigningKeyring({ em: db.orm.em, secret }));
    await Promise.all(replicas.map((keyring) => keyring.load()));
    const rows = await db.orm.em.fork().find(SigningKey, {});
    expect(rows.map((row) => row.status)).toEqual(['ACTIVE']);
    expect(new Set(replicas.map((keyring) => keyring.signer().kid))).toEqual(new Set([rows[0]!.id]));
    const row = rows[0]!;
    expect(row.privateKeyEncrypted).not.toContain('PRIVATE KEY');
    // The sealed key opens with the server secret, only in its own row, and matches the public JWK.
    const privateKey = createPrivateKey(secret.decrypt(row.privateKeyEncrypted, sealedKeyContext(row.id)));
    expect(createPublicKey(privateKey).export({ format: 'jwk' }).x).toBe(row.publicJwk.x);
    expect(() => secret.decrypt(row.privateKeyEncrypted, sealedKeyContext('another-id'))).toThrow();
    expect((await replicas[0]!.jwks()).keys).toEqual([row.publicJwk]);
  });

  it('reach other replicas after a rotation once they re-read', async () => {
    const here = new SigningKeyring({ em: db.orm.em, secret });
    const elsewhere = new SigningKeyring({ em: db.orm.em, secret, refreshMs: 60_000 });
    await Promise.all([here.load(), elsewhere.load()]);
    const before = elsewhere.signer().kid;
    const { rotateSigningKey } = await import('../../domain/signing/rotate-signing-key.ts');
    const rotated = await rotateSigningKey(db.orm.em, secret);
    await here.reload();
    expect(here.signer().kid).toBe(rotated.id);
    // The other replica signs with the old key (still verifying) until it re-reads (every refreshMs).
    expect(elsewhere.signer().kid).toBe(before);
    await elsewhere.reload();
    expect(elsewhere.signer().kid).toBe(rotated.id);
    expect((await elsewhere.jwks()).keys.map((key) => key.kid)).toEqual([rotated.id, before]);
  });

  it('keep signing through a Postgres outage: a failed re-read is tried again seconds later, not on every request, and is not logged per try', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    let reachable = true;
    let reads = 0;
    // The real EntityManager until Postgres "goes away"; then every read is refused as pg refuses it.
    const em = {
      fork: () => {
        if (!reachable) {
          reads += 1;
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        }
        return db.orm.em.fork();
      },
    } as unknown as EntityManager;
    const refreshMs = 50;
    const keyring = new SigningKeyring({ em, secret, logger, refreshMs });
    await keyring.load();
    const kid = keyring.signer().kid;
    reachable = false;
    const started = Date.now();
    let signed = 0;
    while (Date.now() - started < 300) {
      expect(keyring.signer().kid).toBe(kid);
      signed += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const elapsed = Date.now() - started;
    // At most one re-read per refreshMs of the time that passed (plus the one due at once), however many answers were signed.
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(Math.floor(elapsed / refreshMs) + 2);
    expect(signed).toBeGreaterThan(reads);
    expect(lines).toEqual([]);
    // The JWKS is served from memory meanwhile.
    expect((await keyring.jwks()).keys.length).toBeGreaterThan(0);
  });
});
