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
import { sendSigned, slashCommand, startFakeSlackApi } from '../test/support/fake-slack.ts';

const COMMANDS = 1_000;
const CONCURRENCY = 100;
const SECRET = 'bench-signing-secret';

/** The sender: signs each body, delivers it twice (the second as a retry), records ack times. */
const LOAD_GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const { Agent, request } = require('node:http');
const { url, secret, concurrency, bodies } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
function post(body, retryNum) {
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
(async () => {
  const results = [];
  let next = 0;
  async function lane() {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (const retryNum of [0, 1]) results.push(await post(body, retryNum));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  agent.destroy();
  parentPort.postMessage(results);
})();
`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'portalops-bench-'));
const runtime = await createRuntime(
  loadConfig({ PORTALOPS_DATA_DIR: dataDir, PORTALOPS_SIMULATOR_PORT: '0', PORTALOPS_LOG_LEVEL: 'silent' }),
  { logger: silentLogger() },
);
const chat = createChat(runtime);
const api = await startFakeSlackApi();
const slack = createSlackApp({
  core: chat.core,
  signingSecret: SECRET,
  botToken: 'xoxb-bench',
  slackApiUrl: api.url,
  logger: silentLogger(),
});
const url = (await slack.start(0, '127.0.0.1'))!;

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
// A running bot has initialised (auth.test, sign-in, first store write) before Slack's burst arrives.
await sendSigned(
  url,
  SECRET,
  slashCommand('U-ALICE', 'help', 'bench-warm-up'),
  'application/x-www-form-urlencoded',
);
while (api.of('chat.postMessage').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
const warmUpReplies = api.of('chat.postMessage').length;

const latencies: number[] = [];
const statuses = new Map<number, number>();
const started = performance.now();
// Slack is another machine: the load comes from its own thread, so its timing is not distorted
// by the bot's event loop, and what it measures is the bot's ack latency under load.
const deliveries = Array.from({ length: COMMANDS }, (_, i) => {
  const body = slashCommand(
    'U-ALICE',
    `provision name="Bench ${i}" subdomain=bench-${i} template=CustomerSelfServiceTemplate in dev`,
    `bench-trigger-${i}`,
  );
  return { body };
});
const results = await new Promise<{ status: number; ms: number }[]>((resolve, reject) => {
  const worker = new Worker(LOAD_GENERATOR, {
    eval: true,
    workerData: { url, secret: SECRET, concurrency: CONCURRENCY, bodies: deliveries.map((d) => d.body) },
  });
  worker.once('message', resolve);
  worker.once('error', reject);
});
for (const result of results) {
  latencies.push(result.ms);
  statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
}
const sentSeconds = (performance.now() - started) / 1000;
loopDelay.disable();

const replyFor = (i: number) => new RegExp(`Provision bench-${i} in dev|bench-${i}\\b`);
const deadline = Date.now() + 120_000;
const repliedCount = () => {
  const texts = api
    .of('chat.postMessage')
    .slice(warmUpReplies)
    .map((c) => `${String(c.body.text)} ${JSON.stringify(c.body.blocks)}`);
  return texts.length;
};
while (repliedCount() < COMMANDS + warmUpReplies && Date.now() < deadline)
  await new Promise((resolve) => setTimeout(resolve, 100));
await new Promise((resolve) => setTimeout(resolve, 500));

const texts = api
  .of('chat.postMessage')
  .slice(warmUpReplies)
  .map((c) => `${String(c.body.text)} ${JSON.stringify(c.body.blocks)}`);
let lostReplies = 0;
for (let i = 0; i < COMMANDS; i++) if (!texts.some((t) => replyFor(i).test(t))) lostReplies++;
const jobs = runtime.engine.list({ kind: 'provision' });
const perSite = new Map<string, number>();
for (const job of jobs) perSite.set(job.siteKey, (perSite.get(job.siteKey) ?? 0) + 1);
const duplicateJobs = [...perSite.values()].reduce((sum, n) => sum + (n - 1), 0);

await chat.stop();
await slack.stop();
await api.close();
await runtime.close();
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
  }),
);
