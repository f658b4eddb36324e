/**
 * Dataverse's own samples (test/contracts/samples/dataverse/, sources in its README) read with
 * the client's own parsers, and the simulator's answers held to the same parsers and shapes, so
 * neither the client nor the simulator can drift from what the real service sends.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  boundaryOf,
  parseMultipart,
  writeChangeSetBatch,
} from '../../src/platform/dataverse/batch-multipart.ts';
import {
  parseProvisionedLanguages,
  parseWhoAmI,
  provisionedLanguagesSchema,
  whoAmISchema,
} from '../../src/platform/dataverse/dataverse-answers.ts';
import {
  DataverseClient,
  odataQuery,
  readBatchResponse,
} from '../../src/platform/dataverse/dataverse-client.ts';
import {
  ENTITY_DEFINITION_OPTIONS,
  entityDefinitionSchema,
  parseEntityDefinition,
} from '../../src/platform/dataverse/table-metadata.ts';
import { toPortalOpsError } from '../../src/platform/http/platform-error.ts';
import type { BatchOperation } from '../../src/platform/ports.ts';
import { DATAVERSE_LIMITS, ServiceProtection } from '../../src/simulator/dataverse/service-protection.ts';
import { type RunningSimulator, startSimulator } from '../../src/simulator/simulator.ts';
import { simulatorTokens } from '../support/simulator-token-provider.ts';

const SAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'samples/dataverse');
const sample = (name: string) => readFileSync(path.join(SAMPLES, name), 'utf8');
const sampleJson = (name: string): unknown => JSON.parse(sample(name));

/** Dataverse's error body: `{"error":{"code":"0x…","message":…}}` (odata-error.examples.json). */
const odataErrorSchema = z.object({
  error: z.object({ code: z.string().regex(/^0x[0-9a-f]{8}$/), message: z.string().min(1) }),
});

/** An HTTP response written out as in the .http samples: status line, headers, blank line, body. */
function httpResponse(text: string): { status: number; headers: Record<string, string>; body: string } {
  const lines = text.replace(/^\s+/, '').split('\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0]!)![1]);
  const headers: Record<string, string> = {};
  let i = 1;
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const [name, ...value] = lines[i]!.split(':');
    headers[name!.trim().toLowerCase()] = value.join(':').trim();
  }
  return { status, headers, body: lines.slice(i + 1).join('\n') };
}

/** The boundary a multipart body opens with (the samples do not keep the Content-Type header). */
const firstBoundary = (body: string) => /^--(\S+)/m.exec(body)![1]!;

/** An axios failure carrying a platform answer, as the HTTP client sees one. */
function failedCall(status: number, data: unknown, headers: Record<string, string> = {}): AxiosError {
  const config = {
    url: 'x',
    baseURL: 'https://org.crm.dynamics.com/api/data/v9.2/',
    headers: new AxiosHeaders(),
  };
  return new AxiosError(
    'Request failed',
    'ERR_BAD_REQUEST',
    config as InternalAxiosRequestConfig,
    {},
    {
      status,
      statusText: '',
      headers,
      data,
      config: config as InternalAxiosRequestConfig,
    },
  );
}

const creates = (n: number): BatchOperation[] =>
  Array.from({ length: n }, () => ({ method: 'POST', entitySet: 'tasks', body: {} }) as const);

