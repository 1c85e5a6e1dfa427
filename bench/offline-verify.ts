/**
 * `npm run bench:offline` (also run by `npm run bench`): the SDK's offline verification of a
 * license token (signature against the bundled JWKS, claims, machine binding) against a bare
 * Ed25519 verify of the same bytes with node:crypto, in the same process, alternating rounds.
 * Target: the SDK at 80% or more of the bare verify. A benchmark, not a test: it prints the
 * figures and PASS/FAIL, and exits non-zero only if the SDK stops accepting the token.
 *
 * Environment: BENCH_OFFLINE_ROUNDS (default 6), BENCH_OFFLINE_ROUND_MS (default 1000).
 */
import { generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { OFFLINE_TOKEN_ISSUER, OFFLINE_TOKEN_TYPE } from '../domain/licenses/offline-token-claims.ts';
import { KeySet, verifyOfflineToken } from '../sdk/src/index.ts';

const ROUNDS = Number(process.env.BENCH_OFFLINE_ROUNDS ?? 6);
const ROUND_MS = Number(process.env.BENCH_OFFLINE_ROUND_MS ?? 1000);
const TARGET_RATIO = 0.8;
const log = (line: string) => process.stdout.write(`${line}\n`);

// A token shaped like the API's (domain/licenses/issue-offline-token.ts), signed by jose.
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const kid = randomUUID();
const licenseId = randomUUID();
const now = Date.now();
const token = await new SignJWT({
  license: { id: licenseId, status: 'ACTIVE', product: 'acme-desktop', plan: 'pro', tier: 'pro', features: { export: true, projects: 10 }, seat_model: 'DEVICE', seat_limit: 10, expires_at: null },
  fingerprint: 'a1b2c3',
})
  .setProtectedHeader({ alg: 'EdDSA', kid, typ: OFFLINE_TOKEN_TYPE })
  .setIssuer(OFFLINE_TOKEN_ISSUER)
  .setSubject(licenseId)
  .setJti(randomUUID())
  .setIssuedAt(Math.floor(now / 1000))
  .setNotBefore(Math.floor(now / 1000))
  .setExpirationTime('30d')
  .sign(privateKey);

// The JWKS as a client bundles it, with a few other keys beside the one that signed.
const others = await Promise.all([0, 1, 2].map(async () => ({ ...(await exportJWK(generateKeyPairSync('ed25519').publicKey)), kid: randomUUID() })));
const keys = await KeySet.fromJwks({ keys: [...others, { ...(await exportJWK(publicKey)), kid }] });
const check = { now, fingerprint: 'a1b2c3' };
const verdict = verifyOfflineToken(keys, token, check);
if (!verdict.valid) {
  log(`FAIL: the SDK refused the token: ${verdict.code} ${verdict.detail}`);
  process.exit(1);
}

// The floor: only the signature, over bytes prepared ahead.
const dot = token.lastIndexOf('.');
const signingInput = Buffer.from(token.slice(0, dot), 'latin1');
const signature = Buffer.from(token.slice(dot + 1), 'base64url');

function rate(run: () => unknown): number {
  let count = 0;
  const started = performance.now();
  const until = started + ROUND_MS;
  let elapsed = 0;
  do {
    for (let i = 0; i < 100; i += 1) run();
    count += 100;
    elapsed = performance.now();
  } while (elapsed < until);
  return count / ((elapsed - started) / 1000);
}

let sink = 0;
const bare = () => (verify(null, signingInput, publicKey, signature) ? (sink += 1) : (sink -= 1));
const sdk = () => (verifyOfflineToken(keys, token, check).valid ? (sink += 1) : (sink -= 1));

// Warm both paths, then alternate, so a noisy neighbour hurts both alike.
rate(bare);
rate(sdk);
const bareRates: number[] = [];
const sdkRates: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  if (round % 2 === 0) {
    bareRates.push(rate(bare));
    sdkRates.push(rate(sdk));
  } else {
    sdkRates.push(rate(sdk));
    bareRates.push(rate(bare));
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const bareRate = median(bareRates);
const sdkRate = median(sdkRates);
const ratio = sdkRate / bareRate;
log('Offline token verification (one core, median of alternating rounds)');
log(`  bare Ed25519 verify (node:crypto)   ${Math.round(bareRate).toLocaleString('en')} /s`);
log(`  SDK verifyOfflineToken()            ${Math.round(sdkRate).toLocaleString('en')} /s`);
log(`  ratio ${(ratio * 100).toFixed(1)}%  (target ≥ ${TARGET_RATIO * 100}%)  ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
if (sink === 0) log('');
