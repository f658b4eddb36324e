/**
 * Migration benchmark: a generated 10,000-record site in the simulator's dev environment,
 * Dataverse answering with a fixed latency per operation and service protection limits
 * (execution time per window). Reports the full migration into prod, the floor those limits
 * impose, a one-request-per-record sequential baseline (sampled, extrapolated), a 1% delta, and
 * peak memory; once with the site on the standard data model (`adx_*` rows) and once with it on
 * the enhanced one (`powerpagesite` + `powerpagecomponent` rows). Prints the enhanced run's figures
 * on a line of their own (`"model":"Enhanced"`), then the standard run's as the final line.
 */
import { randomUUID } from 'node:crypto';
import { CONFIG_TABLES, lookupValueColumn } from '../src/migration/config-tables.ts';
import { enhancedRowOf, type SiteDataModel } from '../src/migration/enhanced-model.ts';
import { planImport } from '../src/migration/import-plan.ts';
import { exportSite } from '../src/migration/site-export.ts';
import { rowBody, type SiteRecord } from '../src/migration/site-records.ts';
import { loadSiteSchema, schemaTable } from '../src/migration/site-schema.ts';
import { writeSitePlan } from '../src/migration/site-write.ts';
import { DataverseClient } from '../src/platform/dataverse/dataverse-client.ts';
import { ThrottleSignal } from '../src/platform/http/throttle-signal.ts';
import { startSimulator } from '../src/simulator/simulator.ts';
import { enhancedRowsFromRecords } from '../src/simulator/site-configuration.ts';
import { simulatorTokens } from '../test/support/simulator-token-provider.ts';

const RECORDS = 10_000;
const LATENCY_MS = 10;
const LIMITS = { windowMs: 1_000, maxExecutionMs: 12_000, maxRequests: 100_000, maxConcurrent: 52 };
const BASELINE_SAMPLE = 400;
const ORDER = CONFIG_TABLES.map((t) => t.logicalName);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

/** A site: website, language, publishing state, then pages, snippets, settings and templates. */
function generateSite(): SiteRecord[] {
  const website = randomUUID();
  const language = randomUUID();
  const published = randomUUID();
  const owned = (
    table: string,
    columns: Record<string, unknown>,
    lookups: Record<string, string> = {},
  ): SiteRecord => ({
    table,
    id: randomUUID(),
    columns,
    lookups: { adx_websiteid: website, ...lookups },
    links: {},
  });
  const records: SiteRecord[] = [
    {
      table: 'adx_website',
      id: website,
      columns: { adx_name: 'Bench site', adx_website_language: 1033 },
      lookups: { adx_defaultlanguage: language },
      links: {},
    },
    {
      table: 'adx_websitelanguage',
      id: language,
      columns: { adx_name: 'English' },
      lookups: { adx_websiteid: website },
      links: {},
    },
    {
      table: 'adx_publishingstate',
      id: published,
      columns: { adx_name: 'Published', adx_isdefault: true },
      lookups: { adx_websiteid: website },
      links: {},
    },
  ];
  const home = owned(
    'adx_webpage',
    { adx_name: 'Home', adx_partialurl: '/', adx_copy: '<p>Home</p>' },
    { adx_publishingstateid: published },
  );
  records.push(home);
  const rest = RECORDS - records.length;
  for (let i = 0; i < rest; i++) {
    const kind = i % 10;
    if (kind < 4)
      records.push(
        owned(
          'adx_webpage',
          {
            adx_name: `Page ${i}`,
            adx_partialurl: `page-${i}`,
            adx_copy: `<h1>Page ${i}</h1><p>${'Lorem ipsum '.repeat(20)}</p>`,
          },
          { adx_publishingstateid: published, adx_parentpageid: home.id },
        ),
      );
    else if (kind < 7)
      records.push(owned('adx_contentsnippet', { adx_name: `Snippet ${i}`, adx_value: `<span>${i}</span>` }));
    else if (kind < 9)
      records.push(owned('adx_sitesetting', { adx_name: `Setting/${i}`, adx_value: String(i) }));
    else
      records.push(
        owned('adx_webtemplate', {
          adx_name: `Template ${i}`,
          adx_source: `{% comment %}${i}{% endcomment %}`,
        }),
      );
  }
  return records;
}

const sim = await startSimulator({ timeScale: 0.001, dataverse: { latencyMs: LATENCY_MS, limits: LIMITS } });
const dev = sim.world.findEnvironment('dev')!;
const simTable = (name: string) => dev.tables.find((t) => t.logicalName === name)!;
const throttle = new ThrottleSignal();
let throttled = 0;
throttle.on(() => {
  throttled++;
});
const client = (alias: string) =>
  new DataverseClient({
    dataverseUrl: sim.dataverseUrl(alias),
    tokenProvider: simulatorTokens(sim, 'alice@contoso.com'),
    timeoutMs: 60_000,
    maxRetries: 30,
    maxBackoffMs: 2_000,
    throttle,
  });
