/**
 * Checks a card the way Teams will read it: parsed by the `adaptivecards` SDK at schema 1.5,
 * plus the checks the SDK does not make (root type, declared version, unresolved template
 * bindings, action data that is not an object).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface AdaptiveCardsSdk {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new (
    version: unknown,
  ) => { eventCount: number; getEventAt(i: number): { message: string } };
  Versions: { v1_5: unknown };
}

let sdk: AdaptiveCardsSdk | undefined;

/** Problems of a card; empty when it is valid Adaptive Card 1.5. */
export function validateAdaptiveCard(card: unknown): string[] {
  // Loaded lazily and in its browser-free build: parsing needs no DOM.
  sdk ??= require('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsSdk;
  const problems: string[] = [];
  const json = card as Record<string, unknown>;
  if (json?.type !== 'AdaptiveCard') problems.push(`root type is ${String(json?.type)}, not AdaptiveCard`);
  if (json?.version !== '1.5') problems.push(`version is ${String(json?.version)}, not 1.5`);
  const text = JSON.stringify(card);
  const unresolved = /\$\{[^}]*\}|"\$data"|"\$when"/.exec(text);
  if (unresolved) problems.push(`unresolved template binding ${unresolved[0]}`);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (
      record.type === 'Action.Execute' &&
      (typeof record.data !== 'object' || record.data === null || Array.isArray(record.data))
    ) {
      problems.push(`Action.Execute "${String(record.title)}" has no data object`);
    }
    Object.values(record).forEach(visit);
  };
  visit(card);
  const instance = new sdk.AdaptiveCard();
  const context = new sdk.SerializationContext(sdk.Versions.v1_5);
  instance.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of instance.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}
