import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The ULID of an outbox message: its creation time (48 bits) and 80 bits from a hash of its
 * id. Deterministic, so every retry sends Customer.io the same event id and it deduplicates.
 */
export function messageEventId(outboxId: string, createdAt: Date): string {
  let time = createdAt.getTime();
  let out = '';
  for (let i = 0; i < 10; i += 1) {
    out = CROCKFORD[time % 32] + out;
    time = Math.floor(time / 32);
  }
  const hash = createHash('sha256').update(outboxId).digest();
  // 80 bits: 16 characters of 5 bits from the first 10 bytes.
  let bits = 0n;
  for (const byte of hash.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
  let random = '';
  for (let i = 0; i < 16; i += 1) {
    random = CROCKFORD[Number(bits & 31n)] + random;
    bits >>= 5n;
  }
  return out + random;
}
