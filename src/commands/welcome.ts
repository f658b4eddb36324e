/**
 * The short welcome posted once when PortalOps is added to a personal chat, a group chat or a
 * team channel: what it does, how to ask it, and buttons for the first step.
 */
import type { View } from '../views/view.ts';

/** Where the bot was added. */
export type InstallPlace = 'personal' | 'group' | 'channel';

/**
 * The welcome for `place`. `person` is whoever added the bot (shown in a personal chat only),
 * `environments` the registered aliases (the last is usually production).
 *
 * @example welcomeView('channel', undefined, ['dev', 'test', 'prod'])
 */
export function welcomeView(
  place: InstallPlace,
  person: string | undefined,
  environments: string[],
  note?: string,
): View {
  const first = environments[0] ?? 'dev';
  const last = environments.at(-1) ?? first;
  const what =
    'I run Power Pages sites from chat: list and check sites, provision one, fix a failed provisioning, reset and migrate configuration, with a typed confirmation and another person’s approval for anything destructive.';
  if (place === 'personal') {
    return {
      type: 'help',
      title: 'PortalOps is here',
      intro: `Hi${person ? ` ${person}` : ''}. ${what} Say "help" to see what you may do, with examples from your own environments.${note ? ` ${note}` : ''}`,
      groups: [],
      notes: [],
      buttons: [
        { verb: 'chat.say', label: 'Help', data: { text: 'help' } },
        { verb: 'chat.say', label: `Sites in ${first}`, data: { text: `sites in ${first}` } },
      ],
    };
  }
  return {
    type: 'help',
    title: 'PortalOps is here',
    intro: `${what} Mention me with a request, for example "@PortalOps help" or "@PortalOps sites in ${first}". To see failed provisionings here as they happen: "@PortalOps subscribe this ${place === 'channel' ? 'channel' : 'chat'} to ${last} alerts".${note ? ` ${note}` : ''}`,
    groups: [],
    notes: [],
    buttons: [{ verb: 'chat.say', label: 'Help', data: { text: 'help' } }],
  };
}
