/**
 * The HTTP transport of Bot Connector calls. The SDK's client sends each reply with `fetch`,
 * whose streams and per-request objects take a large share of a turn's CPU; this transport
 * keeps the SDK's request and response shapes (so retries, errors and tokens behave the same)
 * and sends over undici's pooled keep-alive connections instead.
 */
import { STATUS_CODES } from 'node:http';
import { type Activity, Channels, RoleTypes } from '@microsoft/agents-activity';
import {
  ConnectorClient,
  HttpClient,
  HttpError,
  type HttpRequestConfig,
  type HttpResponse,
  type ResourceResponse,
} from '@microsoft/agents-hosting';
import { Agent, type Dispatcher, request } from 'undici';
import { activityJson } from './activity-json.ts';

/** Keep-alive connections shared by every connector call of the process. */
const connections = new Agent({ keepAliveTimeout: 30_000, connections: 128 });

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

function parsed(text: string): unknown {
  if (text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An `HttpClient` with the SDK's contract over pooled undici connections. */
export class PooledHttpClient extends HttpClient {
  override async request<T = unknown>(config: HttpRequestConfig): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...this.defaultHeaders };
    for (const [name, value] of Object.entries(config.headers ?? {})) headers[name.toLowerCase()] = value;
    let body: string | Uint8Array | undefined;
    const data = config.data;
    if (data !== undefined && data !== null) {
      if (typeof data === 'string' || data instanceof Uint8Array) body = data;
      else if (data instanceof URLSearchParams) {
        headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=utf-8';
        body = data.toString();
      } else if ((headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
        body = new URLSearchParams(data as Record<string, string>).toString();
      } else {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(data);
      }
    }
    const signal = config.signal ?? (config.timeout ? AbortSignal.timeout(config.timeout) : undefined);
    const response = await request(this.urlOf(config), {
      dispatcher: connections,
      method: config.method.toUpperCase() as Dispatcher.HttpMethod,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(signal ? { signal } : {}),
    });
    const status = response.statusCode;
    const ok = status >= 200 && status < 300;
    let payload: unknown;
    if (config.responseType === 'stream' && ok) payload = response.body;
    else if (config.responseType === 'arraybuffer' && ok) payload = await response.body.arrayBuffer();
    else payload = parsed(await response.body.text());
    let responseHeaders: Headers | undefined;
    const result: HttpResponse<T> = {
      data: payload as T,
      status,
      statusText: STATUS_CODES[status] ?? '',
      // Made when first read: a reply's headers are read only when it failed (Retry-After).
      get headers() {
        responseHeaders ??= toHeaders(response.headers);
        return responseHeaders;
      },
      config,
    };
    if (!ok) throw new HttpError(`Request failed with status ${status}`, result, config);
    return result;
  }

  private urlOf(config: HttpRequestConfig): string {
    let url = config.url;
    if (!/^https?:\/\//.test(url)) {
      const base = this.baseURL.endsWith('/') ? this.baseURL.slice(0, -1) : this.baseURL;
      url = `${base}${url.startsWith('/') ? '' : '/'}${url}`;
    }
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(config.params ?? {})) {
      if (value !== undefined && value !== null) query.set(key, value);
    }
    const search = query.toString();
    return search ? `${url}${url.includes('?') ? '&' : '?'}${search}` : url;
  }
}

/** The SDK's (private) request step: its headers, logging and error messages. */
interface SdkRequests {
  executeRequest(config: HttpRequestConfig): Promise<HttpResponse<ResourceResponse>>;
}

/**
 * The SDK's outgoing wire fixes (`normalizeOutgoingActivity`) on a shallow copy: `relatesTo.agent`
 * goes out as `relatesTo.bot`, the activity's `_channelId` as `channelId`.
 */
function wireActivity(activity: Activity): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...activity };
  const relatesTo = wire.relatesTo as Record<string, unknown> | undefined;
  if (relatesTo?.agent) {
    const { agent, ...others } = relatesTo;
    wire.relatesTo = { ...others, bot: agent };
  }
  if (wire._channelId) {
    wire.channelId = String(wire._channelId);
    delete wire._channelId;
  }
  return wire;
}

/**
 * A `ConnectorClient` on the pooled transport that writes each activity's JSON once (see
 * `activity-json.ts`). Requests go through the SDK's own request step, so headers, tokens and
 * error messages stay the SDK's; the Agents channel's agentic conversations (whose ids the SDK
 * shortens) keep the SDK's whole path.
 */
class PooledConnectorClient extends ConnectorClient {
  constructor(http: HttpClient) {
    super(http);
  }

  override async replyToActivity(
    conversationId: string,
    activityId: string,
    body: Activity,
  ): Promise<ResourceResponse> {
    if (!conversationId || !activityId || isAgentic(body))
      return super.replyToActivity(conversationId, activityId, body);
    return this.send(
      'post',
      `v3/conversations/${conversationId}/activities/${encodeURIComponent(activityId)}`,
      body,
    );
  }

  override async sendToConversation(conversationId: string, body: Activity): Promise<ResourceResponse> {
    if (!conversationId || isAgentic(body)) return super.sendToConversation(conversationId, body);
    return this.send('post', `v3/conversations/${conversationId}/activities`, body);
  }

  override async updateActivity(
    conversationId: string,
    activityId: string,
    body: Activity,
  ): Promise<ResourceResponse> {
    if (!conversationId || !activityId) return super.updateActivity(conversationId, activityId, body);
    return this.send('put', `v3/conversations/${conversationId}/activities/${activityId}`, body);
  }

  private async send(method: 'post' | 'put', url: string, body: Activity): Promise<ResourceResponse> {
    const targeted = body.channelId === Channels.Msteams && body.isTargetedActivity?.();
    const response = await (this as unknown as SdkRequests).executeRequest({
      method,
      url,
      headers: { 'Content-Type': 'application/json' },
      data: activityJson(wireActivity(body)),
      ...(targeted ? { params: { isTargetedActivity: 'true' } } : {}),
    });
    return response.data;
  }
}

/** Whether the SDK would shorten the conversation id (an agentic identity on the Agents channel). */
function isAgentic(activity: Activity): boolean {
  const role = activity.from?.role;
  return (
    activity.channelIdChannel === Channels.Agents &&
    (role === RoleTypes.AgenticIdentity || role === RoleTypes.AgenticUser)
  );
}

/** The same connector client (service URL, token, propagated headers) on the pooled transport. */
export function pooledConnectorClient(client: ConnectorClient): ConnectorClient {
  const http = client.httpClient;
  return new PooledConnectorClient(
    new PooledHttpClient({ baseURL: http.baseURL, headers: http.defaultHeaders }),
  );
}
