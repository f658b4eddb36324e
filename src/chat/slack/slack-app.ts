/**
 * The Slack surface on Bolt: the `/portal` slash command, `@PortalOps` mentions and direct
 * messages, buttons and the provision modal. Every request is acknowledged at once; the work
 * happens afterwards and answers through the Web API. Slack's retries take effect once.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Logger } from '../../logging/logger.ts';
import { withPortErrors } from '../../platform/http/listen-on.ts';
import type { Identity } from '../../policy/policy.ts';
import type { ActionVerb } from '../../views/view.ts';
import type { ChatCore } from '../core/chat-core.ts';
import type { ConversationRef } from '../core/surface.ts';
import { createAfterAckQueue } from './after-ack-queue.ts';
import { CappedWaitWebClient } from './rate-limit-waits.ts';
import { type RefusalReason, verifyingSlackRequests } from './signed-requests.ts';
import { FORM_CALLBACK_ID, type FormMetadata, inputValues, readFormMetadata } from './slack-modal.ts';
import { buttonData, withoutLeadingMentions } from './slack-payloads.ts';
import { OPEN_FORM_VERB, SlackSurface } from './slack-surface.ts';
import type { SlackTurn } from './slack-turn.ts';

/** How the Slack app is set up. */
export interface SlackAppOptions {
  core: ChatCore;
  signingSecret: string;
  botToken: string;
  /** With an app-level token the app uses Socket Mode instead of a public URL. */
  appToken?: string;
  /** Web API base (tests point it at a fake on loopback). */
  slackApiUrl?: string;
  /** Longest wait on a rate-limited Web API call, whatever its Retry-After asks (`PORTALOPS_HTTP_MAX_BACKOFF_MS`). */
  maxRateLimitWaitMs?: number;
  logger: Logger;
}

