import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatRelayServer,
  relayTerminalChat,
  serveTerminalChat,
} from '../../../src/chat/terminal/chat-relay.ts';
import { type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { waitUntil } from '../../support/wait-until.ts';

describe('terminal chat of a running PortalOps, from another terminal', () => {
  let h: ChatHarness;
  let served: ChatRelayServer | undefined;
  let temp: ReturnType<typeof makeTempDir>;
  let dataDir: string;
  beforeEach(async () => {
    h = await startChatHarness();
    temp = makeTempDir('relay-');
    dataDir = temp.dir;
    served = await serveTerminalChat(h.core, dataDir);
  });
  afterEach(async () => {
    await served?.close();
    await h.close();
    temp.remove();
  });

  /** A terminal relayed to the served chat: what it prints, and a way to type. */
  const terminal = (as: string) => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const session = relayTerminalChat({ dataDir, as, input, output });
    return { input, session, printed: () => printed };
  };

  it('answers through the running process, as the person named, until the terminal quits', async () => {
    expect(served?.path).toMatch(/chat\.sock$/);
    const t = terminal('bob@contoso.com');
    t.input.write('sites in test\n');
    await waitUntil(
      () => /Contoso Pilot \(contoso-pilot\) — Suspended/.test(t.printed()),
      5_000,
      'the site list',
    );
    expect(t.printed()).toContain('You are bob@contoso.com.');
    t.input.end('/quit\n');
    expect(await t.session).toBe(true);
  });

  it('finishes the answers to piped input before the connection closes', async () => {
    const t = terminal('alice@contoso.com');
    t.input.end('sites in prod\n');
    expect(await t.session).toBe(true);
    expect(t.printed()).toContain('Contoso (contoso)');
  });

  it('takes one terminal at a time and tells a second one to wait', async () => {
    const first = terminal('alice@contoso.com');
    await waitUntil(() => first.printed().includes('You are alice'), 5_000, 'the first terminal');
    const second = terminal('bob@contoso.com');
    expect(await second.session).toBe(true);
    expect(second.printed()).toMatch(/Another terminal is chatting with this PortalOps/);
    first.input.end('/quit\n');
    await first.session;
  });

  it('says nothing serves the data dir when no PortalOps runs there', async () => {
    const nobody = makeTempDir('nobody-');
    expect(await relayTerminalChat({ dataDir: nobody.dir, as: 'alice@contoso.com' })).toBe(false);
    nobody.remove();
  });
});