describe('Dataverse samples read with the client’s parsers', () => {
  it('a change-set batch answer gives each created id, in order (batch-changeset.response.http)', () => {
    const { status, body } = httpResponse(sample('batch-changeset.response.http'));
    expect(status).toBe(200);
    const results = readBatchResponse(body, `multipart/mixed; boundary=${firstBoundary(body)}`, creates(3));
    expect(results.slice(0, 3)).toEqual([
      { status: 204, id: 'e73ffc82-e292-ed11-aad1-000d3a9933c9' },
      { status: 204, id: 'e83ffc82-e292-ed11-aad1-000d3a9933c9' },
      { status: 204, id: 'e93ffc82-e292-ed11-aad1-000d3a9933c9' },
    ]);
    expect(results[3]).toEqual({ status: 200 });
  });

  it('a failed batch names the failing change and keeps the hex code (batch-error.responses.http)', () => {
    const [withoutContinue, withContinue] = sample('batch-error.responses.http')
      .split(/^###.*$/m)
      .map((s) => s.trim())
      .filter((s) => s.startsWith('HTTP/'));
    for (const [text, status] of [
      [withoutContinue!, 400],
      [withContinue!, 200],
    ] as const) {
      const answer = httpResponse(text);
      expect(answer.status).toBe(status);
      expect(() =>
        readBatchResponse(answer.body, `multipart/mixed; boundary=${firstBoundary(answer.body)}`, creates(3)),
      ).toThrow(
        expect.objectContaining({
          code: 'batch_failed',
          platformCode: '0x80044331',
          details: expect.objectContaining({ index: 0, status: 400 }),
          message: expect.stringContaining("The length of the 'subject' attribute"),
        }),
      );
    }
  });

  it('the client writes batches laid out as Dataverse documents them (batch-changeset.request.http)', () => {
    const documented = sample('batch-changeset.request.http');
    const partHeaders = (text: string, boundary: string) =>
      parseMultipart(text, boundary).map((p) => Object.keys(p.headers).sort());
    const documentedChangeSet = /boundary="(changeset_[^"]+)"/.exec(documented)![1]!;
    const written = writeChangeSetBatch(
      [{ method: 'POST', url: 'tasks', body: { subject: 'x' } }],
      'batch_1',
      'changeset_1',
    );
    expect(partHeaders(written, 'changeset_1')[0]).toEqual(partHeaders(documented, documentedChangeSet)[0]);
    expect(written).toContain('Content-Type: application/json; type=entry');
  });

  it('a 429 becomes a retryable throttled error with the hex code and the limit (throttling-429.http)', () => {
    const answer = httpResponse(sample('throttling-429.http').replace(/^#.*\n/gm, ''));
    const body = odataErrorSchema.parse(JSON.parse(answer.body));
    const error = toPortalOpsError(failedCall(answer.status, body, { 'retry-after': '7' }), {
      service: 'Dataverse',
      action: 'apply a batch',
    });
    expect(error).toMatchObject({
      code: 'throttled',
      retryable: true,
      status: 429,
      platformCode: '0x80072322',
      details: { retryAfterSeconds: 7 },
    });
    expect(error.message).toContain('limit of 8000 over time window of 300 seconds');
  });

  it('error bodies keep their hex platform code (odata-error.examples.json)', () => {
    const examples = sampleJson('odata-error.examples.json') as Record<string, unknown>;
    for (const [name, status, code] of [
      ['plain', 400, '0x80044331'],
      ['annotated', 400, '0x80040265'],
      ['throttled_429', 429, '0x80072322'],
    ] as const) {
      odataErrorSchema.parse(examples[name]);
      const error = toPortalOpsError(failedCall(status, examples[name]), {
        service: 'Dataverse',
        action: 'x',
      });
      expect(error.platformCode, name).toBe(code);
    }
  });

  it('WhoAmI and RetrieveProvisionedLanguages read as the samples show; another function’s shape is refused', () => {
    expect(parseWhoAmI(sampleJson('whoami.response.json'))).toEqual({
      userId: '00000000-0000-0000-0000-000000000002',
      organizationId: '00000000-0000-0000-0000-000000000001',
      businessUnitId: '00000000-0000-0000-0000-000000000003',
    });
    expect(parseProvisionedLanguages(sampleJson('retrieveprovisionedlanguages.response.json'))).toEqual([
      1033,
    ]);
    // RetrieveAvailableLanguages answers `LocaleIds` (language-functions.notes.md): not the same thing.
    expect(() => parseProvisionedLanguages({ LocaleIds: [1033, 1036] })).toThrow(
      expect.objectContaining({ code: 'platform_error' }),
    );
  });

  it('a table definition gives lookups by navigation property, one per target of a polymorphic lookup', () => {
    // The documented facts of entity-names-and-choices.md and annotation-webfile.create.http, in
    // the EntityDefinitions shape (no captured EntityDefinitions answer exists among the samples).
    const notes = sample('annotation-webfile.create.http');
    expect(notes).toContain('"objectid_adx_webfile@odata.bind": "/adx_webfiles(<adx_webfileid>)"');
    const table = parseEntityDefinition({
      LogicalName: 'annotation',
      EntitySetName: 'annotations',
      PrimaryIdAttribute: 'annotationid',
      PrimaryNameAttribute: 'subject',
      Attributes: [
        { LogicalName: 'objectid', AttributeType: 'Lookup', IsValidForCreate: true, IsValidForUpdate: true },
        {
          LogicalName: 'createdon',
          AttributeType: 'DateTime',
          IsValidForCreate: false,
          IsValidForUpdate: false,
        },
      ],
      ManyToOneRelationships: [
        {
          SchemaName: 'adx_webfile_Annotations',
          ReferencedEntity: 'adx_webfile',
          ReferencingEntity: 'annotation',
          ReferencingAttribute: 'objectid',
          ReferencingEntityNavigationPropertyName: 'objectid_adx_webfile',
        },
        {
          SchemaName: 'Contact_Annotation',
          ReferencedEntity: 'contact',
          ReferencingEntity: 'annotation',
          ReferencingAttribute: 'objectid',
          ReferencingEntityNavigationPropertyName: 'objectid_contact',
        },
      ],
      ManyToManyRelationships: [],
    });
    expect(table.lookups.map((l) => [l.attribute, l.navigationProperty, l.targetTable])).toEqual([
      ['objectid', 'objectid_adx_webfile', 'adx_webfile'],
      ['objectid', 'objectid_contact', 'contact'],
    ]);
    expect(table.attributes.find((a) => a.logicalName === 'createdon')).toMatchObject({
      validForCreate: false,
      validForUpdate: false,
    });
  });
});

describe('the simulator answers in the same shapes', () => {
  let sim: RunningSimulator;
  let serviceRoot: string;
  let token: string;
  const client = () =>
    new DataverseClient({
      dataverseUrl: sim.dataverseUrl('dev'),
      tokenProvider: simulatorTokens(sim, 'alice@contoso.com'),
      timeoutMs: 2_000,
      maxRetries: 0,
      maxBackoffMs: 10,
    });
  const get = async (pathAndQuery: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${serviceRoot}/${pathAndQuery}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...headers },
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.001 });
    serviceRoot = `${sim.dataverseUrl('dev')}/api/data/v9.2`;
    token = sim.issueUserToken('alice@contoso.com', sim.dataverseUrl('dev'));
  });
  afterAll(() => sim.close());

  it('WhoAmI and RetrieveProvisionedLanguages() have the samples’ properties', async () => {
    const who = await get('WhoAmI');
    whoAmISchema.parse(who.body);
    expect(Object.keys(who.body as object).sort()).toEqual(
      Object.keys(sampleJson('whoami.response.json') as object).sort(),
    );
    const languages = await get('RetrieveProvisionedLanguages()');
    provisionedLanguagesSchema.parse(languages.body);
    const context = (b: unknown) =>
      String((b as Record<string, unknown>)['@odata.context']).replace(/^.*\$metadata/, '');
    expect(context(languages.body)).toBe(context(sampleJson('retrieveprovisionedlanguages.response.json')));
    expect(context(who.body)).toBe(context(sampleJson('whoami.response.json')));
  });

  it('serves table definitions the client’s schema reads, with the names the samples document', async () => {
    const documented = [
      ...sample('entity-names-and-choices.md').matchAll(/^\| (\w+) \| (?:\*\*)?`(\w+)`/gm),
    ].map(([, logicalName, entitySet]) => [logicalName!, entitySet!] as const);
    expect(documented.length).toBeGreaterThanOrEqual(8);
    const dv = client();
    for (const [logicalName, entitySet] of documented) {
      if (logicalName === 'asyncoperation') continue; // not a table PortalOps reads as rows
      const raw = await get(
        `EntityDefinitions(LogicalName='${logicalName}')${odataQuery(ENTITY_DEFINITION_OPTIONS)}`,
      );
      entityDefinitionSchema.parse(raw.body);
      expect((await dv.getTable(logicalName))?.entitySetName, logicalName).toBe(entitySet);
    }
    const website = await dv.getTable('adx_website');
    expect(website?.lookups.find((l) => l.attribute === 'adx_defaultlanguage')?.navigationProperty).toBe(
      'adx_DefaultLanguage',
    );
    expect(website?.attributes.find((a) => a.logicalName === 'adx_website_language')?.attributeType).toBe(
      'Integer',
    );
    const note = await dv.getTable('annotation');
    expect(note?.lookups.find((l) => l.targetTable === 'adx_webfile')?.navigationProperty).toBe(
      'objectid_adx_webfile',
    );
    const component = await dv.getTable('powerpagecomponent');
    expect(component?.lookups.map((l) => [l.attribute, l.targetTable])).toEqual([
      ['powerpagesiteid', 'powerpagesite'],
      ['powerpagesitelanguageid', 'powerpagesitelanguage'],
    ]);
    expect(component?.attributes.find((a) => a.logicalName === 'powerpagecomponenttype')?.attributeType).toBe(
      'Picklist',
    );
    expect(component?.attributes.find((a) => a.logicalName === 'filecontent')).toMatchObject({
      validForCreate: false,
      validForUpdate: false,
    });
  });

  it('refuses as Dataverse does, in its error shape', async () => {
    const dv = client();
    const post = (set: string, body: unknown) =>
      fetch(`${serviceRoot}/${set}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refusals = [
      await post('adx_webpages', { adx_name: 'x', adx_nosuchcolumn: 1 }),
      await post('adx_webpages', { adx_name: 'x', adx_parentpageid: '00000000-0000-0000-0000-000000000001' }),
      await post('adx_webpages', {
        'adx_nosuchnav@odata.bind': '/adx_webpages(00000000-0000-0000-0000-000000000001)',
      }),
      await post('annotations', {
        'objectid@odata.bind': '/adx_webfiles(00000000-0000-0000-0000-000000000001)',
      }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBe(400);
      odataErrorSchema.parse(await refusal.json());
    }
    const unknownSet = await get('adx_websiteaccesss');
    expect(unknownSet.status).toBe(404);
    expect(odataErrorSchema.parse(unknownSet.body).error.message).toBe(
      "Resource not found for the segment 'adx_websiteaccesss'.",
    );
    await expect(dv.query('adx_webpages', { select: ['adx_nosuchcolumn'] })).rejects.toMatchObject({
      code: 'bad_request',
      platformCode: '0x80060888',
    });
  });

  it('pages a query with @odata.nextLink under Prefer: odata.maxpagesize', async () => {
    const pageSchema = z.object({
      '@odata.context': z.string(),
      value: z.array(z.record(z.string(), z.unknown())),
      '@odata.nextLink': z.string().url().optional(),
    });
    const first = await get('adx_webpages?$select=adx_name', { Prefer: 'odata.maxpagesize=2' });
    const page = pageSchema.parse(first.body);
    expect(page.value).toHaveLength(2);
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=2');
    const next = await fetch(page['@odata.nextLink']!, {
      headers: { Authorization: `Bearer ${token}`, Prefer: 'odata.maxpagesize=2' },
    });
    expect(pageSchema.parse(await next.json()).value).toHaveLength(2);
    const all = await client().query('adx_webpages', { select: ['adx_name'] });
    expect(await client().query('adx_webpages', { select: ['adx_name'], pageSize: 3 })).toHaveLength(
      all.length,
    );
  });

  it('answers a change set laid out as the batch samples, and a failing one with its status', async () => {
    const post = (body: string, boundary: string) =>
      fetch(`${serviceRoot}/$batch`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': `multipart/mixed; boundary=${boundary}`,
        },
        body,
      });
    const ok = await post(
      writeChangeSetBatch(
        [
          { method: 'POST', url: `${serviceRoot}/adx_webtemplates`, body: { adx_name: 'A' } },
          { method: 'POST', url: `${serviceRoot}/adx_webtemplates`, body: { adx_name: 'B' } },
        ],
        'batch_x',
        'changeset_x',
      ),
      'batch_x',
    );
    expect(ok.status).toBe(200);
    const text = await ok.text();
    const boundary = boundaryOf(ok.headers.get('content-type') ?? '')!;
    expect(boundary).toMatch(/^batchresponse_/);
    const documented = httpResponse(sample('batch-changeset.response.http')).body;
    const [documentedSet] = parseMultipart(documented, firstBoundary(documented));
    const [answeredSet] = parseMultipart(text, boundary);
    expect(answeredSet!.headers['content-type']).toMatch(/^multipart\/mixed; boundary=changesetresponse_/);
    const inner = (part: typeof answeredSet) =>
      parseMultipart(part!.body, boundaryOf(part!.headers['content-type'])!);
    const answeredParts = inner(answeredSet);
    expect(answeredParts.map((p) => Object.keys(p.headers).sort())).toEqual(
      inner(documentedSet)
        .slice(0, 2)
        .map((p) => Object.keys(p.headers).sort()),
    );
    for (const part of answeredParts) {
      expect(part.body).toMatch(/^HTTP\/1\.1 204 No Content\r?\nOData-Version: 4\.0\r?\n/);
      expect(part.body).toMatch(/OData-EntityId: .*\/adx_webtemplates\([0-9a-f-]{36}\)/);
      expect(part.body).toMatch(/Location: .*\/adx_webtemplates\([0-9a-f-]{36}\)/);
    }
    expect(readBatchResponse(text, ok.headers.get('content-type')!, creates(2)).map((r) => r.status)).toEqual(
      [204, 204],
    );
    const failed = await post(
      writeChangeSetBatch(
        [{ method: 'POST', url: `${serviceRoot}/adx_webtemplates`, body: { adx_bogus: 1 } }],
        'batch_y',
        'changeset_y',
      ),
      'batch_y',
    );
    expect(failed.status).toBe(400);
    const [part] = parseMultipart(await failed.text(), boundaryOf(failed.headers.get('content-type')!)!);
    expect(part!.body).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    odataErrorSchema.parse(JSON.parse(part!.body.slice(part!.body.indexOf('{'))));
  });

  it('throttles with Retry-After and the hex code body of throttling-429.http, reporting the limit of 8000', async () => {
    const documented = odataErrorSchema.parse(
      JSON.parse(httpResponse(sample('throttling-429.http').replace(/^#.*\n/gm, '')).body),
    );
    let now = 0;
    const protection = new ServiceProtection(DATAVERSE_LIMITS, () => now);
    for (let i = 0; i < 8000; i++) {
      const admitted = protection.admit('caller');
      if (!('entry' in admitted)) throw new Error(`refused request ${i + 1}`);
      protection.finish('caller', admitted.entry, 0);
      now += 1;
    }
    const refused = protection.admit('caller');
    expect(refused).toMatchObject({ code: documented.error.code, message: documented.error.message });
    const throttled = await startSimulator({
      timeScale: 0.001,
      dataverse: { limits: { maxRequests: 1, windowMs: 60_000 } },
    });
    try {
      const url = `${throttled.dataverseUrl('dev')}/api/data/v9.2/WhoAmI`;
      const auth = {
        Authorization: `Bearer ${throttled.issueUserToken('alice@contoso.com', throttled.dataverseUrl('dev'))}`,
      };
      expect((await fetch(url, { headers: auth })).status).toBe(200);
      const answer = await fetch(url, { headers: auth });
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = odataErrorSchema.parse(await answer.json());
      expect(body.error.code).toBe('0x80072322');
      expect(body.error.message).toMatch(
        /^Number of requests exceeded the limit of \d+ over time window of \d+ seconds\.$/,
      );
    } finally {
      await throttled.close();
    }
  });
});
