/**
 * Slack acknowledgement benchmark: 1,000 signed `/portal provision …` commands at concurrency
 * 100, each delivered twice (the second as Slack's retry). Prints ack latency percentiles, jobs
 * created more than once, and commands that never got a reply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createChat } from '../src/chat/create-chat.ts';
import { createSlackApp } from '../src/chat/slack/slack-app.ts';
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { createRuntime } from '../src/main.ts';
import { sendSigned, slashCommand } from '../test/support/fake-slack.ts';
import { ask, mainThreadCpuMs, percentile, startSimulatorProcess } from './lib/shared.ts';

const COMMANDS = 1_000;
const CONCURRENCY = 100;
const SECRET = 'bench-signing-secret';

/**
 * Slack's side, in its own thread (Slack is another machine): a fake Web API that records the
 * bot's replies, and the sender that signs each command and delivers it twice (the second as a
 * retry), recording the time to each acknowledgement.
 */
const SLACK_SIDE = `
const { parentPort } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const { Agent, createServer, request } = require('node:http');
const texts = [];
let ts = 1700000000;
const api = createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => { raw += c; });
  req.on('end', () => {
    const method = req.url.split('/').pop();
    const body = (req.headers['content-type'] || '').includes('json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
    let answer = { ok: true };
    if (method === 'auth.test') answer = { ok: true, user_id: 'U-BOT', bot_id: 'B-BOT', team_id: 'T-1', user: 'portalops' };
    if (method === 'chat.postMessage') { texts.push(String(body.text)); answer = { ok: true, channel: body.channel, ts: (ts++) + '.0001' }; }
    if (method === 'users.info') answer = { ok: true, user: { id: body.user, real_name: 'Alice Admin', profile: { email: 'alice@contoso.com', real_name: 'Alice Admin' } } };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(answer));
  });
});
api.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'ready', apiUrl: 'http://127.0.0.1:' + api.address().port + '/api/' }));
function post(agent, url, secret, body, retryNum) {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = 'v0=' + createHmac('sha256', secret).update('v0:' + timestamp + ':' + body).digest('hex');
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': signature };
  if (retryNum) { headers['X-Slack-Retry-Num'] = String(retryNum); headers['X-Slack-Retry-Reason'] = 'http_timeout'; }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
parentPort.on('message', async (message) => {
  if (message.type === 'count') parentPort.postMessage({ type: 'count', n: texts.length });
  if (message.type === 'texts') parentPort.postMessage({ type: 'texts', texts });
  if (message.type === 'stop') { api.close(); api.closeAllConnections(); parentPort.close(); }
  if (message.type === 'load') {
    const { url, secret, concurrency, bodies } = message;
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    // Open the connections first (a request Slack's signature check refuses), so what is timed is
    // the bot's handling of each delivery, not a burst of TCP connection set-ups.
    await Promise.all(Array.from({ length: concurrency }, () => post(agent, url, 'not-the-secret', 'warm=1', 0)));
    const results = [];
    let next = 0;
    async function lane() {
      while (next < bodies.length) {
        const body = bodies[next++];
        for (const retryNum of [0, 1]) results.push(await post(agent, url, secret, body, retryNum));
      }
    }
    await Promise.all(Array.from({ length: concurrency }, lane));
    agent.destroy();
    parentPort.postMessage({ type: 'results', results });
  }
});
`;

const dataDir = mkdtempSync(path.join(tmpdir(), 'portalops-bench-'));
// The Power Platform is another machine: its simulator runs in a process of its own, so the jobs
// the commands start cost the bot only its own side of their platform calls.
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
const slackSide = new Worker(SLACK_SIDE, { eval: true });
const { apiUrl } = await new Promise<{ apiUrl: string }>((resolve) => slackSide.once('message', resolve));
const slack = createSlackApp({
  core: chat.core,
  signingSecret: SECRET,
  botToken: 'xoxb-bench',
  slackApiUrl: apiUrl,
  logger: silentLogger(),
});
const url = (await slack.start(0, '127.0.0.1'))!;
const replies = async () => (await ask<{ n: number }>(slackSide, { type: 'count' }, 'count')).n;

// A running bot has initialised (auth.test, sign-in, first store write) and handled a few
// commands before Slack's burst arrives.
const warmUps = [
  'help',
  'provision name="Warm up" subdomain=warm-up template=CustomerSelfServicePortal in dev',
];
for (const [i, text] of warmUps.entries())
  await sendSigned(
    url,
    SECRET,
    slashCommand('U-ALICE', text, `bench-warm-up-${i}`),
    'application/x-www-form-urlencoded',
  );
while ((await replies()) < warmUps.length) await new Promise((resolve) => setTimeout(resolve, 10));
const warmUpReplies = await replies();

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const started = performance.now();
const cpuBefore = mainThreadCpuMs();
const bodies = Array.from({ length: COMMANDS }, (_, i) =>
  slashCommand(
    'U-ALICE',
    `provision name="Bench ${i}" subdomain=bench-${i} template=CustomerSelfServicePortal in dev`,
    `bench-trigger-${i}`,
  ),
);
const { results } = await ask<{ results: { status: number; ms: number }[] }>(
  slackSide,
  { type: 'load', url, secret: SECRET, concurrency: CONCURRENCY, bodies },
  'results',
);
const sentSeconds = (performance.now() - started) / 1000;
const cpuAfter = mainThreadCpuMs();
loopDelay.disable();
const latencies = results.map((r) => r.ms);
const statuses = new Map<number, number>();
for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);

const deadline = Date.now() + 120_000;
while ((await replies()) < COMMANDS + warmUpReplies && Date.now() < deadline)
  await new Promise((resolve) => setTimeout(resolve, 100));
await new Promise((resolve) => setTimeout(resolve, 500));
const texts = (await ask<{ texts: string[] }>(slackSide, { type: 'texts' }, 'texts')).texts.slice(
  warmUpReplies,
);
const replyFor = (i: number) => new RegExp(`Provision bench-${i} in dev`);
let lostReplies = 0;
for (let i = 0; i < COMMANDS; i++) if (!texts.some((t) => replyFor(i).test(t))) lostReplies++;
const jobs = runtime.engine.list({ kind: 'provision' }).filter((job) => job.siteKey.includes('bench-'));
const perSite = new Map<string, number>();
for (const job of jobs) perSite.set(job.siteKey, (perSite.get(job.siteKey) ?? 0) + 1);
const duplicateJobs = [...perSite.values()].reduce((sum, n) => sum + (n - 1), 0);

await chat.stop();
await slack.stop();
slackSide.postMessage({ type: 'stop' });
await runtime.close();
simulatorProcess.kill();
rmSync(dataDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    commands: COMMANDS,
    deliveries: latencies.length,
    concurrency: CONCURRENCY,
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    maxMs: Number(Math.max(...latencies).toFixed(2)),
    non200: latencies.length - (statuses.get(200) ?? 0),
    jobsCreated: jobs.length,
    duplicateJobs,
    replies: texts.length,
    lostReplies,
    sendSeconds: Number(sentSeconds.toFixed(2)),
    eventLoopDelayMaxMs: Number((loopDelay.max / 1e6).toFixed(1)),
    eventLoopDelayP99Ms: Number((loopDelay.percentile(99) / 1e6).toFixed(1)),
    // The bot's main-thread CPU per delivery while the deliveries came in (Linux only).
    ...(cpuBefore !== undefined && cpuAfter !== undefined
      ? { cpuMsPerDelivery: Number(((cpuAfter - cpuBefore) / latencies.length).toFixed(3)) }
      : {}),
  }),
);
