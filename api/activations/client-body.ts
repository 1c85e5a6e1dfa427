import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import type { z } from 'zod';
import { DEFAULT_BODY_LIMIT, parseBody, parseWith } from '../http/body.ts';
import { Problem } from '../http/problem.ts';

/** Collects exactly `length` bytes of the request, as raw-body does (the same failures, fewer steps). */
function readExactly(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const state = (req as unknown as { _readableState?: { encoding?: unknown } })._readableState;
    if (state?.encoding || !req.readable) return reject(new Error('the request stream cannot be read'));
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('aborted', onAborted);
      req.off('close', cleanup);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onEnd);
    };
    function onData(chunk: Buffer) {
      received += chunk.length;
      chunks.push(chunk);
    }
    function onEnd(error?: Error) {
      cleanup();
      if (error) reject(error);
      else if (received !== length) reject(new Error('request size did not match content length'));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    }
    function onAborted() {
      cleanup();
      reject(new Error('request aborted'));
    }
    req.on('aborted', onAborted);
    req.on('close', cleanup);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onEnd);
  });
}

/** readJson() of api/http/body.ts from here on: a blank body is `{}`. */
function parseJsonText(raw: string): unknown {
  // raw-body's decoder drops a byte order mark.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  try {
    return JSON.parse(text);
  } catch {
    // (JSON.parse refuses a blank text too: only then is it worth trimming.)
    if (text.trim() === '') return {};
    throw new Problem('INVALID_JSON', 'the body is not valid JSON');
  }
}

/**
 * parseBody() of api/http/body.ts for the client endpoints, with a short way for their usual
 * request: `Content-Type: application/json`, a Content-Length within the limit. Anything else
 * (other media types, chunked or empty bodies, oversized ones) goes through parseBody() itself.
 */
export function parseClientBody<S extends z.ZodType>(ctx: Context, schema: S): Promise<z.infer<S>> {
  const { headers } = ctx.req;
  const type = headers['content-type'];
  const length = ctx.request.length;
  if ((type !== 'application/json' && type !== 'application/json; charset=utf-8') || headers['transfer-encoding'] !== undefined || !(length > 0 && length <= DEFAULT_BODY_LIMIT)) {
    return parseBody(ctx, schema);
  }
  const { req } = ctx;
  const parse = (body: Buffer) => parseWith(schema, parseJsonText(body.toString('utf8')));
  // A small body usually arrives with the headers: once this handler resumes, Node has buffered
  // all of its Content-Length bytes, and they are simply taken. Otherwise it is read as it streams in.
  return Promise.resolve().then(() => {
    const buffered = req.readableFlowing === null && req.readableLength === length && !req.readableEncoding ? (req.read(length) as Buffer | null) : null;
    if (buffered) return parse(buffered);
    return readExactly(req, length).then(parse, () => {
      throw new Problem('INVALID_REQUEST', 'the body could not be read');
    });
  });
}
