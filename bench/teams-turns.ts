/**
 * Teams turn benchmark: 500 message activities at concurrency 50 posted to `/api/messages` of
 * the running bot (local mode, embedded simulator), replies going to a fake Bot Connector.
 * Turn latency is from posting an activity to its reply reaching the connector. Prints
 * percentiles, activities that got no reply (`lost`) and replies beyond the first (`duplicated`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createChat } from '../src/chat/create-chat.ts';
import { createTeamsApp } from '../src/chat/teams/teams-app.ts';
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { createRuntime } from '../src/main.ts';
import { ask, mainThreadCpuMs, percentile, startSimulatorProcess } from './lib/shared.ts';

const ACTIVITIES = 500;
const CONCURRENCY = 50;
const TEXTS = ['sites in dev', 'templates', 'help', 'status of contoso-dev in dev', 'jobs'];

/**
 * Teams' side, in its own thread (it is another service): the fake connector that receives the
 * bot's replies, and the sender that posts the activities and times each turn.
 */
const TEAMS_SIDE = `
const { parentPort } = require('node:worker_threads');
const { Agent, createServer, request } = require('node:http');
const waiting = new Map();
const replies = new Map();
let nextId = 0;
const connector = createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => { raw += c; });
  req.on('end', () => {
    const m = /^\\/v3\\/conversations\\/([^/]+)\\/activities(?:\\/([^/]+))?$/.exec(req.url.split('?')[0]);
    if (req.method === 'GET') {
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify({ id: 'u', name: 'Alice Admin', email: 'alice@contoso.com' }));
    }
    const replyTo = m && m[2] ? decodeURIComponent(m[2]) : undefined;
    if (replyTo) {
      replies.set(replyTo, (replies.get(replyTo) || 0) + 1);
      const w = waiting.get(replyTo);
      if (w) { waiting.delete(replyTo); w(); }
    }
    res.statusCode = req.method === 'POST' ? 201 : 200;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ id: 'reply-' + (nextId++) }));
  });
});
connector.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'ready', url: 'http://127.0.0.1:' + connector.address().port + '/' }));
function post(agent, url, activity) {
  const body = JSON.stringify(activity);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}
parentPort.on('message', async (message) => {
  if (message.type === 'stop') { connector.close(); connector.closeAllConnections(); parentPort.close(); }
  if (message.type === 'counts') parentPort.postMessage({ type: 'counts', replies: [...replies.entries()] });
  if (message.type === 'load') {
    const { url, concurrency, activities } = message;
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    // Connections first: what is timed is the bot's turn, not TCP set-up.
    await Promise.all(Array.from({ length: concurrency }, () => post(agent, url.replace('/api/messages', '/healthz'), {}).catch(() => 0)));
    const results = [];
    let next = 0;
    async function lane() {
      while (next < activities.length) {
        const activity = activities[next++];
        const started = performance.now();
        // Given up on after 30 s; the timer goes as soon as the reply arrives, so it does not
        // keep the process alive after the last turn.
        const replied = new Promise((resolve) => {
          const timer = setTimeout(resolve, 30000);
          waiting.set(activity.id, () => { clearTimeout(timer); resolve(); });
        });
        const status = await post(agent, url, activity);
        await replied;
        results.push({ id: activity.id, status, ms: performance.now() - started });
      }
    }
    await Promise.all(Array.from({ length: concurrency }, lane));
    agent.destroy();
    parentPort.postMessage({ type: 'results', results });
  }
});
`;

const dataDir = mkdtempSync(path.join(tmpdir(), 'portalops-bench-'));
// The Power Platform is another machine: its simulator runs in a process of its own.
const { port: simulatorPort, process: simulatorProcess } = await startSimulatorProcess();
const runtime = await createRuntime(
  loadConfig({
    PORTALOPS_DATA_DIR: dataDir,
    PORTALOPS_SIMULATOR_PORT: simulatorPort,
    PORTALOPS_LOG_LEVEL: 'silent',
  }),
  { logger: silentLogger(), reuseRunningSimulator: true },
);
const chat = createChat(runtime);
const teamsSide = new Worker(TEAMS_SIDE, { eval: true });
const { url: serviceUrl } = await new Promise<{ url: string }>((resolve) =>
  teamsSide.once('message', resolve),
);
const teams = createTeamsApp({ core: chat.core, store: runtime.store, logger: silentLogger() });
const url = await teams.start(0, '127.0.0.1');

const activity = (i: number, text: string) => ({
  type: 'message',
  id: `bench-${i}`,
  channelId: 'msteams',
  serviceUrl,
  timestamp: new Date().toISOString(),
  from: { id: `29:user-${i % 20}`, name: 'Alice Admin' },
  recipient: { id: '28:portalops', name: 'PortalOps' },
  conversation: { id: `conv-${i % 50}`, conversationType: 'personal', tenantId: 't' },
  text,
});

// A running bot has answered many turns before the load arrives: warm it with a full load first
// (the cold first burst is measured separately and reported as coldP99Ms).
const warmUp = Array.from({ length: ACTIVITIES }, (_, i) => activity(-1 - i, TEXTS[i % TEXTS.length]!));
const { results: coldResults } = await ask<{ results: { id: string; status: number; ms: number }[] }>(
  teamsSide,
  { type: 'load', url, concurrency: CONCURRENCY, activities: warmUp },
  'results',
);

const activities = Array.from({ length: ACTIVITIES }, (_, i) => activity(i, TEXTS[i % TEXTS.length]!));
const started = performance.now();
const cpuBefore = mainThreadCpuMs();
const { results } = await ask<{ results: { id: string; status: number; ms: number }[] }>(
  teamsSide,
  { type: 'load', url, concurrency: CONCURRENCY, activities },
  'results',
);
const seconds = (performance.now() - started) / 1000;
const cpuAfter = mainThreadCpuMs();
await new Promise((resolve) => setTimeout(resolve, 500));
const counts = new Map(
  (await ask<{ replies: [string, number][] }>(teamsSide, { type: 'counts' }, 'counts')).replies,
);
let lost = 0;
let duplicated = 0;
for (const a of activities) {
  const n = counts.get(a.id) ?? 0;
  if (n === 0) lost++;
  if (n > 1) duplicated += n - 1;
}
const latencies = results.map((r) => r.ms);

await teams.stop();
await chat.stop();
teamsSide.postMessage({ type: 'stop' });
await runtime.close();
simulatorProcess.kill();
rmSync(dataDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    activities: ACTIVITIES,
    concurrency: CONCURRENCY,
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    maxMs: Number(Math.max(...latencies).toFixed(2)),
    coldP99Ms: Number(
      percentile(
        coldResults.map((r) => r.ms),
        99,
      ).toFixed(2),
    ),
    non2xx: results.filter((r) => r.status < 200 || r.status >= 300).length,
    lost,
    duplicated,
    seconds: Number(seconds.toFixed(2)),
    // The bot's main-thread CPU per turn during the measured load (Linux only).
    ...(cpuBefore !== undefined && cpuAfter !== undefined
      ? { cpuMsPerTurn: Number(((cpuAfter - cpuBefore) / ACTIVITIES).toFixed(3)) }
      : {}),
  }),
);
