import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataverseClient } from '../../../src/platform/dataverse/dataverse-client.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { failureOf } from '../../support/failure-of.ts';
import { simulatorTokens } from '../../support/simulator-token-provider.ts';

describe('DataverseClient against the simulator', () => {
  let sim: RunningSimulator;
  let websiteId: string;
  const http = { timeoutMs: 2_000, maxRetries: 3, maxBackoffMs: 50 };
  const client = (user = 'alice@contoso.com') =>
    new DataverseClient({
      dataverseUrl: sim.dataverseUrl('dev'),
      tokenProvider: simulatorTokens(sim, user),
      ...http,
    });

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.001 });
    websiteId = sim.world.sites.get('5e7e0001-0000-4000-8000-000000000001')!.websiteRecordId;
  });
  afterEach(() => sim.faults.clear());
  afterAll(() => sim.close());

  it('creates, reads back through a filtered query, upserts and deletes a record', async () => {
    const dv = client();
    const id = await dv.create('adx_sitesettings', {
      adx_name: 'Search/Enabled',
      adx_value: 'true',
      'adx_websiteid@odata.bind': `/adx_websites(${websiteId})`,
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const found = await dv.query('adx_sitesettings', {
      select: ['adx_name', 'adx_value', '_adx_websiteid_value'],
      filter: `_adx_websiteid_value eq ${websiteId} and adx_name eq 'Search/Enabled'`,
    });
    expect(found).toEqual([
      {
        adx_sitesettingid: id,
        adx_name: 'Search/Enabled',
        adx_value: 'true',
        _adx_websiteid_value: websiteId,
      },
    ]);
    await dv.upsert('adx_sitesettings', id, { adx_value: 'false' });
    const fixedId = randomUUID();
    await dv.upsert('adx_sitesettings', fixedId, {
      adx_name: 'Upserted',
      adx_value: 'x',
      'adx_websiteid@odata.bind': `/adx_websites(${websiteId})`,
    });
    const rows = await dv.query('adx_sitesettings', {
      filter: `_adx_websiteid_value eq ${websiteId} and (startswith(adx_name,'Search') or adx_name eq 'Upserted')`,
    });
    expect(rows.map((r) => [r.adx_name, r.adx_value]).sort()).toEqual([
      ['Search/Enabled', 'false'],
      ['Upserted', 'x'],
    ]);
    await dv.delete('adx_sitesettings', id);
    await dv.delete('adx_sitesettings', id);
    expect(await dv.query('adx_sitesettings', { filter: `adx_sitesettingid eq ${id}` })).toEqual([]);
  });

  it('follows @odata.nextLink pages and stops at top', async () => {
    const dv = client();
    for (let i = 0; i < 7; i++)
      await dv.create('adx_contentsnippets', {
        adx_name: `Snippet ${i}`,
        adx_value: `v${i}`,
        'adx_websiteid@odata.bind': `/adx_websites(${websiteId})`,
      });
    const all = await dv.query('adx_contentsnippets', {
      filter: `_adx_websiteid_value eq ${websiteId}`,
      pageSize: 2,
      orderBy: 'adx_name desc',
      select: ['adx_name'],
    });
    expect(all.map((r) => r.adx_name)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `Snippet ${i}`));
    expect(await dv.query('adx_contentsnippets', { pageSize: 2, top: 3 })).toHaveLength(3);
  });

  it('rejects an unknown column with a bad_request naming it', async () => {
    await expect(
      client().create('adx_webpages', { adx_name: 'Home', adx_nosuchcolumn: 1 }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      platformCode: '0x80060888',
      message: expect.stringContaining("The property 'adx_nosuchcolumn' does not exist on type"),
    });
  });

  it('links two records N:N and reads the link back', async () => {
    const dv = client();
    const role = await dv.create('adx_webroles', { adx_name: 'Authenticated Users' });
    const permission = await dv.create('adx_entitypermissions', { adx_entityname: 'Contacts' });
    await dv.associate(
      'adx_entitypermissions',
      permission,
      'adx_entitypermission_webrole',
      'adx_webroles',
      role,
    );
    const linked = await dv.query(`adx_entitypermissions(${permission})/adx_entitypermission_webrole`);
    expect(linked.map((r) => r.adx_webroleid)).toEqual([role]);
  });

  it('applies a $batch change set as a whole', async () => {
    const dv = client();
    const a = randomUUID();
    const b = randomUUID();
    const results = await dv.executeBatch([
      { method: 'PATCH', entitySet: 'adx_webtemplates', id: a, body: { adx_name: 'Header' } },
      { method: 'PATCH', entitySet: 'adx_webtemplates', id: b, body: { adx_name: 'Footer' } },
      { method: 'POST', entitySet: 'adx_webtemplates', body: { adx_name: 'Created in batch' } },
    ]);
    expect(results.map((r) => r.status)).toEqual([204, 204, 204]);
    expect(results[2]?.id).toMatch(/^[0-9a-f-]{36}$/);
    const names = (await dv.query('adx_webtemplates', { select: ['adx_name'] })).map((r) => r.adx_name);
    expect(names).toEqual(expect.arrayContaining(['Header', 'Footer', 'Created in batch']));
  });

  it('rolls back the whole change set when one change fails, and names the failing change', async () => {
    const dv = client();
    const first = randomUUID();
    const failure = await failureOf(
      dv.executeBatch([
        {
          method: 'PATCH',
          entitySet: 'adx_pagetemplates',
          id: first,
          body: { adx_name: 'Would be created' },
        },
        { method: 'PATCH', entitySet: 'adx_pagetemplates', id: randomUUID(), body: { adx_bogus: true } },
      ]),
    );
    expect(failure).toMatchObject({
      code: 'batch_failed',
      details: { index: 1, status: 400, platformCode: '0x80060888' },
    });
    expect((failure as Error).message).toContain('Nothing in the batch was applied');
    expect(await dv.query('adx_pagetemplates', { filter: `adx_pagetemplateid eq ${first}` })).toEqual([]);
  });

  it('reads table metadata, and null for a missing table', async () => {
    const dv = client();
    const table = await dv.getTable('adx_webpage');
    expect(table).toMatchObject({ entitySetName: 'adx_webpages', primaryIdAttribute: 'adx_webpageid' });
    expect(table?.columns).toEqual(expect.arrayContaining(['adx_name', 'adx_websiteid', 'adx_partialurl']));
    expect(table?.lookups).toContainEqual(
      expect.objectContaining({
        attribute: 'adx_parentpageid',
        navigationProperty: 'adx_parentpageid',
        targetTable: 'adx_webpage',
      }),
    );
    expect(table?.attributes).toContainEqual(
      expect.objectContaining({ logicalName: 'createdon', validForCreate: false, validForUpdate: false }),
    );
    expect(await dv.getTable('new_nosuchtable')).toBeNull();
  });

  it('reads entity set names, navigation properties and polymorphic lookups from metadata', async () => {
    const dv = client();
    expect((await dv.getTable('adx_websiteaccess'))?.entitySetName).toBe('adx_websiteaccesses');
    expect((await dv.getTable('adx_urlhistory'))?.entitySetName).toBe('adx_urlhistories');
    const website = await dv.getTable('adx_website');
    expect(website?.lookups.find((l) => l.attribute === 'adx_defaultlanguage')).toMatchObject({
      navigationProperty: 'adx_DefaultLanguage',
      targetTable: 'adx_websitelanguage',
    });
    const note = await dv.getTable('annotation');
    expect(note?.lookups.filter((l) => l.attribute === 'objectid').map((l) => l.navigationProperty)).toEqual(
      expect.arrayContaining(['objectid_adx_webfile', 'objectid_contact']),
    );
    expect((await dv.getTable('adx_entitypermission'))?.manyToMany).toContainEqual({
      relationship: 'adx_entitypermission_webrole',
      navigationProperty: 'adx_entitypermission_webrole',
      targetTable: 'adx_webrole',
    });
    for (const name of ['powerpagesite', 'powerpagecomponent', 'powerpagesitelanguage'])
      expect((await dv.getTable(name))?.entitySetName).toBe(`${name}s`);
  });

  it('reads a table definition once, and again when asked to refresh', async () => {
    const dv = client();
    const before = sim.dataverseStats.requests;
    await dv.getTable('adx_sitesetting');
    await Promise.all([dv.getTable('adx_sitesetting'), dv.getTable('ADX_SITESETTING')]);
    expect(sim.dataverseStats.requests - before).toBe(1);
    const env = sim.world.findEnvironment('dev')!;
    env.tables.find((t) => t.logicalName === 'adx_sitesetting')!.columns.push('new_rank');
    expect((await dv.getTable('adx_sitesetting'))?.columns).not.toContain('new_rank');
    expect((await dv.getTable('adx_sitesetting', { refresh: true }))?.columns).toContain('new_rank');
    dv.forgetTables();
    await dv.getTable('adx_sitesetting');
    expect(sim.dataverseStats.requests - before).toBe(3);
  });

  it('sees a table installed after it was found missing', async () => {
    const dv = client();
    expect(await dv.getTable('new_review')).toBeNull();
    sim.world.findEnvironment('dev')!.tables.push({
      logicalName: 'new_review',
      entitySetName: 'new_reviews',
      primaryIdAttribute: 'new_reviewid',
      primaryNameAttribute: 'new_name',
      columns: ['new_name'],
    });
    expect((await dv.getTable('new_review'))?.entitySetName).toBe('new_reviews');
  });

  it('refuses a lookup sent as a plain id, a bind through an unknown navigation property, and a lower-case default language', async () => {
    const dv = client();
    await expect(
      dv.create('adx_sitesettings', { adx_name: 'Plain', adx_websiteid: websiteId }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      status: 400,
      platformCode: '0x80060888',
      message: expect.stringContaining(
        "The property 'adx_websiteid' does not exist on type 'Microsoft.Dynamics.CRM.adx_sitesetting'",
      ),
    });
    await expect(
      dv.create('annotations', { subject: 'x', 'objectid@odata.bind': `/adx_webfiles(${randomUUID()})` }),
    ).rejects.toMatchObject({
      platformCode: '0x80060888',
      message: expect.stringContaining(
        "An undeclared property 'objectid' which only has property annotations",
      ),
    });
    const language = await dv.create('adx_websitelanguages', {
      adx_name: 'English',
      'adx_websiteid@odata.bind': `/adx_websites(${websiteId})`,
    });
    await expect(
      dv.upsert('adx_websites', websiteId, {
        'adx_defaultlanguage@odata.bind': `/adx_websitelanguages(${language})`,
      }),
    ).rejects.toMatchObject({ platformCode: '0x80060888' });
    await dv.upsert('adx_websites', websiteId, {
      'adx_DefaultLanguage@odata.bind': `/adx_websitelanguages(${language})`,
    });
    const [site] = await dv.query('adx_websites', { filter: `adx_websiteid eq ${websiteId}` });
    expect(site?._adx_defaultlanguage_value).toBe(language);
  });

  it('tells who the caller is and which security roles they hold', async () => {
    const alice = client();
    const me = await alice.whoAmI();
    expect(me.organizationId).toBe(sim.world.findEnvironment('dev')!.organizationId);
    expect((await alice.getUserRoles(me.userId)).map((r) => r.name)).toEqual(['System Administrator']);
    const carol = client('carol@contoso.com');
    expect((await carol.getUserRoles((await carol.whoAmI()).userId)).map((r) => r.name)).toEqual([
      'System Customizer',
    ]);
    expect(await alice.provisionedLanguages()).toEqual([1033, 1036, 1025, 3082, 1041]);
  });

  it('maps a user without any role to forbidden', async () => {
    await expect(client('dave@contoso.com').query('adx_webpages')).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('retries after a service protection 429 with the Retry-After it was given, within the cap', async () => {
    sim.faults.add({
      service: 'dataverse',
      method: 'GET',
      effect: { status: 429, code: '0x80072322', retryAfterSeconds: 1 },
    });
    const patient = new DataverseClient({
      dataverseUrl: sim.dataverseUrl('dev'),
      tokenProvider: simulatorTokens(sim),
      ...http,
      maxBackoffMs: 2_000,
    });
    const started = Date.now();
    await patient.query('adx_webpages', { top: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('hands a Retry-After longer than the cap to the caller instead of waiting it out', async () => {
    sim.faults.add({
      service: 'dataverse',
      method: 'GET',
      effect: { status: 429, code: '0x80072322', retryAfterSeconds: 1 },
    });
    const started = Date.now();
    await expect(client().query('adx_webpages', { top: 1 })).rejects.toMatchObject({
      code: 'throttled',
      details: { retryAfterSeconds: 1, service: 'Dataverse' },
    });
    expect(Date.now() - started).toBeLessThan(900);
  });
});

describe('Dataverse service protection in the simulator', () => {
  it('answers 429 with Retry-After once the request limit is reached, and the client reports throttled', async () => {
    const sim = await startSimulator({ dataverse: { limits: { maxRequests: 3, windowMs: 60_000 } } });
    try {
      const dv = new DataverseClient({
        dataverseUrl: sim.dataverseUrl('dev'),
        tokenProvider: simulatorTokens(sim),
        timeoutMs: 2_000,
        maxRetries: 0,
        maxBackoffMs: 10,
      });
      for (let i = 0; i < 3; i++) await dv.query('adx_webpages', { top: 1 });
      const error = await failureOf(dv.query('adx_webpages', { top: 1 }));
      expect(error).toMatchObject({ code: 'throttled', platformCode: '0x80072322', retryable: true });
      expect(error.details.retryAfterSeconds as number).toBeGreaterThan(50);
      expect(sim.dataverseStats.throttled).toBe(1);
    } finally {
      await sim.close();
    }
  });
});
