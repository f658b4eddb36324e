import { describe, expect, it } from 'vitest';
import {
  boundaryOf,
  parseHttpMessage,
  parseMultipart,
  writeChangeSetBatch,
} from '../../../src/platform/dataverse/batch-multipart.ts';
import { readBatchResponse } from '../../../src/platform/dataverse/dataverse-client.ts';

describe('$batch multipart', () => {
  it('writes one change set whose parts read back as the requests, with Content-IDs in order', () => {
    const body = writeChangeSetBatch(
      [
        { method: 'PATCH', url: 'https://org/api/data/v9.2/adx_webpages(1)', body: { adx_name: 'Home' } },
        { method: 'DELETE', url: 'https://org/api/data/v9.2/adx_webpages(2)' },
      ],
      'batch_1',
      'changeset_1',
    );
    const [changeSet] = parseMultipart(body, 'batch_1');
    expect(boundaryOf(changeSet!.headers['content-type'])).toBe('changeset_1');
    const parts = parseMultipart(changeSet!.body, 'changeset_1');
    expect(parts.map((p) => p.headers['content-id'])).toEqual(['1', '2']);
    const first = parseHttpMessage(parts[0]!.body);
    expect(first.startLine).toBe('PATCH https://org/api/data/v9.2/adx_webpages(1) HTTP/1.1');
    expect(JSON.parse(first.body)).toEqual({ adx_name: 'Home' });
    expect(parseHttpMessage(parts[1]!.body).startLine).toMatch(/^DELETE /);
  });

  it('reads a failed change set as batch_failed naming the change', () => {
    const response = [
      '--batchresponse_9',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'HTTP/1.1 404 Not Found',
      'Content-Type: application/json; odata.metadata=minimal',
      '',
      '{"error":{"code":"0x80040217","message":"adx_webpage With Id = 2 Does Not Exist"}}',
      '--batchresponse_9--',
      '',
    ].join('\r\n');
    expect(() =>
      readBatchResponse(response, 'multipart/mixed; boundary=batchresponse_9', [
        { method: 'PATCH', entitySet: 'adx_webpages', id: '1', body: {} },
        { method: 'DELETE', entitySet: 'adx_webpages', id: '2' },
      ]),
    ).toThrowError(
      expect.objectContaining({
        code: 'batch_failed',
        details: expect.objectContaining({ index: 1, status: 404 }),
      }),
    );
  });
});
