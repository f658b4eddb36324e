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

  it('takes the site name typed at the confirmation, prints each update once and keeps button numbers', async () => {
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
    // No "1" first: the name answers the prompt in front of you.
    await type('contoso-dev', /Confirmed by you/);
    const cancel = /awaiting approval .*\n\s+\[(\d+)\] Cancel/.exec(printed)?.[1];
    expect(cancel).toBeDefined();
    await type('/as bob@contoso.com', /You are now bob@contoso.com/);
    await type('3', /Approved by Bob/);
    const job = h.engine.list({ kind: 'reset' })[0]!;
    expect((await h.finished(job.id)).state).toBe('succeeded');
    await waitUntil(() => /✔ J-\w{5} Reset contoso-dev in dev: succeeded/.test(printed));
    input.end('/quit\n');
    await session;
    // Every state of the job card is printed once, though two messages show the job.
    const lines = printed.split('\n').filter((l) => l.includes(`${job.id} Reset contoso-dev in dev:`));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines, printed).toEqual([...new Set(lines)]);
    // The job's Cancel button kept its number on every redraw.
    const numbers = new Set([...printed.matchAll(/\[(\d+)\] Cancel/g)].map((m) => m[1]).slice(1));
    expect(numbers).toEqual(new Set([cancel]));
  });

  it('says which numbers can be typed when a number is not on screen, and sends a next-step button', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const session = runTerminalChat(h.core, { as: 'dave@contoso.com', input, output });
    input.write('7\n');
    await waitUntil(() => /There is no button 7 on screen/.test(printed), 5_000);
    input.write('help\n');
    await waitUntil(() => /\[\d+\] Sites in dev/.test(printed), 5_000);
    const n = /\[(\d+)\] Sites in dev/.exec(printed)![1];
    input.write(`${n}\n`);
    await waitUntil(() => /you> sites in dev/.test(printed) && /Sites in dev:/.test(printed), 5_000);
    input.end('/quit\n');
    await session;
  });
});
