import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: any;
}

/**
 * One request through node:http, which (unlike fetch) sends any method (TRACE, QUERY, PROPFIND)
 * and any header (Origin, Access-Control-Request-Method), exactly as given.
 */
export function rawRequest(url: string, options: { method: string; headers?: Record<string, string>; body?: string | Buffer } = { method: 'GET' }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: options.method, headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}
