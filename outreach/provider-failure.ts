/** Why a provider call failed, and whether trying again can help. */
export interface ProviderFailure {
  provider: string;
  /** HTTP status, or null when no answer came (timeout, connection refused or reset). */
  status: number | null;
  retryable: boolean;
  /** From the provider's Retry-After header, when it sent one. */
  retryAfterMs: number | null;
  message: string;
}

/** A call that took longer than the configured timeout. */
export class ProviderTimeoutError extends Error {
  override name = 'ProviderTimeoutError';
}

/** Retry-After: delta seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !text.trim()) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(at - now, 0);
}

const NETWORK_ERRORS = new Set(['ProviderTimeoutError', 'AbortError', 'FetchError', 'TimeoutError']);

/**
 * Sorts a provider error: 5xx, 429 and 408 and network failures are worth retrying (honouring
 * Retry-After); any other 4xx is the request's fault and will fail the same way again.
 * Understands customerio-node's CustomerIORequestError (`statusCode`, `response.headers`) and
 * @hubspot/api-client's ApiException (`code`, `headers`).
 */
export function classifyProviderError(provider: string, error: unknown): ProviderFailure {
  const e = error as { statusCode?: unknown; code?: unknown; response?: { headers?: Record<string, unknown> }; headers?: Record<string, unknown>; body?: unknown; name?: string; message?: string };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.code === 'number' ? e.code : null;
  const headers = e?.response?.headers ?? e?.headers ?? {};
  const retryAfterMs = parseRetryAfter(headers['retry-after'] ?? headers['Retry-After']);
  const detail = typeof e?.body === 'string' ? e.body : e?.body !== undefined ? JSON.stringify(e.body) : '';
  if (status !== null) {
    const retryable = status >= 500 || status === 429 || status === 408;
    return { provider, status, retryable, retryAfterMs, message: `${provider} answered HTTP ${status}${detail ? `: ${detail.slice(0, 500)}` : ''}` };
  }
  // No HTTP answer: a timeout, or a system error such as ECONNREFUSED or ECONNRESET.
  const network = NETWORK_ERRORS.has(e?.name ?? '') || typeof e?.code === 'string';
  return { provider, status: null, retryable: network, retryAfterMs: null, message: `${provider}: ${e?.message ?? String(error)}` };
}

/** Races a provider call against a timer (the clients' own timeouts do not all abort). */
export async function withTimeout<T>(what: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderTimeoutError(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
