/**
 * Text that people type and sites carry (names, descriptions, platform messages) is shown inert
 * on every surface: no Slack channel ping or disguised link, no live link or mention in a Teams
 * card, no terminal escape sequence — in every field, notification texts included.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../src/chat/slack/slack-app.ts';
import {
  cardActivity,
  messageInvokeResponse,
  teamsCard,
  viewSummary,
} from '../../src/chat/teams/teams-activity.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { validateAdaptiveCard } from '../../src/views/adaptive-validation.ts';
import { renderSlack } from '../../src/views/slack-renderer.ts';
import { renderText } from '../../src/views/text-renderer.ts';
import type { View } from '../../src/views/view.ts';
import { type ChatHarness, startChatHarness } from '../support/chat-harness.ts';
import { type SlackCall, sendSigned, slashCommand, startFakeSlackApi } from '../support/fake-slack.ts';
import { SAMPLE_VIEWS } from '../support/sample-views.ts';
import { waitUntil } from '../support/wait-until.ts';

const SLACK_PING = 'Evil <!channel> <https://evil.example|Sign in>';
const CARD_LINK = '[click](https://evil.example)';
const TERMINAL_LINK = '\u001b]8;;https://evil.example\u0007Sign in\u001b]8;;\u0007\u001b[2J';
const HOSTILE = `${SLACK_PING} ${CARD_LINK} <at>Bob</at> <b>bold</b> &lt; ${TERMINAL_LINK}`;

/** Keys whose values are sent back or chosen by PortalOps, not shown as text. */
const KEPT = new Set(['type', 'verb', 'data', 'style', 'tone', 'approverIds', 'id', 'url', 'value']);

/** The view with every shown text replaced by hostile text, as a site or a person could supply it. */
function hostile<T>(node: T, key?: string): T {
  if (typeof node === 'string') return (key && KEPT.has(key) ? node : HOSTILE) as T;
  if (Array.isArray(node)) return node.map((item) => hostile(item, key)) as T;
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, hostile(v, k)])) as T;
}

/** Facts and results keep a hostile `value`: it is shown. */
function withHostileValues(view: View): View {
  const v = hostile(view);
  if ('facts' in v) v.facts = v.facts.map((f) => ({ ...f, value: HOSTILE }));
  if (v.type === 'job-result') v.result = v.result.map((r) => ({ ...r, value: HOSTILE }));
  return v;
}

const HOSTILE_VIEWS = SAMPLE_VIEWS.map(withHostileValues);

/** Every mrkdwn text of a Slack message, and its fallback `text` (parsed as mrkdwn too). */
function slackMarkdown(message: { text: string; blocks: unknown[] }): string[] {
  const out = [message.text];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'mrkdwn' && typeof record.text === 'string') out.push(record.text);
    Object.values(record).forEach(visit);
  };
  visit(message.blocks);
  return out;
}

describe('Slack: user and site text cannot ping or link', () => {
  it.each(HOSTILE_VIEWS.map((v) => [v.type, v] as const))('%s view', (_type, view) => {
    for (const text of slackMarkdown(renderSlack(view))) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil.example|');
      expect(text).not.toMatch(/<(?!https?:\/\/[^|>]*>)/);
    }
  });

  it('escapes the notification text of a site named to ping the channel', () => {
    const view: View = {
      type: 'site-status',
      environment: 'dev',
      title: `${SLACK_PING} — Configured`,
      facts: [{ label: 'Name', value: SLACK_PING }],
      buttons: [],
    };
    const message = renderSlack(view);
    expect(message.text).toBe('Evil &lt;!channel&gt; &lt;https://evil.example|Sign in&gt; — Configured');
  });

  it('links a site address only as an http(s) address that cannot carry a label', () => {
    const view: View = {
      type: 'site-list',
      environment: 'dev',
      sites: [
        {
          name: 'a',
          subdomain: 'a',
          status: 'Configured',
          type: 'Trial',
          url: 'https://a.example/x|Sign in',
        },
        { name: 'b', subdomain: 'b', status: 'Configured', type: 'Trial', url: 'javascript:alert(1)' },
      ],
    };
    const text = slackMarkdown(renderSlack(view)).join('\n');
    expect(text).toContain('<https://a.example/x%7CSign%20in>');
    expect(text).not.toContain('<javascript:');
  });

  describe('over the Slack app', () => {
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

    it('answers `/portal <!channel> please help` without pinging the channel', async () => {
      const body = slashCommand('U-ALICE', '<!channel> please help', 'trig-ping');
      expect((await sendSigned(url, 'secret', body, 'application/x-www-form-urlencoded')).status).toBe(200);
      const sent = (): SlackCall[] => [...api.of('chat.postMessage'), ...api.of('chat.update')];
      await waitUntil(() => sent().length > 0 || undefined, 5_000, 'an answer');
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const call of sent()) {
        const texts = slackMarkdown({
          text: String(call.body.text ?? ''),
          blocks: (call.body.blocks as unknown[]) ?? [],
        });
        for (const text of texts) expect(text).not.toContain('<!channel>');
      }
    });
  });
});

describe('Teams: user and site text cannot link, mention or carry HTML', () => {
  it.each(HOSTILE_VIEWS.map((v) => [v.type, v] as const))('%s view', (_type, view) => {
    const card = teamsCard(view);
    // Button data is sent back to PortalOps, never shown: everything else is.
    const json = JSON.stringify(cardActivity(card, viewSummary(view)), (key, value) =>
      key === 'data' ? undefined : value,
    );
    expect(json).not.toContain('](https://evil.example)');
    expect(json).not.toContain('<at>');
    expect(json).not.toContain('<b>');
    expect(json).not.toContain('<https://');
    expect(json).not.toContain('&lt;');
    expect(validateAdaptiveCard(card)).toEqual([]);
  });

  it('shows a site named as a link as its text, and its address as the only link', () => {
    const view: View = {
      type: 'site-list',
      environment: 'dev',
      sites: [
        {
          name: CARD_LINK,
          subdomain: 'x',
          status: 'Configured',
          type: 'Trial',
          url: 'https://x.example/(a)',
        },
        { name: 'y', subdomain: 'y', status: 'Configured', type: 'Trial', url: 'javascript:alert(1)' },
      ],
    };
    const json = JSON.stringify(teamsCard(view));
    expect(json).not.toContain(CARD_LINK);
    expect(json).toContain('[click]\\u200b(https://evil.example)'.replace('\\u200b', '\u200b'));
    expect(json).toContain('(https://x.example/%28a%29)');
    expect(json).not.toContain('](javascript:');
  });

  it('keeps what inputs and buttons send back exactly as it was', () => {
    const form = SAMPLE_VIEWS.find((v) => v.type === 'form')!;
    const view = { ...form, inputs: form.inputs.map((i) => ({ ...i, value: '<b>[a](b)</b>' })) } as View;
    expect(JSON.stringify(teamsCard(view))).toContain('"value":"<b>[a](b)</b>"');
  });

  it('neutralises the notification summary and the toast of a refused click', () => {
    expect(viewSummary({ type: 'message', text: `${CARD_LINK} <at>Bob</at>` })).not.toMatch(/\]\(|<at>/);
    expect(JSON.stringify(messageInvokeResponse(`No: ${CARD_LINK}`))).not.toContain('](');
  });
});

describe('terminal: user and site text cannot drive the terminal', () => {
  it.each(HOSTILE_VIEWS.map((v) => [v.type, v] as const))('%s view', (_type, view) => {
    const { text, buttons } = renderText(view);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the test
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    for (const b of buttons) expect(JSON.stringify(b.data)).not.toContain('\ufffd');
  });
});
