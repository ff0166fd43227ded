// Reads a small request body with a hard cap. A body declared larger than the cap is refused before a byte of
// it is read; one sent without a length is read up to the cap and no further. Either way the rest stays
// unread: the caller answers 413 and the server closes the connection (src/app/http-limits.ts).
import type { IncomingMessage } from 'node:http';
import { fail, ok, type Result } from '../model/result.js';

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Result<string, 'too-large'>> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(fail('too-large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else {
        req.pause();
        settle(() => resolve(fail('too-large')));
      }
    };
    const onEnd = () => settle(() => resolve(ok(Buffer.concat(chunks).toString('utf8'))));
    const onError = (error: Error) => settle(() => reject(error));
    // A client that hangs up half-way ends the request without 'end'.
    const onClose = () => settle(() => reject(new Error('the request was closed before its body ended')));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
