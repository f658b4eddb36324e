/**
 * The Agents SDK's `CloudAdapter` with Bot Connector calls on the pooled transport: every
 * connector client the adapter hands a turn (inbound turns, proactive sends, new
 * conversations) keeps its service URL, token and headers but sends over keep-alive connections.
 */
import {
  CloudAdapter,
  type ConnectorClient,
  type HeaderPropagationCollection,
  type TurnContext,
  type UserTokenClient,
} from '@microsoft/agents-hosting';
import type { JwtPayload } from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { pooledConnectorClient } from './connector-transport.ts';

/** The adapter of the Teams endpoint. */
export class TeamsAdapter extends CloudAdapter {
  /**
   * User token clients by caller identity. The SDK makes one per turn (with its own HTTP client
   * and token provider lookup); PortalOps has no sign-in flows that use it, so the turns of one
   * caller share one.
   */
  private readonly userTokenClients = new LRUCache<string, Promise<UserTokenClient>>({ max: 64 });

  protected override setConnectorClient(context: TurnContext, connectorClient?: ConnectorClient): void {
    super.setConnectorClient(context, connectorClient ? pooledConnectorClient(connectorClient) : undefined);
  }

  protected override createUserTokenClient(
    identity: JwtPayload,
    tokenServiceEndpoint?: string,
    scope?: string,
    audience?: string,
    headers?: HeaderPropagationCollection,
  ): Promise<UserTokenClient> {
    const key = JSON.stringify([
      identity?.aud,
      identity?.iss,
      identity?.appid,
      identity?.azp,
      identity?.tid,
      tokenServiceEndpoint,
      scope,
      audience,
    ]);
    let client = this.userTokenClients.get(key);
    if (!client) {
      client = super.createUserTokenClient(identity, tokenServiceEndpoint, scope, audience, headers);
      this.userTokenClients.set(key, client);
      client.catch(() => this.userTokenClients.delete(key));
    }
    return client;
  }
}
