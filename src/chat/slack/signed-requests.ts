/**
 * Slack's request signature, checked in front of Bolt's receiver. Slack signs
 * `v0:<X-Slack-Request-Timestamp>:<raw body>` with the app's signing secret (HMAC-SHA256, hex,
 * sent as `X-Slack-Signature: v0=<hex>`; docs.slack.dev/authentication/verifying-requests-from-slack).
 * Bolt 5 compares signatures through tsscmp, which draws random bytes and computes two more HMACs
 * for every request; one HMAC and `timingSafeEqual` make the same constant-time comparison at a
 * fraction of the cost, which counts when a burst of commands waits for its acknowledgements.
 * The checked body is handed to Bolt as `rawBody`, which Bolt reads instead of the stream.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener } from 'node:http';
import { isFreshTimestamp } from './request-freshness.ts';

/** Bolt's own limit on a request body (4 MB): larger ones are answered 413. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Why a request was refused. */
export type RefusalReason = 'unfresh' | 'unsigned' | 'bad_signature' | 'too_large';

/** The signature Slack sends for this body at this timestamp. */
export function slackSignature(signingSecret: string, timestamp: string, body: Buffer | string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

/** Whether `header` is Slack's signature of `body` at `timestamp`, compared in constant time. */
export function isSignedBySlack(
  signingSecret: string,
  timestamp: string,
  body: Buffer,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `listener` (Bolt's receiver, with its own signature check turned off) behind the timestamp and
 * signature checks: a request stamped more than five minutes from now, unsigned or wrongly signed
 * is answered 401 with no body, as Bolt answers it, and never reaches the listener. Slack's
 * `ssl_check=1` probe is unsigned; it passes with nothing else in its body, as Bolt passes it.
 */
export function verifyingSlackRequests(
  listener: RequestListener,
  signingSecret: string,
  onRefused: (reason: RefusalReason, request: IncomingMessage) => void = () => {},
  now: () => number = () => Date.now(),
): RequestListener {
  return (request, response) => {
    const refuse = (reason: RefusalReason) => {
      onRefused(reason, request);
      request.resume();
      response.writeHead(reason === 'too_large' ? 413 : 401).end();
    };
    const timestamp = request.headers['x-slack-request-timestamp'];
    if (!isFreshTimestamp(timestamp, now())) return refuse('unfresh');
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else if (!tooLarge) chunks.push(chunk);
    });
    request.on('error', () => response.destroy());
    request.on('end', () => {
      if (tooLarge) return refuse('too_large');
      const body = Buffer.concat(chunks, size);
      const buffered = request as IncomingMessage & { rawBody?: Buffer };
      if (isSslCheck(request, body)) {
        buffered.rawBody = Buffer.from('ssl_check=1');
        return listener(request, response);
      }
      if (typeof timestamp !== 'string') return refuse('unsigned');
      const signature = request.headers['x-slack-signature'];
      if (
        !isSignedBySlack(
          signingSecret,
          timestamp,
          body,
          typeof signature === 'string' ? signature : undefined,
        )
      )
        return refuse('bad_signature');
      buffered.rawBody = body;
      listener(request, response);
    });
  };
}

/** Slack's unsigned probe of a slash command URL: a form body whose `ssl_check` is 1. */
function isSslCheck(request: IncomingMessage, body: Buffer): boolean {
  if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') return false;
  if (!body.includes('ssl_check=')) return false;
  return new URLSearchParams(body.toString()).get('ssl_check') === '1';
}
