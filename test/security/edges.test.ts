/**
 * The edges an attacker or an unlucky operator reaches first: malformed and oversized Teams
 * requests, a platform asking to wait an hour, a Slack request stamped in the future, a secret
 * in the wrong variable, a port already taken.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CappedWaitWebClient } from '../../src/chat/slack/rate-limit-waits.ts';
import { createSlackApp, type SlackApp } from '../../src/chat/slack/slack-app.ts';
import { throttleWaitMs } from '../../src/chat/teams/connector-retry.ts';
import { startPlayground } from '../../src/chat/teams/playground.ts';
import { createTeamsApp, type TeamsApp } from '../../src/chat/teams/teams-app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { isPortalOpsError, PortalOpsError } from '../../src/domain/errors.ts';
import { JobEngine } from '../../src/jobs/engine.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { DataverseClient } from '../../src/platform/dataverse/dataverse-client.ts';
import { retryDelay } from '../../src/platform/http/retry-policy.ts';
import { startSimulator } from '../../src/simulator/simulator.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { jobView } from '../../src/views/job-views.ts';
import { renderText } from '../../src/views/text-renderer.ts';
import { type ChatHarness, startChatHarness } from '../support/chat-harness.ts';
import { sendSigned, slashCommand, startFakeSlackApi } from '../support/fake-slack.ts';
import { simulatorTokens } from '../support/simulator-token-provider.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { waitUntil } from '../support/wait-until.ts';

/** What an answer must never show: a stack trace or this machine's file paths. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|\n\s+at |<html|<pre>/i);
  expect(text).not.toContain(process.cwd());
  expect(text).not.toContain('node_modules');
}

describe('Teams endpoint: malformed and oversized bodies', () => {
  let h: ChatHarness;
  const apps: TeamsApp[] = [];
  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    await h.close();
  });
  const start = async (withAuth: boolean) => {
    const teams = createTeamsApp({
      core: h.core,
      store: h.store,
      logger: silentLogger(),
      ...(withAuth
        ? {
            credentials: {
              clientId: 'app-id-1',
              tenantId: '11111111-2222-3333-4444-555555555555',
              clientSecret: 's',
            },
          }
        : {}),
    });
    apps.push(teams);
    return teams.start(0, '127.0.0.1');
  };
  const post = async (url: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };

  it('with Teams auth on, refuses malformed and 2 MB JSON for its token before reading it', async () => {
    const url = await start(true);
    const big = JSON.stringify({ type: 'message', text: 'x'.repeat(2 * 1024 * 1024) });
    for (const body of ['{"type": "message", ', big]) {
      const headerSets: Record<string, string>[] = [{}, { Authorization: 'Bearer not.a.token' }];
      for (const headers of headerSets) {
        const answer = await post(url, body, headers);
        expect(answer.status).toBe(401);
        expect(answer.type).toMatch(/json/);
        expectNoInternals(answer.text);
      }
    }
  });

  it('answers a malformed or oversized body as short JSON, without a stack trace or paths', async () => {
    const url = await start(false);
    const malformed = await post(url, '{"type": "message", ');
    expect(malformed.status).toBe(400);
    expect(malformed.type).toMatch(/json/);
    expect(JSON.parse(malformed.text)).toEqual({
      error: { code: 'BadRequest', message: 'The request body is not valid JSON.' },
    });
    const big = await post(url, JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.type).toMatch(/json/);
    expectNoInternals(malformed.text + big.text);
    const elsewhere = await fetch(url.replace('/api/messages', '/nothing'));
    expect(elsewhere.headers.get('content-type')).toMatch(/json/);
  });

  it('answers a body that is not one JSON activity, and a GET, with short JSON that says what to send', async () => {
    const url = await start(false);
    const asText = await post(url, 'hello', { 'Content-Type': 'text/plain' });
    expect(asText.status).toBe(415);
    expect(JSON.parse(asText.text).error.message).toMatch(/application\/json/);
    const list = await post(url, '[{"type":"message"}]');
    expect(list.status).toBe(400);
    expect(JSON.parse(list.text).error.message).toMatch(/one activity/);
    const get = await fetch(url);
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual({
      error: { code: 'NotFound', message: 'PortalOps serves POST /api/messages.' },
    });
    expectNoInternals(asText.text + list.text);
  });
});

describe('Retry-After: capped, and a long wait shown on the job', () => {
  it('never waits longer than the configured maximum, whatever Retry-After asks', () => {
    expect(retryDelay(1, '3600', { maxBackoffMs: 30_000 })).toBe(30_000);
    expect(retryDelay(1, new Date(Date.now() + 3_600_000).toUTCString(), { maxBackoffMs: 5_000 })).toBe(
      5_000,
    );
    const throttled = { status: 429, response: { status: 429, headers: { 'retry-after': '3600' } } };
    expect(throttleWaitMs(throttled, 1, 2_000)).toBe(2_000);
  });

  it('Slack Web API calls wait at most the cap when Slack names an hour', async () => {
    let calls = 0;
    const slackApi = createHttpServer((_req, res) => {
      calls++;
      res.setHeader('Content-Type', 'application/json');
      if (calls === 1) {
        res.writeHead(429, { 'Retry-After': '3600' }).end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      res.end('{"ok":true,"channel":"C-OPS","ts":"1.2"}');
    });
    await new Promise<void>((resolve) => slackApi.listen(0, '127.0.0.1', resolve));
    const { port } = slackApi.address() as { port: number };
    try {
      const client = new CappedWaitWebClient(
        'xoxb-test',
        { slackApiUrl: `http://127.0.0.1:${port}/api/`, retryConfig: { retries: 0 } },
        200,
      );
      const started = Date.now();
      const result = await client.chat.postMessage({ channel: 'C-OPS', text: 'hi' });
      expect(result.ok).toBe(true);
      expect(calls).toBe(2);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await new Promise((resolve) => slackApi.close(resolve));
    }
  });

  it('hands an hour-long Retry-After back at once instead of sitting through it', async () => {
    const sim = await startSimulator();
    try {
      sim.faults.add({
        service: 'dataverse',
        method: 'GET',
        effect: { status: 429, code: '0x80072322', retryAfterSeconds: 3600 },
      });
      const client = new DataverseClient({
        dataverseUrl: sim.dataverseUrl('dev'),
        tokenProvider: simulatorTokens(sim),
        timeoutMs: 2_000,
        maxRetries: 3,
        maxBackoffMs: 30_000,
      });
      const started = Date.now();
      const error = await client.query('adx_webpages', { top: 1 }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(isPortalOpsError(error) && error.code).toBe('throttled');
      expect((error as PortalOpsError).details).toMatchObject({
        retryAfterSeconds: 3600,
        service: 'Dataverse',
      });
    } finally {
      await sim.close();
    }
  });

  it('shows who asked to wait and when the job goes on, on the job card', async () => {
    const temp = makeTempDir();
    const store = await LowdbStore.open(temp.dir);
    const now = Date.parse('2026-12-01T10:40:00Z');
    let attempts = 0;
    const engine = new JobEngine<Record<string, never>>({
      store,
      deps: {},
      now: () => now,
      pollIntervalMs: 20,
      retry: { maxAttempts: 2, baseMs: 5, maxMs: 120_000 },
      kinds: [
        {
          kind: 'import',
          title: () => 'Import contoso',
          steps: () => [
            {
              id: 'write',
              title: 'Write the records',
              run: async () => {
                attempts++;
                throw new PortalOpsError('throttled', 'Dataverse could not write records: slow down', {
                  retryable: true,
                  details: { retryAfterSeconds: 300, service: 'Dataverse' },
                });
              },
            },
          ],
        },
      ],
    });
    try {
      engine.start();
      const job = await engine.submit({
        kind: 'import',
        params: {},
        requester: { id: 'alice' },
        siteKey: 'dev/x',
      });
      const waiting = await waitUntil(
        () => {
          const current = engine.get(job.id);
          return current?.progress?.detail ? current : undefined;
        },
        5_000,
        'the wait on the job',
      );
      expect(attempts).toBe(1);
      const card = renderText(jobView(waiting)).text;
      expect(card).toContain('Dataverse asked us to wait 5 min; trying again at 10:42:00 UTC');
    } finally {
      await engine.stop();
      await store.close();
      temp.remove();
    }
  });
});

describe('Slack: request timestamps', () => {
  let h: ChatHarness;
  let api: Awaited<ReturnType<typeof startFakeSlackApi>>;
  let slack: SlackApp;
  let url: string;
  beforeEach(async () => {
    h = await startChatHarness();
    api = await startFakeSlackApi();
    slack = createSlackApp({
      core: h.core,
      signingSecret: 'secret',
      botToken: 'xoxb-test',
      slackApiUrl: api.url,
      logger: silentLogger(),
    });
    url = (await slack.start(0, '127.0.0.1'))!;
  });
  afterEach(async () => {
    await slack.stop();
    await h.close();
    await api.close();
  });

  it('refuses a correctly signed request stamped an hour in the future, or an hour ago', async () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const send = (timestamp: number, trigger: string) =>
      sendSigned(
        url,
        'secret',
        slashCommand('U-ALICE', 'help', trigger),
        'application/x-www-form-urlencoded',
        {
          timestamp,
        },
      );
    expect((await send(nowSeconds + 3600, 'trig-future')).status).toBe(401);
    expect((await send(nowSeconds + 6 * 60, 'trig-soon')).status).toBe(401);
    expect((await send(nowSeconds - 3600, 'trig-past')).status).toBe(401);
    expect((await send(nowSeconds + 60, 'trig-skewed')).status).toBe(200);
    await waitUntil(() => api.of('chat.postMessage')[0], 5_000, 'the answer to the fresh request');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.of('users.info').map((c) => c.body.user)).toEqual(['U-ALICE']);
  });
});

describe('configuration errors never echo a secret', () => {
  it('names SLACK_BOT_TOKEN and the shape it wants, not the user token given', () => {
    const token = 'xoxp-1234567890-0987654321-abcdefabcdef';
    let error: unknown;
    try {
      loadConfig({
        SLACK_BOT_TOKEN: token,
        SLACK_SIGNING_SECRET: 'signing',
        SLACK_APP_TOKEN: 'xoxb-wrong-kind',
      });
    } catch (e) {
      error = e;
    }
    expect(isPortalOpsError(error) && error.code).toBe('config_invalid');
    const shown = `${(error as Error).message} ${JSON.stringify((error as PortalOpsError).details)}`;
    expect(shown).toContain('SLACK_BOT_TOKEN');
    expect(shown).toContain('xoxb-');
    expect(shown).toContain('SLACK_APP_TOKEN');
    expect(shown).not.toContain('1234567890');
    expect(shown).not.toContain('xoxb-wrong-kind');
  });

  it('still quotes an ordinary setting, so a typo is easy to spot', () => {
    expect(() => loadConfig({ PORTALOPS_LOG_LEVEL: 'loud' })).toThrow(/PORTALOPS_LOG_LEVEL="loud"/);
  });
});

describe('a port already taken', () => {
  let holder: Server;
  let port: number;
  beforeEach(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as { port: number }).port;
  });
  afterEach(async () => {
    await new Promise((resolve) => holder.close(resolve));
  });

  const refusal = async (start: () => Promise<unknown>) => {
    const error = await start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPortalOpsError(error) && error.code).toBe('port_in_use');
    expect((error as Error).message).not.toMatch(/Cannot read properties/);
    return (error as Error).message;
  };

  it('Teams names TEAMS_PORT', async () => {
    const h = await startChatHarness();
    const teams = createTeamsApp({ core: h.core, store: h.store, logger: silentLogger() });
    try {
      const message = await refusal(() => teams.start(port, '127.0.0.1'));
      expect(message).toContain(`127.0.0.1:${port}`);
      expect(message).toContain('TEAMS_PORT');
    } finally {
      await teams.stop();
      await h.close();
    }
  });

  it('Slack names SLACK_PORT', async () => {
    const h = await startChatHarness();
    const slack = createSlackApp({
      core: h.core,
      signingSecret: 'secret',
      botToken: 'xoxb-test',
      slackApiUrl: 'http://127.0.0.1:9/api/',
      logger: silentLogger(),
    });
    try {
      expect(await refusal(() => slack.start(port, '127.0.0.1'))).toContain('SLACK_PORT');
    } finally {
      await slack.stop();
      await h.close();
    }
  });

  it('the simulator names PORTALOPS_SIMULATOR_PORT', async () => {
    expect(await refusal(() => startSimulator({ port, host: '127.0.0.1' }))).toContain(
      'PORTALOPS_SIMULATOR_PORT',
    );
  });

  it('the Agents Playground names PORTALOPS_PLAYGROUND_PORT', async () => {
    const temp = makeTempDir();
    try {
      const message = await refusal(() =>
        startPlayground({
          cli: '/nonexistent/cli.js',
          endpoint: 'http://127.0.0.1:3978/api/messages',
          port,
          workDir: temp.dir,
          env: {},
          logger: silentLogger(),
        }),
      );
      expect(message).toContain('PORTALOPS_PLAYGROUND_PORT');
    } finally {
      temp.remove();
    }
  });
});
