/**
 * Acting as another demo person in the Agents Playground. The playground always sends its one
 * current user, so a four-eyes flow (Alice asks, Bob approves) could not be seen through from
 * it. In local mode only, "act as bob" makes the sender's later messages and clicks count as
 * that person of the playground's list (manifest/teams/playground.yml) until "act as me".
 * With Teams credentials it is refused: there, people are who Teams says they are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Identity } from '../../policy/policy.ts';
import { PLAYGROUND_CONFIG } from './playground.ts';
import type { TeamsCredentials } from './teams-app.ts';

/** A person one may act as. */
export interface DemoPerson {
  id: string;
  name: string;
  email: string;
}

/** "act as bob", "act as bob@contoso.com", "act as me". */
const ACT_AS = /^\s*act\s+as\s+(.+?)\s*[.!]?\s*$/i;
const MYSELF = new Set(['me', 'myself', 'yourself', 'nobody', 'no one']);

/** The playground's people (current user and others), from its configuration file; none when it is absent. */
export function readPlaygroundPeople(file = PLAYGROUND_CONFIG): DemoPerson[] {
  // A production install may leave the playground's file out: nobody to act as then.
  if (!existsSync(file)) return [];
  const config = parse(readFileSync(file, 'utf8')) as {
    currentUser?: { id: string; name: string; email: string };
    users?: { id: string; name: string; email: string }[];
  };
  return [config.currentUser, ...(config.users ?? [])]
    .filter((p): p is DemoPerson => Boolean(p?.id && p.email))
    .map((p) => ({ id: p.id, name: p.name, email: p.email }));
}

/** The answer to an "act as" message. */
export interface ActAsAnswer {
  text: string;
  tone?: 'warning' | 'error';
  suggestions?: string[];
}

/** Who each playground sender is acting as (in memory: a restart makes everyone themselves again). */
export class LocalPersonas {
  private readonly acting = new Map<string, DemoPerson>();

  constructor(
    private readonly people: readonly DemoPerson[],
    /** Local mode (no Teams credentials): only then may anyone act as someone else. */
    private readonly enabled: boolean,
  ) {}

  /** What the welcome says about acting as someone else, in local mode only. */
  welcomeNote(): string | undefined {
    if (!this.enabled || this.people.length < 2) return undefined;
    return 'Trying it locally? Say "act as bob" to approve as another demo person, and "act as me" to be yourself again.';
  }

  /** Whether `text` is an "act as" request. */
  isActAs(text: string): boolean {
    return ACT_AS.test(text);
  }

  /** Takes an "act as" request from `sender` (the identity the platform gave) and says what it did. */
  actAs(text: string, sender: Identity): ActAsAnswer {
    const wanted = ACT_AS.exec(text)?.[1]?.toLowerCase() ?? '';
    if (!this.enabled)
      return {
        text: 'Acting as someone else only works when PortalOps runs locally without Teams credentials. Here everyone is who Teams says they are.',
        tone: 'error',
      };
    if (MYSELF.has(wanted)) {
      this.acting.delete(sender.id);
      return { text: `You are yourself again (${sender.email ?? sender.displayName ?? sender.id}).` };
    }
    const person = this.people.find(
      (p) =>
        p.email.toLowerCase() === wanted ||
        p.id.toLowerCase() === wanted ||
        p.name.toLowerCase() === wanted ||
        p.name.split(' ')[0]!.toLowerCase() === wanted ||
        p.email.split('@')[0]!.toLowerCase() === wanted,
    );
    const names = this.people.map((p) => p.name.split(' ')[0]!.toLowerCase());
    if (!person && names.length === 0)
      return {
        text: 'There are no demo people to act as here (manifest/teams/playground.yml is missing).',
        tone: 'warning',
      };
    if (!person)
      return {
        text: `There is no demo person called "${wanted}". You can act as ${names.join(', ')}, or "me".`,
        tone: 'warning',
        suggestions: names.slice(0, 3).map((n) => `act as ${n}`),
      };
    if (person.id === sender.id || person.email.toLowerCase() === sender.email?.toLowerCase()) {
      this.acting.delete(sender.id);
      return { text: `You are ${person.name} (${person.email}).` };
    }
    this.acting.set(sender.id, person);
    return {
      text: `You are now acting as ${person.name} (${person.email}): your messages and clicks count as theirs until you say "act as me".`,
      suggestions: ['help', 'act as me'],
    };
  }

  /** The identity a sender's messages and clicks count as. */
  apply(sender: Identity): Identity {
    const person = this.enabled ? this.acting.get(sender.id) : undefined;
    return person ? { id: person.id, email: person.email, displayName: person.name } : sender;
  }
}

/** The playground's people, acted as only in local mode (no Teams credentials). */
export function playgroundPersonas(credentials: TeamsCredentials | undefined): LocalPersonas {
  // With credentials nobody acts as anyone, so the playground's file is not even read.
  return credentials === undefined
    ? new LocalPersonas(readPlaygroundPeople(), true)
    : new LocalPersonas([], false);
}
