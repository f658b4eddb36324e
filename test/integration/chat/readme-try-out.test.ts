/**
 * README's "Chat with it in the terminal" walkthrough, typed as README says, does what README
 * says: the requests it names are answered as described and the reset is seen through by two
 * people. The strings are read from README, so the test fails when README's examples change.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../src/chat/terminal/terminal-chat.ts';
import { type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

const README = readFileSync('README.md', 'utf8');
const section = README.slice(
  README.indexOf('## Chat with it in the terminal'),
  README.indexOf('\n## ', README.indexOf('## Chat with it in the terminal') + 5),
);

describe("README's terminal walkthrough", () => {
  let h: ChatHarness;
  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(() => h.close());

  it('answers each request README names as README says', async () => {
    const examples: [string, RegExp][] = [
      ['sites in dev', /Sites in dev:[\s\S]*Contoso Broken \(contoso-broken\)/],
      [
        "what's going on with contoso-broken",
        /Contoso Broken \(contoso-broken\) in dev[\s\S]*Provisioning failed/,
      ],
      [
        'provision a partner portal in dev',
        /Provision a site[\s\S]*Site name\*:[\s\S]*Template\*: PartnerPortal/,
      ],
    ];
    for (const [example] of examples) expect(section).toContain(`\`${example}\``);
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const session = runTerminalChat(h.core, { as: 'alice@contoso.com', input, output });
    for (const [example, answer] of examples) {
      const before = printed.length;
      input.write(`${example}\n`);
      await waitUntil(() => answer.test(printed.slice(before)), 10_000, `the answer to "${example}"`);
    }
    input.end('/quit\n');
    await session;
  });

  it('sees a reset through: the typed site name confirms, /as bob approves it', async () => {
    expect(section).toContain('`reset contoso-dev in dev`');
    expect(section).toContain('`/as bob@contoso.com`');
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const session = runTerminalChat(h.core, { as: 'alice@contoso.com', input, output });
    const type = async (line: string, expectAfter: RegExp) => {
      input.write(`${line}\n`);
      await waitUntil(() => expectAfter.test(printed), 10_000, `output matching ${expectAfter}`);
    };
    await type('reset contoso-dev in dev', /\[1\] Reset {3}\[2\] Cancel/);
    await type('contoso-dev', /\[5\] Cancel/);
    await type('/as bob@contoso.com', /You are now bob@contoso.com/);
    const approve = /\[(\d+)\] Approve/.exec(printed)![1]!;
    await type(approve, /Approved by Bob/);
    await waitUntil(() => /✔ J-\w{5} Reset contoso-dev in dev: succeeded/.test(printed), 20_000, 'the reset');
    // README: "`[5] Cancel` stays `5` while its job runs".
    expect(section).toContain('`[5] Cancel` stays `5`');
    expect(new Set([...printed.matchAll(/\[(\d+)\] Cancel/g)].map((m) => m[1]).slice(1))).toEqual(
      new Set(['5']),
    );
    input.end('/quit\n');
    await session;
  });
});