const devClient = client('dev');
const prodClient = client('prod');
const testClient = client('test');

/** Puts the site's rows into dev as the model keeps them. */
function seed(source: SiteRecord[], model: SiteDataModel): void {
  if (model === 'Enhanced') {
    const seeded = enhancedRowsFromRecords(source, dev.tables)!;
    for (const [entitySet, rows] of Object.entries(seeded.rows)) {
      const table = dev.tables.find((t) => t.entitySetName === entitySet)!;
      for (const row of rows)
        sim.world.records.table(dev.id, entitySet).set(String(row[table.primaryIdAttribute]), row);
    }
    return;
  }
  for (const record of source) {
    const table = simTable(record.table);
    const row: Record<string, unknown> = { [table.primaryIdAttribute]: record.id, ...record.columns };
    for (const [column, id] of Object.entries(record.lookups)) row[lookupValueColumn(column)] = id;
    sim.world.records.table(dev.id, table.entitySetName).set(record.id, row);
  }
}

/** Changes the name of the records in dev, in the storage of the model. */
function change(records: SiteRecord[], model: SiteDataModel): void {
  for (const record of records) {
    if (model === 'Enhanced') {
      const row = sim.world.records.table(dev.id, 'powerpagecomponents').get(record.id)!;
      const content = JSON.parse(String(row.content)) as Record<string, unknown>;
      row.content = JSON.stringify({ ...content, name: `${String(content.name)} (changed)` });
      continue;
    }
    const table = simTable(record.table);
    const row = sim.world.records.table(dev.id, table.entitySetName).get(record.id)!;
    row.adx_name = `${String(row.adx_name)} (changed)`;
  }
}

/** One request per record, one after the other, into test (sampled). */
async function sequentialBaseline(source: SiteRecord[], model: SiteDataModel): Promise<number> {
  const testSchema = await loadSiteSchema(testClient);
  const started = performance.now();
  const websiteId = source[0]!.id;
  for (const record of source.slice(0, BASELINE_SAMPLE)) {
    if (model === 'Enhanced') {
      const row = enhancedRowOf(record, websiteId);
      await testClient.upsert(row.entitySet, row.id, row.body);
      continue;
    }
    const table = schemaTable(testSchema, record.table);
    await testClient.upsert(
      table.entitySetName,
      record.id,
      rowBody(record, table, {
        deferred: new Set(['adx_parentpageid', 'adx_defaultlanguage']),
        creating: true,
      }),
    );
  }
  return (performance.now() - started) / 1000;
}

/** The benchmark's figures for a site on one data model. */
async function bench(model: SiteDataModel) {
  peakRss = process.memoryUsage().rss;
  throttled = 0;
  const source = generateSite();
  seed(source, model);
  const websiteId = source[0]!.id;
  const migrate = async () => {
    const started = performance.now();
    const records = await exportSite(devClient, websiteId);
    const plan = planImport(records, await exportSite(prodClient, websiteId), ORDER);
    const result = await writeSitePlan(prodClient, plan, {
      model,
      websiteRecordId: websiteId,
      desired: records,
      batchSize: 100,
      throttle,
      parallelism: { initial: 4, max: 32 },
    });
    return {
      seconds: (performance.now() - started) / 1000,
      writes: result.writes,
      peak: result.peakParallelism,
    };
  };
  const full = await migrate();
  // The floor: every write costs LATENCY_MS of execution, and the limits allow maxExecutionMs per windowMs.
  const floorSeconds = (full.writes * LATENCY_MS) / (LIMITS.maxExecutionMs / LIMITS.windowMs) / 1000;
  const baselineSeconds = (await sequentialBaseline(source, model)) * (full.writes / BASELINE_SAMPLE);
  // Delta: 1% of the records change in dev; the next migration writes only those.
  change(
    source.filter((_, i) => i % 100 === 50),
    model,
  );
  const delta = await migrate();
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return {
    model,
    records: source.length,
    writes: full.writes,
    latencyMsPerOperation: LATENCY_MS,
    limits: LIMITS,
    fullSeconds: Number(full.seconds.toFixed(2)),
    floorSeconds: Number(floorSeconds.toFixed(2)),
    ratioToFloor: Number((full.seconds / floorSeconds).toFixed(3)),
    baselineSeconds: Number(baselineSeconds.toFixed(1)),
    baselineSampledRecords: BASELINE_SAMPLE,
    speedup: Number((baselineSeconds / full.seconds).toFixed(1)),
    deltaWrites: delta.writes,
    deltaWriteFraction: Number((delta.writes / source.length).toFixed(4)),
    deltaSeconds: Number(delta.seconds.toFixed(2)),
    peakParallelism: full.peak,
    throttledAnswers: throttled,
    peakRssMb: Math.round(peakRss / 1024 / 1024),
  };
}

const enhanced = await bench('Enhanced');
const standard = await bench('Standard');
clearInterval(sampler);
await sim.close();

console.log(JSON.stringify(enhanced));
console.log(JSON.stringify(standard));
