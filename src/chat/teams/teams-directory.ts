/**
 * Who is who in Teams: a person's e-mail (for policy) from the conversation's member list, and
 * the Teams ids of people the bot has met, so approval cards can name their approvers.
 */
import type { TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from '../../logging/logger.ts';
import type { Identity } from '../../policy/policy.ts';
import type { Store } from '../../storage/store.ts';

const KEY = 'teams:directory';
const MEMBER_CACHE_MS = 10 * 60 * 1000;

interface Member {
  email?: string;
  userPrincipalName?: string;
  name?: string;
}

/** Persisted map of people met in Teams. */
export class TeamsDirectory {
  /** e-mail (lower case) or Teams id → Teams id. */
  private readonly ids: Map<string, string>;
  private readonly cache = new Map<string, { at: number; identity: Identity }>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {
    this.ids = new Map(Object.entries(JSON.parse(store.getValue(KEY) ?? '{}') as Record<string, string>));
  }

  /** The identity of whoever sent the turn's activity; the e-mail comes from the member list when allowed. */
  async identify(context: TurnContext, connectorKey: symbol | string): Promise<Identity> {
    const from = context.activity.from;
    const id = from?.id ?? 'unknown';
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.at < MEMBER_CACHE_MS) return cached.identity;
    let member: Member | undefined;
    try {
      const client = context.turnState.get(connectorKey) as
        | { getConversationMember(userId: string, conversationId: string): Promise<Member> }
        | undefined;
      member = await client?.getConversationMember(id, context.activity.conversation?.id ?? '');
    } catch (error) {
      this.logger.debug({ err: error }, 'Teams member lookup unavailable');
    }
    const email = member?.email ?? member?.userPrincipalName;
    const name = from?.name ?? member?.name;
    const identity: Identity = {
      id,
      ...(email ? { email } : {}),
      ...(name ? { displayName: name } : {}),
    };
    this.cache.set(id, { at: Date.now(), identity });
    await this.remember(identity);
    return identity;
  }

  /** Teams ids of the given people (ids or e-mails) the bot has met. */
  teamsIdsOf(people: string[]): string[] {
    const found = people
      .map((p) => this.ids.get(p.toLowerCase()) ?? this.ids.get(p))
      .filter((id): id is string => id !== undefined);
    return [...new Set(found)];
  }

  private async remember(identity: Identity): Promise<void> {
    const keys = [identity.id, ...(identity.email ? [identity.email.toLowerCase()] : [])];
    if (keys.every((k) => this.ids.get(k) === identity.id)) return;
    for (const k of keys) this.ids.set(k, identity.id);
    await this.store.setValue(KEY, JSON.stringify(Object.fromEntries(this.ids)));
  }
}
