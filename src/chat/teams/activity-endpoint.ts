/**
 * `POST /api/messages` on Node's HTTP server itself. The Agents SDK asks its host for no more
 * than its `Request` (headers, method, parsed body, `user`) and `WebResponse` (status, header,
 * send, end) contracts, which it defines so that hosts other than Express can carry it. Express,
 * its router and body-parser took about a tenth of a turn's CPU for one fixed route; this
 * endpoint reads the body and answers its errors the same way, and every other path still goes
 * to the Express app (health, readiness, metrics, 404).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Request as AgentsRequest, WebResponse } from '@microsoft/agents-hosting';
import type { Logger } from '../../logging/logger.ts';

/** The SDK's JWT check (`authorizeJWT`): calls `next` when the request may go on, answers otherwise. */
export type ActivityAuthorizer = (
  req: AgentsRequest,
  res: WebResponse,
  next: (error?: unknown) => void,
) => Promise<void>;

/** What the endpoint needs. */
export interface ActivityEndpointOptions {
  authorize: ActivityAuthorizer;
  /** Runs one authorized activity (the adapter's `process`). */
  process(req: AgentsRequest, res: WebResponse): Promise<void>;
  /** Largest body read, in bytes. */
  maxBytes: number;
  /** Every other request. */
  fallback: RequestListener;
  logger: Logger;
}

const ENDPOINT = '/api/messages';

/** The SDK's `WebResponse` over a Node response; `send` writes objects as JSON, as Express does. */
class NodeWebResponse implements WebResponse {
  constructor(private readonly res: ServerResponse) {}

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  get writableEnded(): boolean {
    return this.res.writableEnded;
  }

  status(code: number): this {
    this.res.statusCode = code;
    return this;
  }

  setHeader(name: string, value: string): this {
    this.res.setHeader(name, value);
    return this;
  }

  send(body?: unknown): this {
    if (this.res.writableEnded) return this;
    if (body === undefined || body === null) {
      this.res.end();
    } else if (typeof body === 'string' || body instanceof Uint8Array) {
      if (!this.res.hasHeader('content-type'))
        this.res.setHeader('content-type', 'text/plain; charset=utf-8');
      this.res.end(body);
    } else {
      if (!this.res.hasHeader('content-type'))
        this.res.setHeader('content-type', 'application/json; charset=utf-8');
      this.res.end(JSON.stringify(body));
    }
    return this;
  }

  end(): this {
    if (!this.res.writableEnded) this.res.end();
    return this;
  }
}

/** An answer in the shape Bot Framework channels expect (`{ error: { code, message } }`). */
function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  // The rest of a refused body is not read; the connection is not kept for another request.
  res.setHeader('connection', 'close');
  res.end(JSON.stringify({ error: { code, message } }));
}

function isActivityRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url) return false;
  const query = req.url.indexOf('?');
  let path = query === -1 ? req.url : req.url.slice(0, query);
  if (path.length > ENDPOINT.length && path.endsWith('/')) path = path.slice(0, -1);
  return path.length === ENDPOINT.length && path.toLowerCase() === ENDPOINT;
}

function isJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (!type) return false;
  const media = type.split(';', 1)[0]!.trim().toLowerCase();
  return media === 'application/json' || (media.startsWith('application/') && media.endsWith('+json'));
}

/** The body as text, or a refusal already answered (too large, or the client went away). */
function readBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<string | undefined> {
  const tooLarge = () => refuse(res, 413, 'PayloadTooLarge', `An activity may be at most ${maxBytes} bytes.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    tooLarge();
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const finish = (text: string | undefined) => {
      if (done) return;
      done = true;
      resolve(text);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      length += chunk.length;
      if (length > maxBytes) {
        tooLarge();
        finish(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      finish(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    // A request closed before its end (the client went away, or an error) has no body to hand on.
    req.on('close', () => finish(undefined));
  });
}

/** Members of an activity that the SDK's schema reads as dates. */
const DATE_MEMBERS = ['timestamp', 'localTimestamp', 'expiration'] as const;

/**
 * The activity with its date members as `Date`s, as the SDK's schema turns them (`new Date(s)`):
 * the schema tries a date first and only then a string, and making the error of that first try
 * was a few percent of a turn, for every message Teams sends (they carry two timestamps).
 */
export function withDates(activity: Record<string, unknown>): Record<string, unknown> {
  for (const member of DATE_MEMBERS) {
    const value = activity[member];
    if (typeof value === 'string' && value.length > 0) activity[member] = new Date(value);
  }
  return activity;
}

/**
 * The bot's request listener: activities are authorized before their body is read (an
 * unauthenticated request costs no parsing), read up to `maxBytes`, parsed as JSON and handed to
 * the adapter; malformed, oversized and non-JSON bodies get short JSON answers.
 */
export function activityEndpoint(options: ActivityEndpointOptions): RequestListener {
  const { authorize, process, maxBytes, fallback, logger } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const request = req as IncomingMessage & AgentsRequest;
    const response = new NodeWebResponse(res);
    let authorized = false;
    await authorize(request, response, (error) => {
      authorized = error === undefined;
    });
    if (!authorized) {
      if (!res.writableEnded) refuse(res, 401, 'Unauthorized', 'The request is not authorized.');
      req.resume();
      return;
    }
    if (!isJson(req)) {
      refuse(res, 415, 'UnsupportedMediaType', 'Send the activity as application/json.');
      req.resume();
      return;
    }
    const text = await readBody(req, res, maxBytes);
    if (text === undefined) return;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      logger.info({ status: 400 }, 'Teams request refused: the body is not valid JSON');
      refuse(res, 400, 'BadRequest', 'The request body is not valid JSON.');
      return;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      refuse(res, 400, 'BadRequest', 'The request body must be one activity, a JSON object.');
      return;
    }
    request.body = withDates(body as Record<string, unknown>);
    await process(request, response);
  };
  return (req, res) => {
    if (!isActivityRequest(req)) {
      fallback(req, res);
      return;
    }
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'Teams request failed');
      refuse(res, 500, 'InternalServerError', 'The bot could not handle this request.');
    });
  };
}
