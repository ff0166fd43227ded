// Reads a small request body with a hard cap. A body over the cap is read to its end and thrown away (so the
// client sees the 413 rather than a reset connection), unless it is absurdly large: then the socket is cut.
import type { IncomingMessage } from 'node:http';
import { fail, ok, type Result } from '../model/result.js';

/** Past this much, draining costs more than a reset connection is worth. */
const DRAIN_LIMIT = 4 * 1024 * 1024;

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Result<string, 'too-large'>> {
  if (Number(req.headers['content-length'] ?? 0) > DRAIN_LIMIT) {
    req.destroy();
    return fail('too-large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Leaving the loop destroys the request, which is what a body this size deserves.
    if (size > DRAIN_LIMIT) break;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return size > maxBytes ? fail('too-large') : ok(Buffer.concat(chunks).toString('utf8'));
}
