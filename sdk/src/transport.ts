import { SIGNATURE_HEADER } from './signed-answer.ts';
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from './client-header.ts';

/** The server could not be reached (or answered with a server error). */
export class KeywardenNetworkError extends Error {
  override name = 'KeywardenNetworkError';
}

/** POSTs JSON to the Keywarden API; an unreachable server, a 5xx or a 429 is a KeywardenNetworkError. */
export class ApiTransport {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(baseUrl: string, fetchImpl: typeof fetch, timeoutMs: number) {
    this.#baseUrl = baseUrl;
    this.#fetch = fetchImpl;
    this.#timeoutMs = timeoutMs;
  }

  async post(path: string, body: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await this.#fetch(new URL(path, this.#baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', [CLIENT_HEADER]: CLIENT_HEADER_VALUE },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new KeywardenNetworkError(`the license server is unreachable: ${(error as Error).message}`);
    }
    if (response.status >= 500 || response.status === 429) throw new KeywardenNetworkError(`the server answered ${response.status}`);
    return response;
  }

  /**
   * A JSON call whose expected refusals (404, 422) are answers; any other 4xx is a fault. Returns
   * the exact bytes of the answer and its signature (the Keywarden-Signature header), unread:
   * nothing in them is trusted before verifyAnswer.
   */
  async call(path: string, body: unknown): Promise<{ bytes: Uint8Array; signature: string | null }> {
    const response = await this.post(path, body);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.status >= 400 && response.status !== 404 && response.status !== 422) throw new Error(`${path} answered ${response.status}: ${Buffer.from(bytes).toString('utf8')}`);
    return { bytes, signature: response.headers.get(SIGNATURE_HEADER) };
  }
}
