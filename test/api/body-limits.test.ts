import net from 'node:net';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';

/**
 * A client that keeps sending a body the API has refused must see the answer and the end of the
 * connection, not wait for an answer that never comes. Each request here never finishes its body:
 * only the server closing the connection ends the exchange.
 */
describe('bodies refused before they are read', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack({ worker: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /**
   * Sends `head` and then `bodyBytes` of chunked body in 8 KiB chunks, without the last chunk;
   * resolves with everything read once the server closes, or fails after `deadlineMs`.
   */
  function sendUnfinished(head: string, bodyBytes: number, deadlineMs = 15_000): Promise<string> {
    const { port } = new URL(stack.baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let received = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`the connection was still open after ${deadlineMs} ms; received: ${received.slice(0, 200)}`));
      }, deadlineMs);
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('error', () => undefined); // a reset after the answer is fine: what was read counts
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(received);
      });
      socket.write(head);
      const chunk = `${(8192).toString(16)}\r\n${'x'.repeat(8192)}\r\n`;
      for (let sent = 0; sent < bodyBytes; sent += 8192) socket.write(chunk);
    });
  }

  const chunkedHead = (path: string, type: string) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n`;

  it('answers an oversized chunked body 413 with Connection: close, and closes', async () => {
    const received = await sendUnfinished(chunkedHead('/v1/validate', 'application/json'), 96 * 1024);
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(received).toContain('"code":"PAYLOAD_TOO_LARGE"');
  });

  it('does the same on an admin endpoint, and closes after any refusal given before the body was read', async () => {
    const admin = await sendUnfinished(chunkedHead('/v1/products', 'application/json').replace('\r\n\r\n', `\r\nAuthorization: Bearer ${stack.adminToken}\r\n\r\n`), 96 * 1024);
    expect(admin).toMatch(/^HTTP\/1\.1 413 [\s\S]*connection: close/i);
    const unauthenticated = await sendUnfinished(chunkedHead('/v1/products', 'application/json'), 32 * 1024);
    expect(unauthenticated).toMatch(/^HTTP\/1\.1 401 [\s\S]*connection: close/i);
    // This stack has no Stripe settings: the webhook refuses (503) before reading.
    const webhook = await sendUnfinished(chunkedHead('/v1/webhooks/stripe', 'application/json'), 32 * 1024);
    expect(webhook).toMatch(/^HTTP\/1\.1 503 [\s\S]*connection: close/i);
  });

  it('closes after refusing a body it will not read (wrong media type), instead of draining it', async () => {
    const received = await sendUnfinished(chunkedHead('/v1/validate', 'text/plain'), 32 * 1024);
    expect(received).toMatch(/^HTTP\/1\.1 415 [\s\S]*connection: close/i);
  });

  it('answers a declared Content-Length over the limit at once, without waiting for the body', async () => {
    const { port } = new URL(stack.baseUrl);
    const received = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let data = '';
      const timer = setTimeout(() => (socket.destroy(), reject(new Error(`still open; received ${data.slice(0, 200)}`))), 15_000);
      socket.on('data', (chunk) => (data += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => (clearTimeout(timer), resolve(data)));
      socket.write(`POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"key":"`);
    });
    expect(received).toMatch(/^HTTP\/1\.1 413 [\s\S]*connection: close/i);
  });
});
