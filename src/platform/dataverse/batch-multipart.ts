/**
 * The `multipart/mixed` format of OData 4.0 `$batch` requests and responses (Dataverse Web API):
 * writing a batch with one change set, and reading multipart bodies and the HTTP messages
 * inside their parts.
 */

const CRLF = '\r\n';

/** One HTTP request inside a change set. `url` is absolute or relative to the service root. */
export interface BatchPartRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One part of a multipart body: its MIME headers (lower-case names) and its content. */
export interface MultipartPart {
  headers: Record<string, string>;
  body: string;
}

/** An HTTP request or response carried in an `application/http` part. */
export interface HttpMessage {
  /** `PATCH https://… HTTP/1.1` or `HTTP/1.1 204 No Content`. */
  startLine: string;
  headers: Record<string, string>;
  body: string;
}

/** The `boundary` parameter of a multipart content type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  return match?.[2];
}

/**
 * Writes a batch holding one change set (all-or-nothing). Parts get Content-IDs 1..n, in
 * order, so a response part maps back to its operation.
 */
export function writeChangeSetBatch(
  requests: BatchPartRequest[],
  batchBoundary: string,
  changeSetBoundary: string,
): string {
  const lines: string[] = [
    `--${batchBoundary}`,
    `Content-Type: multipart/mixed; boundary=${changeSetBoundary}`,
    '',
  ];
  requests.forEach((request, index) => {
    lines.push(
      `--${changeSetBoundary}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${index + 1}`,
      '',
      `${request.method} ${request.url} HTTP/1.1`,
    );
    const headers = { ...request.headers };
    if (request.body !== undefined) headers['Content-Type'] ??= 'application/json; type=entry';
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    lines.push('');
    if (request.body !== undefined) lines.push(JSON.stringify(request.body));
  });
  lines.push(`--${changeSetBoundary}--`, '', `--${batchBoundary}--`, '');
  return lines.join(CRLF);
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function splitHead(text: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return [text, ''];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}

/** Splits a multipart body into its parts. Preamble and epilogue are ignored. */
export function parseMultipart(body: string, boundary: string): MultipartPart[] {
  const delimiter = `--${boundary}`;
  const parts: MultipartPart[] = [];
  const sections = body.split(delimiter);
  for (const section of sections.slice(1)) {
    if (section.startsWith('--')) break;
    const content = section.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
    const [head, rest] = splitHead(content);
    parts.push({ headers: parseHeaders(head), body: rest });
  }
  return parts;
}

/** Reads the HTTP message inside an `application/http` part. */
export function parseHttpMessage(text: string): HttpMessage {
  const trimmed = text.replace(/^(\r?\n)+/, '');
  const [head, body] = splitHead(trimmed);
  const [startLine = '', ...headerLines] = head.split(/\r?\n/);
  return {
    startLine: startLine.trim(),
    headers: parseHeaders(headerLines.join('\n')),
    body: body.replace(/(\r?\n)+$/, ''),
  };
}

/** Writes one `application/http` part holding an HTTP response. */
export function writeResponsePart(
  contentId: string | undefined,
  status: number,
  statusText: string,
  headers: Record<string, string>,
  body?: string,
): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId) lines.push(`Content-ID: ${contentId}`);
  lines.push('', `HTTP/1.1 ${status} ${statusText}`);
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push('');
  if (body) lines.push(body);
  return lines.join(CRLF);
}

/** Joins already-written parts into a multipart body with the given boundary. */
export function writeMultipart(
  parts: { headers?: Record<string, string>; content: string }[],
  boundary: string,
): string {
  const out: string[] = [];
  for (const part of parts) {
    out.push(`--${boundary}`);
    for (const [name, value] of Object.entries(part.headers ?? {})) out.push(`${name}: ${value}`);
    if (part.headers && Object.keys(part.headers).length > 0) out.push('');
    out.push(part.content);
  }
  out.push(`--${boundary}--`, '');
  return out.join(CRLF);
}
