/**
 * Help as people see it: grouped by task, only what the asker may run, examples that name their
 * own environments and sites (and that the parser reads as the command they illustrate), buttons
 * that send the next step, and placeholders when the platform does not answer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helpView } from '../../../src/commands/help.ts';
import { COMMANDS } from '../../../src/commands/registry.ts';
import { parseIntent } from '../../../src/intents/parser.ts';
import { LOCAL_POLICY, Policy } from '../../../src/policy/policy.ts';
import { renderAdaptiveCard } from '../../../src/views/adaptive-renderer.ts';
import { renderSlack, SLACK_LIMITS } from '../../../src/views/slack-renderer.ts';
import { renderText } from '../../../src/views/text-renderer.ts';
import { alice, type ChatHarness, carol, dave, startChatHarness } from '../../support/chat-harness.ts';

describe('help', () => {
  let h: ChatHarness;
  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(() => h.close());

  const helpFor = async (who: typeof alice) => {
    await h.say(who, 'help');
    return h.surface.last('help')!.view;
  };
  const examplesOf = (view: Awaited<ReturnType<typeof helpFor>>, title: string) =>
    view.groups.flatMap((g) => g.commands).find((c) => c.title === title)?.examples ?? [];

  it('groups what an admin may run by task, with examples naming real sites in the state each command takes', async () => {
    const view = await helpFor(alice);
    expect(view.groups.map((g) => g.title).slice(0, 3)).toEqual([
      'See what is there',
      'Create and fix sites',
      'Move configuration',
    ]);
    expect(view.intro).toMatch(/You are admin in dev, test and prod/);
    const sites = (await h.deps.powerPages.listWebsites(h.registry.get('dev').environmentId)).map(
      (s) => s.subdomain,
    );
    expect(examplesOf(view, 'Restart provisioning')).toEqual(['restart provisioning contoso-broken in dev']);
    expect(examplesOf(view, 'Retry the package install')).toEqual([
      'retry the package install for contoso-setup in dev',
    ]);
    const reset = examplesOf(view, 'Reset a site')[0]!;
    expect(sites).toContain(/^reset (\S+) in dev$/.exec(reset)?.[1]);
    expect(view.notes).toEqual([]);
    expect(view.buttons.map((b) => b.label)).toEqual([
      'Sites in dev',
      "What's wrong with contoso-broken",
      'Provision a site',
      'Alerts here',
    ]);
  });

  it('shows a viewer only what they may run, and an operator examples set where they operate', async () => {
    const forDave = await helpFor(dave);
    const titles = forDave.groups.flatMap((g) => g.commands.map((c) => c.title));
    expect(titles).toContain('List sites');
    expect(titles).not.toContain('Reset a site');
    expect(titles).not.toContain('Provision a site');
    expect(titles).not.toContain('Approve a request');
    expect(titles).toContain('Who can approve');
    expect(forDave.buttons.map((b) => b.label)).not.toContain('Provision a site');

    const forCarol = await helpFor(carol);
    expect(forCarol.intro).toMatch(/operator in dev and test/);
    expect(examplesOf(forCarol, 'Reset a site')[0]).toMatch(/ in (dev|test)$/);
    expect(examplesOf(forCarol, 'Migrate configuration')[0]).toMatch(/^migrate (dev|test) to (dev|test) /);
  });

  it('gives examples the parser reads as the command they illustrate', async () => {
    const deps = {
      engine: h.engine,
      approvals: h.approvals,
      policy: new Policy(LOCAL_POLICY),
      registry: h.registry,
      environments: h.deps.environments,
      powerPages: h.deps.powerPages,
      now: Date.now,
    };
    const view = await helpView({ user: alice, deps }, COMMANDS);
    const environments = h.registry.entries.map((e) => e.alias);
    const kindOf = new Map(COMMANDS.map((c) => [c.title, c.kind]));
    const misread: string[] = [];
    for (const command of view.groups.flatMap((g) => g.commands)) {
      for (const example of command.examples.filter((e) => !e.includes('<'))) {
        const intent = parseIntent(example, { environments });
        if (intent.kind !== kindOf.get(command.title)) misread.push(`${example} → ${intent.kind}`);
      }
    }
    expect(misread).toEqual([]);
  });

  it('still answers when the platform does not, naming the environments and keeping placeholders', async () => {
    const listWebsites = h.deps.powerPages.listWebsites.bind(h.deps.powerPages);
    h.deps.powerPages.listWebsites = async (id) => {
      if (id === h.registry.get('dev').environmentId) throw new Error('connect ECONNREFUSED');
      return listWebsites(id);
    };
    const view = await helpFor(alice);
    expect(view.notes).toEqual(['I could not list the sites of dev just now, so examples there say <site>.']);
    // Examples move to an environment that answered where one has the site they need.
    expect(examplesOf(view, 'Reset a site')[0]).toMatch(/^reset \S+ in (test|prod)$/);
    expect(examplesOf(view, 'List sites')).toEqual(['sites in dev']);
  });

  it('fits one Teams message and one Slack message for the asker with the most commands', async () => {
    const view = await helpFor(alice);
    const card = renderAdaptiveCard(view);
    // Teams counts the payload as UTF-16; PortalOps keeps every card under 28 KB.
    expect(JSON.stringify(card).length * 2).toBeLessThan(28 * 1024);
    expect((card.actions as { title: string }[]).map((a) => a.title)).toEqual(
      view.buttons.map((b) => b.label),
    );
    const slack = renderSlack(view);
    expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const block of slack.blocks) {
      const text = (block as { text?: { text: string } }).text?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
      expect(text).not.toMatch(/…$/);
    }
    expect(renderText(view).buttons.map((b) => b.label)).toEqual(view.buttons.map((b) => b.label));
  });
});
