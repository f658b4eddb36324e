/**
 * Questions people ask about the bot's work ("how do I migrate a portal?", "is it safe to reset
 * contoso-dev?") and the command each is about. A question is answered with help, a status or
 * guidance, never by running the destructive command it mentions.
 */
import type { Intent, IntentKind } from './intent.ts';

/** The commands that change or interrupt a site: never run from a question. */
const DESTRUCTIVE: ReadonlySet<IntentKind> = new Set<IntentKind>([
  'reset',
  'restart-site',
  'restart-provisioning',
  'change-and-restart',
  'retry-package-install',
  'migrate',
  'move-data-model',
  'restore',
  'provision',
  'cancel',
  'retry',
]);

/** Whether an intent changes something (a migration's dry run does not). */
export function isDestructive(intent: Intent): boolean {
  if (intent.kind === 'migrate' && intent.dryRun) return false;
  return DESTRUCTIVE.has(intent.kind);
}

/**
 * Whether a message is a question rather than a request. Polite requests ("can you restart …",
 * "could you please …") are requests; the caller strips them first.
 */
export function isQuestion(t: string): boolean {
  return (
    /\?\s*$/.test(t) ||
    /\bwhy\s*[?!]*$/.test(t) ||
    /\b(asking|wondering|wants to know|want to know|would like to know) (why|how|whether|if|what)\b/.test(
      t,
    ) ||
    /^(how|what|what's|whats|why|is|are|does|do|did|(has|have) (i|we|you|they|it|the|my|our|any|anyone|anybody|\S+-\S+|[a-z]-?[0-9a-z]{5})|should|where|when|which|who|any|can i|can we|could i|am i|(tell|show) me how)\b/.test(
      t,
    )
  );
}

/** Phrasings of a question about how something works (not about one site's state). */
const HOW_QUESTION =
  /^(how (do|can|should|would|does|to) |(are|am) (we|i) (able|allowed|permitted) to |is (there a way|it possible) to |how to |(tell|show) me how |how (long|much time|often) |(can|could|will|would|does|do) (a |the )?(restart|reset|migration|restore|reprovision)\w* |what (does|is|do|happens|are)\b|what's (a|an|the difference)\b|whats (a|an)\b|is it (actually |really )?(safe|ok|possible)\b|(can|could|does|will) (portalops|the bot|this bot) |what (exactly |precisely )?(is|does) (doing |do )?"|(is|are|will|would|does|do) (a |the )?\w+ing\b|can (i|we|you) |could (i|we) |does |do (i|we|you) |will |should (i|we) )/;

/** Which command a question or help request is about, by its words. */
export function topicOf(t: string): IntentKind | undefined {
  const topics: [RegExp, IntentKind][] = [
    [/\b(enhanced|new) data ?model\b|\bdata ?model\b|\benhanced model\b/, 'move-data-model'],
    [
      /\b(restart|retry|redo)\w* (the )?provisioning\b|\bprovisioning (restart|retry)\w*|\bre-?provision|\b(fix|failed) (a |the )?(failed )?provisioning\b/,
      'restart-provisioning',
    ],
    [/\bchange (the )?values\b/, 'change-and-restart'],
    [/\bretry\b(?! (the |a )?(provisioning|package|install))/, 'retry'],
    [/\bpackage\b|\binstall\b/, 'retry-package-install'],
    [/\b(restart|reboot|bounce|recycle)\w*\b/, 'restart-site'],
    [/\b(reset|wipe|delete|remove|tear down|nuke)\w*\b/, 'reset'],
    [/\b(migrat|promot|deploy|copy|sync)\w*\b|\bbetween environments\b|\bmove\b.*\bbetween\b/, 'migrate'],
    [/\b(restore|roll ?back|revert)\w*\b|\broll (a |the |it |\S+ )?back\b/, 'restore'],
    [/\b(provision\w*|create|new (site|portal))\b/, 'provision'],
    [/\b(reject\w*|deny|declin\w*)\b/, 'reject'],
    [/\b(approv\w*)\b/, 'approve'],
    [/\b(subscri\w*|alerts?)\b/, 'subscribe'],
    [/\btemplates?\b/, 'templates'],
    [/\bcancel\w*\b/, 'cancel'],
    [/\bjobs?\b/, 'jobs'],
    [/\bsites\b/, 'sites'],
    [/\bstatus\b/, 'status'],
  ];
  // A command's id names it ("man move-data-model"); otherwise the command mentioned first, the
  // more specific pattern winning a tie ("is it safe to cancel a migration" is about cancel).
  const id =
    /\b(restart-site|restart-provisioning|change-and-restart|retry-package-install|move-data-model|who-can-approve|why-cant-i)\b/.exec(
      t,
    );
  if (id) return id[1] as IntentKind;
  let best: { at: number; kind: IntentKind } | undefined;
  // Lists and states ("sites", "status", "jobs") are topics only when no command is named.
  const generic = new Set<IntentKind>(['sites', 'status', 'jobs']);
  const named = topics.filter(([pattern, kind]) => !generic.has(kind) && pattern.test(t));
  for (const [pattern, kind] of named.length > 0 ? named : topics) {
    const at = pattern.exec(t)?.index;
    if (at !== undefined && (!best || at < best.at)) best = { at, kind };
  }
  return best?.kind;
}

/**
 * The help a how-does-it-work question asks for, e.g. "how do I migrate a portal?" →
 * help on migrate; undefined for other questions.
 */
export function howQuestion(t: string): Intent | undefined {
  if (
    !HOW_QUESTION.test(t) ||
    /^what (would|will)\b/.test(t) ||
    /\bwould (overwrite|change|affect|touch|break|remove|delete|lose)\b/.test(t)
  )
    return undefined;
  const topic = topicOf(t);
  return topic ? { kind: 'help', topic } : undefined;
}
