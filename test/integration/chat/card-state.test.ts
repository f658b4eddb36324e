import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardStates } from '../../../src/chat/core/card-state.ts';
import { ResponseUrls } from '../../../src/chat/slack/response-urls.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('state kept for cards', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: LowdbStore;
  let now = Date.parse('2026-12-01T08:00:00Z');
  beforeEach(async () => {
    temp = makeTempDir();
    store = await LowdbStore.open(temp.dir);
  });
  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it('gives a short id, serves it to its own conversation only, survives a restart and expires', async () => {
    const states = new CardStates(store, () => now);
    const id = await states.keep('pages', { sites: [1, 2, 3] }, { conversation: 'slack:C1', ttlMs: 60_000 });
    expect(id).toMatch(/^cs-[a-z2-7]{16}$/);
    expect(states.get(id, 'pages', 'slack:C1')).toEqual({ sites: [1, 2, 3] });
    expect(states.get(id, 'pages', 'slack:C2')).toBeUndefined();
    expect(states.get(id, 'button', 'slack:C1')).toBeUndefined();

    await store.close();
    store = await LowdbStore.open(temp.dir);
    const reopened = new CardStates(store, () => now);
    expect(reopened.get(id, 'pages', 'slack:C1')).toEqual({ sites: [1, 2, 3] });

    now += 60_001;
    expect(reopened.get(id, 'pages', 'slack:C1')).toBeUndefined();
    expect(await reopened.sweep()).toBe(1);
    expect(store.collection('cardStates').list()).toEqual([]);
  });
});

describe('answers through a response_url', () => {
  let server: Server;
  let received: unknown[];
  let url: string;
  beforeEach(async () => {
    received = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response/1`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('uses one at most 5 times and not after 30 minutes', async () => {
    let now = 0;
    const responses = new ResponseUrls(() => now);
    for (let i = 0; i < 5; i++) await responses.send(url, { text: `${i}`, blocks: [] });
    expect(responses.usable(url)).toBe(false);
    await expect(responses.send(url, { text: 'sixth', blocks: [] })).rejects.toThrow(/5 times/);
    expect(received).toHaveLength(5);

    const other = `${url}-other`;
    const id = await responses.send(other, { text: 'first', blocks: [] });
    expect(responses.urlOf(id)).toBe(other);
    now += 30 * 60 * 1000;
    expect(responses.usable(other)).toBe(false);
    expect(responses.urlOf(id)).toBeUndefined();
  });
});
