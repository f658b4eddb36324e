/**
 * Job and approval ids as people type them: `J-7K2Q9`, `j-7k2q9`, `J7K2Q9`, `#7K2Q9`, `job 7K2Q9`,
 * `job #J-7K2Q9`, and job numbers (`job 42`, `#42`). Ids PortalOps makes (`J-` and five letters or
 * digits of its alphabet) come back in their canonical form; any other number (or `J-` id with
 * letters outside the alphabet, such as `J-6PL9Z`) is passed on as typed, for the command to say
 * there is no such job.
 */

/** The letters and digits of PortalOps ids (see src/domain/job.ts). */
const ID_CHARS = '[2-9A-HJKMNP-Z]';

/** `J-XXXXX`, `JXXXXX` anywhere; the suffix alone after `job` or `#`; a number after `job` or `#`. */
const PATTERNS: readonly RegExp[] = [
  new RegExp(`(?:\\bjob\\s*#?\\s*|#)?\\b(J)(-?)(${ID_CHARS}{5})\\b`, 'i'),
  new RegExp(`(?:\\bjob\\s*#?\\s*|#)(${ID_CHARS}{5})\\b`, 'i'),
  /(?:\bjob\s*(?:#|no\.?|number)?\s*|(?:^|\s)#)(\d{1,9})\b/i,
];

/** A job id found in a text: the id to look up, and the text it was read from. */
export interface JobReference {
  jobId: string;
  matched: string;
}

/** The job a text names, if any. */
export function jobReferenceIn(text: string): JobReference | undefined {
  const [full, short, numbered] = PATTERNS;
  const canonical = full!.exec(text);
  // Without the hyphen, a digit tells an id from a word ("JQUERY").
  if (canonical && (canonical[2] || /\d/.test(canonical[3]!)))
    return { jobId: `J-${canonical[3]!.toUpperCase()}`, matched: canonical[0].trim() };
  const suffix = short!.exec(text);
  if (suffix && /\d/.test(suffix[1]!))
    return { jobId: `J-${suffix[1]!.toUpperCase()}`, matched: suffix[0].trim() };
  const number = numbered!.exec(text);
  if (number) return { jobId: number[1]!, matched: number[0].trim() };
  // "J-6PL9Z" is typed as a job id even with letters PortalOps never uses: passed on as typed, for
  // the command to say there is no such job.
  const typed =
    /(?:\bjob\s*#?\s*|#)?\bJ-([0-9A-Z]{5})\b/i.exec(text) ??
    /(?:\bjob\s*#?\s*|#)\b([0-9A-Z]{5})\b/i.exec(text);
  if (typed && /\d/.test(typed[1]!))
    return { jobId: `J-${typed[1]!.toUpperCase()}`, matched: typed[0].trim() };
  return undefined;
}

const APPROVAL_ID = new RegExp(`\\bA-${ID_CHARS}{5}\\b`, 'i');

/**
 * An approval request id (`A-XXXXX`), canonical; one typed with letters PortalOps never uses
 * (`A-2LM6Q`) is passed on as typed, for the command to say there is no such request.
 */
export function approvalIdIn(text: string): string | undefined {
  const id = APPROVAL_ID.exec(text)?.[0];
  if (id) return id.toUpperCase();
  const typed = /\bA-[0-9A-Z]{5}\b/i.exec(text)?.[0];
  return typed && /\d/.test(typed) ? typed.toUpperCase() : undefined;
}
