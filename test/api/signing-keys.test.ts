import { createPrivateKey, createPublicKey } from 'node:crypto';
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
});
