/**
 * Alerts benchmark: 2,000 sites across 50 environments in the simulator, 20 failures injected
 * at random moments while the alert center polls. Prints the poll interval, how long each
 * failure took to reach the subscribed conversation (p50, p99, and p99 minus the interval),
 * site-list calls per environment per interval, and alerts posted more than once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ChatSurface, ConversationRef } from '../src/chat/core/surface.ts';
import { createChat } from '../src/chat/create-chat.ts';
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { createRuntime } from '../src/main.ts';
import type { View } from '../src/views/view.ts';
import { percentile } from './lib/shared.ts';

const ENVIRONMENTS = 50;
const SITES_PER_ENVIRONMENT = 40;
const FAILURES = 20;
const INTERVAL_MS = 2_000;
const INJECT_OVER_MS = 8_000;

const tenantId = '6f1c2a3b-0000-4000-8000-00000000c0de';
const environments = Array.from({ length: ENVIRONMENTS }, (_, i) => ({
  id: randomUUID(),
  alias: `env${i}`,
  displayName: `Environment ${i}`,
  tenantId,
  orgUniqueName: `org${i}`,
  organizationId: randomUUID(),
  baseLanguage: 1033,
  installedLanguages: [1033],
  protected: false,
  solutions: [{ uniqueName: 'MicrosoftPortalBase', version: '9.3.2307.12' }],
}));
const sites = environments.flatMap((env, e) =>
  Array.from({ length: SITES_PER_ENVIRONMENT }, (_, s) => ({
    id: randomUUID(),
    environment: env.alias,
    name: `Site ${e}-${s}`,
    subdomain: `site-${e}-${s}`,
    templateName: 'CustomerSelfServicePortal',
    status: 'OperationComplete',
    type: 'Production',
    websiteRecordId: randomUUID(),
  })),
);
const roles = Object.fromEntries(environments.map((e) => [e.alias, ['System Administrator']]));
const scenario = {
  name: 'alerts-bench',
  tenants: [{ id: tenantId, name: 'Contoso' }],
  environments,
  users: [
    {
      id: 'a11ce000-0000-4000-8000-000000000001',
      tenantId,
      userPrincipalName: 'alice@contoso.com',
      displayName: 'Alice Admin',
      securityRoles: roles,
    },
  ],
  apps: [
    {
      clientId: 'portalops-app',
      tenantId,
      clientSecret: 'simulator-secret',
      displayName: 'PortalOps',
      securityRoles: roles,
    },
  ],
  sites,
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'portalops-bench-'));
const scenarioFile = path.join(dataDir, 'scenario.yml');
writeFileSync(scenarioFile, stringify(scenario));
const runtime = await createRuntime(
  loadConfig({
    PORTALOPS_DATA_DIR: dataDir,
    PORTALOPS_SIMULATOR_PORT: '0',
    PORTALOPS_SIMULATOR_SCENARIO: scenarioFile,
    PORTALOPS_LOG_LEVEL: 'silent',
    PORTALOPS_ALERT_INTERVAL_MS: String(INTERVAL_MS),
  }),
  { logger: silentLogger() },
);
const world = runtime.simulator!.world;
const chat = createChat(runtime);

/** The team's channel: records when each alert arrives. */
const arrivals: { at: number; title: string }[] = [];
const channel: ChatSurface = {
  name: 'bench',
  async post(_conversation: ConversationRef, view: View) {
    if (view.type === 'alert') arrivals.push({ at: performance.now(), title: view.title });
    return randomUUID();
  },
  async update() {},
};
chat.core.register(channel);
for (const env of environments) {
  await chat.subscriptions.subscribe({
    surface: 'bench',
    conversationId: 'ops',
    environment: env.alias,
    conditions: [],
    by: 'bench',
  });
}

const started = performance.now();
chat.alerts.start();
// The first poll sees every site healthy.
while (chat.alerts.listCalls.size < ENVIRONMENTS) await new Promise((r) => setTimeout(r, 20));

const chosen = [...sites].sort(() => Math.random() - 0.5).slice(0, FAILURES);
const injected = new Map<string, number>();
await Promise.all(
  chosen.map(
    (site) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          const env = environments.find((e) => e.alias === site.environment)!;
          // A failed provisioning, or a package install that failed ("Getting set up").
          const simulated = world.site(env.id, site.id)!;
          if (Math.random() < 0.5) simulated.status = 'OperationFailed';
          else simulated.packageInstallStatus = 'InstallFailed';
          injected.set(site.subdomain, performance.now());
          resolve();
        }, Math.random() * INJECT_OVER_MS),
      ),
  ),
);
const deadline = performance.now() + INTERVAL_MS * 4;
while (arrivals.length < FAILURES && performance.now() < deadline)
  await new Promise((r) => setTimeout(r, 20));
const elapsedMs = performance.now() - started;
await chat.alerts.stop();

// A restarted bot polling the same sites posts nothing again.
const before = arrivals.length;
const { AlertCenter } = await import('../src/alerts/alert-center.ts');
const again = new AlertCenter({
  store: runtime.store,
  registry: runtime.registry,
  powerPages: runtime.powerPages,
  engine: runtime.engine,
  subscriptions: chat.subscriptions,
  surface: (name) => chat.core.surface(name),
  conversation: (surface, id) => chat.core.conversationRef(surface, id),
  intervalMs: INTERVAL_MS,
  busyIntervalMs: INTERVAL_MS,
  warnDays: 7,
});
await again.pollOnce();
const repeatedAfterRestart = arrivals.length - before;

const detect: number[] = [];
const perSite = new Map<string, number>();
for (const a of arrivals) {
  const subdomain = /(site-\d+-\d+)/.exec(a.title)?.[1];
  if (!subdomain) continue;
  perSite.set(subdomain, (perSite.get(subdomain) ?? 0) + 1);
  const at = injected.get(subdomain);
  if (at !== undefined && perSite.get(subdomain) === 1) detect.push((a.at - at) / 1000);
}
const duplicateAlerts = [...perSite.values()].reduce((sum, n) => sum + (n - 1), 0) + repeatedAfterRestart;
// The first poll opens the window; every later call falls in one of its intervals.
const intervals = elapsedMs / INTERVAL_MS;
const calls = [...chat.alerts.listCalls.values()];
const callsPerIntervalPerEnv = (Math.max(...calls) - 1) / intervals;

await chat.stop();
await runtime.close();
rmSync(dataDir, { recursive: true, force: true });

const p99 = percentile(detect, 99);
console.log(
  JSON.stringify({
    sites: sites.length,
    environments: ENVIRONMENTS,
    failuresInjected: FAILURES,
    alertsDetected: detect.length,
    intervalSeconds: INTERVAL_MS / 1000,
    p50DetectSeconds: Number(percentile(detect, 50).toFixed(3)),
    p99DetectSeconds: Number(p99.toFixed(3)),
    p99OverIntervalSeconds: Number((p99 - INTERVAL_MS / 1000).toFixed(3)),
    callsPerIntervalPerEnv: Number(callsPerIntervalPerEnv.toFixed(3)),
    duplicateAlerts,
  }),
);
