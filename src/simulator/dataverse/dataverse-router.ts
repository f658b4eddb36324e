/**
 * The Dataverse Web API (`/orgs/{org}/api/data/v9.2/...`) as the simulator serves it, with
 * `$batch` change sets that apply all-or-nothing and service protection limits.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Request, type Response, Router } from 'express';
import {
  boundaryOf,
  parseHttpMessage,
  parseMultipart,
  writeMultipart,
  writeResponsePart,
} from '../../platform/dataverse/batch-multipart.ts';
import { sendError } from '../auth-middleware.ts';
import type { SimEnvironment, SimPrincipal } from '../model.ts';
import {
  type DataverseRequest,
  type DataverseResponse,
  DataverseService,
  type DataverseWorld,
  type Undo,
} from './dataverse-service.ts';
import { DATAVERSE_LIMITS, ServiceProtection, type ServiceProtectionLimits } from './service-protection.ts';

/** Counters tests and benchmarks read. */
export interface DataverseStats {
  requests: number;
  /** Requests inside `$batch` bodies. */
  batchOperations: number;
  writesApplied: number;
  throttled: number;
}

/** Options of the Dataverse routes. */
export interface DataverseRouterOptions {
  world: DataverseWorld & { findEnvironmentByOrg(org: string): SimEnvironment | undefined };
  baseUrl: () => string;
  limits?: Partial<ServiceProtectionLimits>;
  /** Simulated execution time per request (per operation inside a `$batch`). */
  latencyMs?: number;
  stats?: DataverseStats;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  500: 'Internal Server Error',
};

/** A new, zeroed stats object. */
export function newDataverseStats(): DataverseStats {
  return { requests: 0, batchOperations: 0, writesApplied: 0, throttled: 0 };
}

