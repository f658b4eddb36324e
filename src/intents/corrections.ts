/**
 * A message that corrects itself ("reset contoso-events, sorry, I meant contoso-construction",
 * "restart contoso-dev in prod, oops, in dev", "cancel J-7K2Q9 — no, J-7K2Q8", "not dev, prod:
 * list the sites") and one that asks for two things in turn ("show me contoso-broken's status and
 * then restart provisioning on it"). What is corrected replaces what it corrects; of two requests
 * the first is answered when it only shows something, so nothing changes before the person has
 * seen it.
 */
import type { Facts } from './facts.ts';
import type { Intent, ParseFailure } from './intent.ts';
import { approvalIdIn, jobReferenceIn } from './job-references.ts';
import { topicOf } from './questions.ts';
import { findSite } from './site-in-text.ts';
import { isFailure, split } from './words.ts';

/** Words that take back what was just said. */
const CORRECTION =
  /(?:(?:[,;.!—–-]\s*|\s)(?:sorry|oops|no wait|i mean|i meant|scratch that|make that)\b|[,;.!—–-]\s*(?:er|erm|um|uh|wait|no|nope|actually|rather|correction)\b)[,:]?\s+(?:(?:sorry|oops|er|erm|um|uh|no wait|wait|no|nope|actually|i mean|i meant|make that|rather)[,:]?\s+)*(?:(?:not|no)\s+[^\s,;]+(?:\s+[^\s,;]+)?[,;]\s*)?/i;

/** "… dev to test — not test, prod": a correction after a dash. */
const DASHED_NOT = /\s[—–-]+\s*(?:not|no)\s+[^\s,;]+[,;]\s*/i;

/** "not dev, prod: list the sites": the correction given first. */
const CORRECTION_FIRST = /^not\s+([^\s,]+),\s*([^\s:,]+)\s*[:,-]\s*(.+)$/i;

/** Words of an aside that keeps what was said ("…, no need to touch prod"). */
const NOT_A_CORRECTION =
  /\b(need|needed|touch|leave|keep|skip|don'?t|not|without|except|other|also|too|as well)\b/i;

/** Requests of the first clause that only show something. */
const SHOWS = new Set<string>(['status', 'sites', 'jobs', 'templates', 'alerts', 'help']);

/** Words of a correction that is a new verb ("no wait, approve it"). */
const VERB =
  /^(approve|reject|deny|restart|reset|retry|cancel|restore|migrate|provision|status|show|list)\b/i;

/**
 * The message as corrected, or its first request, when `text` is one of these; undefined
 * otherwise. `read` reads a piece of text as a whole message would be.
 */
export function correctedRequest(
  text: string,
  whole: Facts,
  read: (text: string) => Intent | ParseFailure,
): Intent | ParseFailure | undefined {
  if (/"[^"]{12,}"/.test(text)) return undefined;
  const first = CORRECTION_FIRST.exec(text);
  if (first && whole.w.mentions.length >= 2) return read(`${first[3]} (${first[2]})`);
  const turn = /^(.+?)(?:,\s*|\s+)(?:and then|and after that|then|after that)\s+(.+)$/i.exec(text);
  if (turn) {
    const before = read(turn[1]!);
    const after = read(turn[2]!);
    // Only a first request that asks to see something ("show me …'s status and then …").
    const asksToSee = /^(show|status|check|list|what|how|tell|give|sites|jobs)\b|\bstatus\b/i.test(turn[1]!);
    if (asksToSee && !isFailure(before) && SHOWS.has(before.kind) && !isFailure(after)) return before;
  }
  const marker = CORRECTION.exec(text) ?? DASHED_NOT.exec(text);
  if (!marker || marker.index === 0) return undefined;
  const said = text.slice(0, marker.index);
  const fix = text.slice(marker.index + marker[0].length).trim();
  // A correction is short and names what replaces; "no need to touch prod" corrects nothing.
  if (!fix || fix.split(/\s+/).length > 6 || NOT_A_CORRECTION.test(fix)) return undefined;
  const original = read(said);
  if (isFailure(original)) return undefined;
  if (VERB.test(fix)) {
    const instead = read(fix);
    if (isFailure(instead)) return undefined;
    return { ...pointedFields(original), ...instead } as Intent;
  }
  return replaced(original, fix, whole);
}

/** The ids and site of an intent, for a new verb pointing back with "it". */
function pointedFields(intent: Intent): Record<string, unknown> {
  const fields = intent as { approvalId?: string; jobId?: string; site?: string; environment?: string };
  const out: Record<string, unknown> = {};
  for (const key of ['approvalId', 'jobId', 'site', 'environment'] as const)
    if (fields[key]) out[key] = fields[key];
  return out;
}

/** `intent` with what `fix` names (an environment, a site, a job, an approval, a topic) put in. */
function replaced(intent: Intent, fix: string, whole: Facts): Intent | undefined {
  const w = split(fix, whole.context);
  const out: Record<string, unknown> = { ...intent };
  let changed = false;
  const environment = w.mentions.at(-1)?.alias;
  if (environment) {
    if (intent.kind === 'migrate') out[intent.target ? 'target' : 'source'] = environment;
    else out.environment = environment;
    delete out.unknownEnvironment;
    changed = true;
  }
  const site = findSite(w, [], true, true);
  if (site && /[-\d]/.test(site)) {
    out.site = site;
    changed = true;
  }
  const job = jobReferenceIn(fix);
  if (job && 'jobId' in out) {
    out.jobId = job.jobId;
    changed = true;
  }
  const approval = approvalIdIn(fix);
  if (approval && 'approvalId' in out) {
    out.approvalId = approval;
    changed = true;
  }
  if (intent.kind === 'help') {
    const topic = topicOf(fix.toLowerCase());
    if (topic) {
      out.topic = topic;
      changed = true;
    }
  }
  return changed ? (out as unknown as Intent) : undefined;
}
