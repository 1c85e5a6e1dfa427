import type { JsonWebKeySet } from '../../sdk/src/index.ts';
import type { ApiStack } from '../support/api-stack.ts';

/** The API's public keys, as software would bundle them. */
export const fetchJwks = async (stack: ApiStack): Promise<JsonWebKeySet> => (await stack.request('GET', '/.well-known/jwks.json', { token: null })).body;

/** Issues an offline token for the license (admin call). */
export async function issueOfflineToken(stack: ApiStack, licenseId: string, body: Record<string, unknown> = {}) {
  const issued = await stack.request('POST', `/v1/licenses/${licenseId}/offline-tokens`, { body });
  if (issued.status !== 201) throw new Error(`not issued: ${JSON.stringify(issued.body)}`);
  return issued.body as { id: string; token: string; key_id: string; expires_at: string };
}

/** A ClientStorage over a Map the test can read and edit, as someone with the state file could. */
export function inspectableStorage() {
  const values = new Map<string, string>();
  const storage = { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
  return { values, storage };
}

/** The stored signed answers (slot, record), in the order written. */
export const storedAnswers = (values: Map<string, string>) => [...values].filter(([k]) => k.startsWith('keywarden:answer:'));

/** A fetch for a server that cannot be reached; `calls()` counts the attempts. */
export function unreachable() {
  let calls = 0;
  const down: typeof fetch = () => {
    calls += 1;
    return Promise.reject(new TypeError('network down'));
  };
  return { fetch: down, calls: () => calls };
}

/** A fetch to the real server; `calls()` counts the requests. */
export function counting() {
  let calls = 0;
  const through: typeof fetch = (input, init) => {
    calls += 1;
    return fetch(input, init);
  };
  return { fetch: through, calls: () => calls };
}

/** The stored record of the last license-level refusal (slot, record), if any. */
export const storedRefusals = (values: Map<string, string>) => [...values].filter(([k]) => k.startsWith('keywarden:license-refusal:'));
