/**
 * The Agents SDK's `CloudAdapter` with Bot Connector calls on the pooled transport: every
 * connector client the adapter hands a turn (inbound turns, proactive sends, new
 * conversations) keeps its service URL, token and headers but sends over keep-alive connections.
 */
import { CloudAdapter, type ConnectorClient, type TurnContext } from '@microsoft/agents-hosting';
import { pooledConnectorClient } from './connector-transport.ts';

/** The adapter of the Teams endpoint. */
export class TeamsAdapter extends CloudAdapter {
  protected override setConnectorClient(context: TurnContext, connectorClient?: ConnectorClient): void {
    super.setConnectorClient(context, connectorClient ? pooledConnectorClient(connectorClient) : undefined);
  }
}