/** Routes for `app.use('/orgs/:org/api/data/v9.2', authenticate(...), router)`. */
export function createDataverseRouter(options: DataverseRouterOptions): Router {
  const router = Router({ mergeParams: true });
  const protection = new ServiceProtection({ ...DATAVERSE_LIMITS, ...options.limits });
  const stats = options.stats ?? newDataverseStats();
  const latency = options.latencyMs ?? 0;

  router.use(express.json({ limit: '50mb', type: ['application/json'] }));
  router.use(express.text({ limit: '200mb', type: ['multipart/mixed'] }));
  // File column uploads (`PATCH <set>(<id>)/<column>`) send the file's bytes as they are.
  router.use(express.raw({ limit: '200mb', type: ['application/octet-stream'] }));

  router.use(async (req: Request, res: Response) => {
    const org = String(req.params.org);
    const env = options.world.findEnvironmentByOrg(org);
    if (!env) return sendError(res, 404, '0x80060888', `Organization '${org}' was not found.`);
    const principal = res.locals.principal as SimPrincipal;
    const serviceRoot = `${options.baseUrl()}/orgs/${env.orgUniqueName}/api/data/v9.2`;
    const service = new DataverseService(options.world, env, principal, serviceRoot);
    const caller = `${principal.kind}:${principal.id}:${env.id}`;
    stats.requests++;
    const admission = protection.admit(caller);
    if (!('admitted' in admission)) {
      stats.throttled++;
      res.setHeader('Retry-After', String(admission.retryAfterSeconds));
      return sendError(res, 429, admission.code, admission.message);
    }
    let operations = 1;
    try {
      const path = decodeURIComponent(req.path.replace(/^\//, ''));
      const query = new URL(req.originalUrl, 'http://simulator').searchParams;
      const headers = lowerCaseHeaders(req.headers);
      if (path === '$batch' && req.method === 'POST') {
        const { body, count, failed } = runBatch(
          service,
          String(req.body ?? ''),
          headers,
          serviceRoot,
          stats,
        );
        operations = count;
        if (latency > 0) await sleep(latency * operations);
        if (!body)
          return sendError(
            res,
            400,
            '0x80048d19',
            'The $batch body must be multipart/mixed with a boundary.',
          );
        // Without continue-on-error a failed batch answers with the failing request's status
        // (batch-error.responses.http); with it, 200 and per-part statuses.
        res
          .status(failed ?? 200)
          .type(`multipart/mixed; boundary=${body.boundary}`)
          .send(body.text);
        return;
      }
      if (latency > 0) await sleep(latency);
      const response = service.execute({ method: req.method, path, query, headers, body: req.body });
      if (response.status < 300 && req.method !== 'GET') stats.writesApplied++;
      send(res, response);
    } finally {
      protection.finish(caller, admission.entry, latency * operations);
    }
  });
  return router;
}

function lowerCaseHeaders(headers: Request['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function send(res: Response, response: DataverseResponse): void {
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader('OData-Version', '4.0');
  if (response.body === undefined) res.status(response.status).end();
  else if (Buffer.isBuffer(response.body)) res.status(response.status).send(response.body);
  else res.status(response.status).json(response.body);
}

/** Turns the request line of a batch part into a request relative to the service root. */
function toRequest(
  message: ReturnType<typeof parseHttpMessage>,
  serviceRoot: string,
  created: Map<string, string>,
): DataverseRequest | undefined {
  const [method, rawUrl] = message.startLine.split(/\s+/);
  if (!method || !rawUrl) return undefined;
  let url = rawUrl;
  const reference = /^\$(\d+)(.*)$/.exec(url);
  if (reference) url = `${created.get(reference[1]!) ?? ''}${reference[2]}`;
  const root = serviceRoot.replace(/^https?:\/\/[^/]+/, '');
  const absolute = new URL(url, `${serviceRoot}/`);
  let path = decodeURIComponent(absolute.pathname);
  if (path.startsWith(root)) path = path.slice(root.length);
  path = path.replace(/^\//, '');
  let body: unknown;
  if (message.body.trim()) {
    try {
      body = JSON.parse(message.body);
    } catch {
      body = Symbol.for('invalid-json');
    }
  }
  return { method: method.toUpperCase(), path, query: absolute.searchParams, headers: message.headers, body };
}

/** One answer inside a batch, with the headers Dataverse gives it (batch-changeset.response.http). */
function responsePart(contentId: string | undefined, response: DataverseResponse): string {
  const headers: Record<string, string> = { 'OData-Version': '4.0', ...response.headers };
  if (headers['OData-EntityId']) headers.Location = headers['OData-EntityId'];
  let body: string | undefined;
  if (response.body !== undefined) {
    headers['Content-Type'] = 'application/json; odata.metadata=minimal';
    body = JSON.stringify(response.body);
  }
  return writeResponsePart(contentId, response.status, STATUS_TEXT[response.status] ?? '', headers, body);
}

/** Runs a `$batch` body; change sets apply all-or-nothing. */
function runBatch(
  service: DataverseService,
  text: string,
  headers: Record<string, string>,
  serviceRoot: string,
  stats: DataverseStats,
): { body?: { boundary: string; text: string }; count: number; failed?: number } {
  const boundary = boundaryOf(headers['content-type']);
  if (!boundary) return { count: 1 };
  const continueOnError = (headers.prefer ?? '').includes('odata.continue-on-error');
  const out: { headers?: Record<string, string>; content: string }[] = [];
  let count = 0;
  let failed: number | undefined;
  const execute = (
    message: ReturnType<typeof parseHttpMessage>,
    created: Map<string, string>,
    undo: Undo[],
  ) => {
    const request = toRequest(message, serviceRoot, created);
    if (!request)
      return {
        status: 400,
        headers: {},
        body: { error: { code: '0x80048d19', message: 'Malformed request line.' } },
      };
    if (request.body === Symbol.for('invalid-json')) {
      return {
        status: 400,
        headers: {},
        body: { error: { code: '0x80048d19', message: 'The request body is not valid JSON.' } },
      };
    }
    return service.execute(request, undo);
  };
  for (const part of parseMultipart(text, boundary)) {
    const nested = boundaryOf(part.headers['content-type']);
    if (nested) {
      const undo: Undo[] = [];
      const created = new Map<string, string>();
      const responses: string[] = [];
      let failure: string | undefined;
      for (const request of parseMultipart(part.body, nested)) {
        count++;
        stats.batchOperations++;
        const contentId = request.headers['content-id'];
        const response = execute(parseHttpMessage(request.body), created, undo);
        if (response.status >= 400) {
          failure = responsePart(contentId, response);
          if (!continueOnError) failed ??= response.status;
          break;
        }
        if (contentId && response.headers['OData-EntityId'])
          created.set(contentId, response.headers['OData-EntityId']);
        responses.push(responsePart(contentId, response));
      }
      if (failure) {
        for (const revert of undo.reverse()) revert();
        out.push({ content: failure });
        if (!continueOnError) break;
      } else {
        stats.writesApplied += responses.length;
        const changeSetBoundary = `changesetresponse_${randomUUID()}`;
        out.push({
          headers: { 'Content-Type': `multipart/mixed; boundary=${changeSetBoundary}` },
          content: writeMultipart(
            responses.map((r) => ({ content: r })),
            changeSetBoundary,
          ),
        });
      }
    } else {
      count++;
      stats.batchOperations++;
      const response = execute(parseHttpMessage(part.body), new Map(), []);
      if (response.status < 300 && !/^GET\b/i.test(parseHttpMessage(part.body).startLine))
        stats.writesApplied++;
      out.push({ content: responsePart(part.headers['content-id'], response) });
      if (response.status >= 400 && !continueOnError) {
        failed ??= response.status;
        break;
      }
    }
  }
  const responseBoundary = `batchresponse_${randomUUID()}`;
  return {
    body: { boundary: responseBoundary, text: writeMultipart(out, responseBoundary) },
    count: Math.max(1, count),
    ...(failed === undefined ? {} : { failed }),
  };
}