/** A running Slack surface. */
export interface SlackApp {
  app: App;
  surface: SlackSurface;
  /** Serves `/slack/events` (HTTP mode) or connects Socket Mode; resolves with the HTTP URL if any. */
  start(port: number, host: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** What the log says of a request refused before Bolt saw it (never its body). */
const REFUSALS: Record<RefusalReason, string> = {
  unfresh: 'refused a Slack request whose timestamp is more than five minutes from now',
  unsigned: 'refused a Slack request without a signature timestamp',
  bad_signature: 'refused a Slack request whose signature does not match the signing secret',
  too_large: 'refused a Slack request whose body is over 4 MB',
};

/** The default of {@link SlackAppOptions.maxRateLimitWaitMs}. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 30_000;
/** The Events API events the bot answers (besides direct messages). */
const BOT_EVENTS = /^(app_mention|member_joined_channel|app_home_opened|channel_left|group_left)$/;

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Bolt's logger interface over pino; request bodies are never logged. */
function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const strip = (args: unknown[]) =>
    args.map((a) => (typeof a === 'string' ? a.slice(0, 300) : '[object]')).join(' ');
  return {
    debug: (...args) => logger.debug(strip(args)),
    info: (...args) => logger.info(strip(args)),
    warn: (...args) => logger.warn(strip(args)),
    error: (...args) => logger.error(strip(args)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** Field errors of a provision modal that Slack shows next to the fields. */
export function formErrors(
  inputs: Record<string, string>,
  requireSiteFields: boolean,
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (requireSiteFields && !inputs.name) errors.name = 'Give the site a name.';
  const subdomain = inputs.subdomain ?? '';
  if (requireSiteFields && !subdomain) errors.subdomain = 'Choose a subdomain for the site address.';
  else if (subdomain && !SUBDOMAIN.test(subdomain))
    errors.subdomain = 'Use only letters, digits and hyphens (not at the start or end).';
  if (inputs.languageLcid === '1025' || inputs.languageLcid === '1037')
    errors.languageLcid = 'Arabic and Hebrew cannot be a site’s base language.';
  return errors;
}

/** Builds the Bolt app and wires it to the chat core. */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const logger = boltLogger(options.logger);
  const clientOptions = options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {};
  const receiver = options.appToken
    ? undefined
    : new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: '/slack/events',
        processBeforeResponse: false,
        // Checked in front of it, at a fraction of the cost (signed-requests.ts).
        signatureVerification: false,
        logger,
      });
  if (receiver) {
    receiver.requestListener = verifyingSlackRequests(
      receiver.requestListener,
      options.signingSecret,
      (reason) => options.logger.warn(REFUSALS[reason]),
    );
  }
  const app = new App({
    token: options.botToken,
    logger,
    clientOptions,
    // Conversation state lives in the chat core's store; Bolt's in-memory copy would only cost time.
    convoStore: false,
    ...(receiver
      ? { receiver }
      : { appToken: options.appToken!, socketMode: true, signingSecret: options.signingSecret }),
  });
  // Rate-limited calls wait for Slack's Retry-After, at most the configured maximum each time;
  // other failures give up after a few minutes.
  const client = new CappedWaitWebClient(
    options.botToken,
    { ...clientOptions, logger, retryConfig: { retries: 5, factor: 3.86 } },
    options.maxRateLimitWaitMs ?? DEFAULT_RATE_LIMIT_WAIT_MS,
  );
  const surface = new SlackSurface(client, options.core.cardStates, { logger: options.logger });
  options.core.register(surface);

  const people = new Map<string, { at: number; identity: Identity }>();
  const identify = async (userId: string): Promise<Identity> => {
    const cached = people.get(userId);
    if (cached && Date.now() - cached.at < 600_000) return cached.identity;
    let identity: Identity = { id: userId };
    try {
      const info = await client.users.info({ user: userId });
      const profile = info.user?.profile;
      identity = {
        id: userId,
        ...(profile?.email ? { email: profile.email } : {}),
        ...(info.user?.real_name || profile?.real_name
          ? { displayName: info.user?.real_name ?? profile?.real_name ?? userId }
          : {}),
      };
    } catch (error) {
      // Without the users:read.email scope people are known by their Slack id only.
      options.logger.debug({ err: error }, 'users.info unavailable');
    }
    people.set(userId, { at: Date.now(), identity });
    return identity;
  };
  const conversationOf = (channel: string, threadTs?: string, turn?: SlackTurn): ConversationRef => ({
    surface: 'slack',
    conversationId: channel,
    ...(threadTs ? { reference: { threadTs } } : {}),
    ...(turn ? { live: turn } : {}),
  });
  // Work runs after the ack, a few at a time; during a burst the acks go first.
  const queue = createAfterAckQueue({ concurrency: 2, lullMs: 5, maxDeferMs: 1_000 });
  const safely = (work: () => Promise<unknown>) => {
    queue
      .add(work)
      .catch((error: unknown) => options.logger.error({ err: error }, 'Slack request failed after its ack'));
  };

  app.command('/portal', async ({ command, ack, context }) => {
    await ack();
    const turn: SlackTurn = {
      userId: command.user_id,
      triggerId: command.trigger_id,
      ...(command.response_url ? { responseUrl: command.response_url } : {}),
    };
    // The trigger lasts 3 seconds and gathering a form's choices may take longer: a form opens
    // now as a loading modal and is filled in when ready. Not for Slack's retry of the command:
    // Slack retries after its 3 seconds, so the trigger is spent, and reading the text again would
    // only slow the acknowledgements of the other requests.
    if (!context.retryNum && options.core.expectsForm(command.text))
      turn.modal = surface.openLoadingModal(command.trigger_id);
    safely(async () => {
      await options.core.handleMessage({
        eventId: `command:${command.trigger_id}`,
        conversation: conversationOf(command.channel_id, undefined, turn),
        user: await identify(command.user_id),
        text: command.text,
      });
    });
  });

  app.message(async ({ message, body }) => {
    const m = message as {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      user?: string;
      text?: string;
      channel: string;
    };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
    safely(async () =>
      options.core.handleMessage({
        eventId: (body as { event_id: string }).event_id,
        conversation: conversationOf(m.channel, undefined, { userId: m.user! }),
        user: await identify(m.user!),
        text: m.text ?? '',
      }),
    );
  });

  // The welcome, once per installation: the bot joining a channel (member_joined_channel with
  // the bot as `user`, docs.slack.dev/reference/events/member_joined_channel) and a person opening
  // the bot's Messages tab (app_home_opened with tab "messages", docs.slack.dev/reference/events/app_home_opened,
  // sent on every visit). Removing the bot from a channel (channel_left / group_left) lets a new invitation greet again.
  // One listener for all of these events: Bolt runs every request through every listener's chain,
  // copying the listener arguments at each step, so fewer listeners make every request cheaper.
  app.event(BOT_EVENTS, async ({ event, body, context }) => {
    switch (event.type) {
      case 'app_mention':
        safely(async () =>
          options.core.handleMessage({
            eventId: body.event_id,
            conversation: conversationOf(
              event.channel,
              event.thread_ts,
              event.user ? { userId: event.user } : undefined,
            ),
            user: await identify(event.user ?? ''),
            text: withoutLeadingMentions(event.text),
          }),
        );
        return;
      case 'member_joined_channel':
        if (!context.botUserId || event.user !== context.botUserId) return;
        safely(async () =>
          options.core.handleInstall({
            conversation: conversationOf(event.channel),
            user: await identify(event.inviter ?? event.user),
            place: 'channel',
          }),
        );
        return;
      case 'app_home_opened':
        if (event.tab !== 'messages') return;
        safely(async () =>
          options.core.handleInstall({
            conversation: conversationOf(event.channel, undefined, { userId: event.user }),
            user: await identify(event.user),
            place: 'personal',
          }),
        );
        return;
      case 'channel_left':
      case 'group_left':
        safely(() => options.core.handleUninstall(conversationOf(event.channel)));
        return;
    }
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, action }) => {
    await ack();
    const value = buttonData((action as { value?: string }).value);
    const payload = body as {
      trigger_id: string;
      response_url?: string;
      message?: { ts?: string };
      container?: { channel_id?: string; message_ts?: string; is_ephemeral?: boolean };
      state?: unknown;
    };
    const channel = body.channel?.id ?? payload.container?.channel_id ?? '';
    // Slack's block_actions payloads name the clicked message in `container` (see
    // test/contracts/samples/slack/block_actions.payload.json); `message` is there only sometimes.
    const ts = payload.message?.ts ?? payload.container?.message_ts;
    if (!value || !channel) return;
    const { verb, ...data } = value;
    const turn: SlackTurn = {
      userId: body.user.id,
      triggerId: payload.trigger_id,
      ...(payload.response_url ? { responseUrl: payload.response_url } : {}),
      ...(payload.container?.is_ephemeral ? { ephemeral: true } : {}),
    };
    const conversation = conversationOf(channel, undefined, turn);
    if (verb === 'chat.say') {
      // A next-step button: the clicker sends its text, as if typed.
      safely(async () =>
        options.core.handleMessage({
          eventId: `action:${payload.trigger_id}:${(action as { action_ts?: string }).action_ts ?? ''}`,
          conversation,
          user: await identify(body.user.id),
          text: data.text ?? '',
        }),
      );
      return;
    }
    if (verb === OPEN_FORM_VERB) {
      // Opened at once: the click's trigger lasts 3 seconds.
      const opened = await surface.reopenForm(turn, conversation, data.formRef ?? '');
      if (!opened)
        safely(() =>
          options.core.post(conversation, [
            {
              view: {
                type: 'message',
                text: 'That form could not be opened again (it expired or was used). Fill in the fields in the message, or ask again.',
                tone: 'warning',
              },
            },
          ]),
        );
      return;
    }
    if (verb === 'site.change-values') turn.modal = surface.openLoadingModal(payload.trigger_id);
    safely(async () => {
      const replaced = await options.core.handleAction({
        eventId: `action:${payload.trigger_id}:${(action as { action_ts?: string }).action_ts ?? ''}`,
        conversation,
        user: await identify(body.user.id),
        ...(ts ? { messageId: ts } : {}),
        verb: verb as ActionVerb,
        data,
        inputs: inputValues(payload.state),
      });
      if (replaced && ts) await surface.update(conversation, ts, replaced);
    });
  });

