import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../src/chat/terminal/terminal-chat.ts';
import { type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

describe('terminal chat', () => {
  let h: ChatHarness;
  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(() => h.close());

  it('lets one session ask for a reset, confirm it, switch to an approver and approve it', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const session = runTerminalChat(h.core, { as: 'alice@contoso.com', input, output });
    const type = async (line: string, expectAfter?: RegExp) => {
      input.write(`${line}\n`);
      if (expectAfter)
        await waitUntil(() => expectAfter.test(printed), 5_000, `output matching ${expectAfter}`);
    };
    await type('reset contoso-dev in dev', /\[1\] Reset {3}\[2\] Cancel/);
    await type('1');
    await type('contoso-dev', /\[3\] Approve {3}\[4\] Reject/);
    await type('/as bob@contoso.com', /You are now bob@contoso.com/);
    await type('3', /Approved by Bob/);
    const job = h.engine.list({ kind: 'reset' })[0]!;
    expect((await h.finished(job.id)).state).toBe('succeeded');
    await waitUntil(() => /✔ J-\w{5} Reset contoso-dev in dev: succeeded/.test(printed));
    input.end('/quit\n');
    await session;
  });
});