  app.view(FORM_CALLBACK_ID, async ({ ack, body, view }) => {
    const inputs = inputValues(view.state);
    const meta = readFormMetadata(view.private_metadata, (ref) =>
      options.core.cardStates.get<FormMetadata>(ref, 'form'),
    );
    const errors = formErrors(inputs, meta.data.kind !== 'change-and-restart');
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    if (!meta.channel) return;
    const responseUrl =
      meta.responseUrl ??
      (body as { response_urls?: { response_url?: string }[] }).response_urls?.[0]?.response_url;
    safely(async () =>
      options.core.handleAction({
        eventId: `view:${view.id}:${view.hash}`,
        conversation: conversationOf(meta.channel, undefined, {
          userId: body.user.id,
          ...(responseUrl ? { responseUrl } : {}),
        }),
        user: await identify(body.user.id),
        verb: 'provision.submit',
        data: meta.data,
        inputs,
      }),
    );
  });

  let server: Server | undefined;
  return {
    app,
    surface,
    async start(port, host) {
      if (!receiver) {
        await app.start();
        return undefined;
      }
      const target = { what: 'The Slack endpoint', port, host, variable: 'SLACK_PORT' };
      server = (await withPortErrors(target, () =>
        receiver.start({ port, ...(host ? { host } : {}) }),
      )) as Server;
      const address = server.address() as AddressInfo;
      return `http://${address.address}:${address.port}/slack/events`;
    },
    async stop() {
      if (!receiver) {
        await app.stop();
        return;
      }
      server?.closeAllConnections();
      await receiver.stop().catch(() => undefined);
    },
  };
}
