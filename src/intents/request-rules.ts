/**
 * The phrasing rules of the commands that show or decide: approvals, alerts, jobs and job ids,
 * cancel and retry, templates, sites and status.
 */
import { ALERT_CONDITION_GROUPS, ALERT_CONDITIONS, type AlertCondition } from '../alerts/alert.ts';
import { type Rule, withEnvironment } from './facts.ts';
import { findSite, namesSite } from './site-in-text.ts';
import { findTemplate } from './site-values.ts';

/** "approve A-7K2Q9", "lgtm", "reject A-7K2Q9 because …", "no, reject it". */
export const approveOrReject: Rule = ({ t, text, w, approvalId }) => {
  // "I do not approve A-…" refuses it.
  const refused = /\b(do not|don'?t|dont|not|never|won'?t|cannot|can'?t|will not) approv\w*\b/.test(t);
  if (
    !refused &&
    (/^(yes,? |ok,? |okay,? )?(approve|approved|approving|lgtm|ok to go|approve it|i approve|looks good|ship it|go ahead|sounds good|good to go)\b/.test(
      t,
    ) ||
      (approvalId &&
        /\b(approve|approved|approving|lgtm|sign(ed|ing)? off)\b/.test(t) &&
        !/^((no|nope|nah),? )?(reject|deny|decline|refuse)/.test(t)))
  )
    return { kind: 'approve', ...(approvalId ? { approvalId } : {}) };
  if (
    /^(denied|rejected|declined|refused|not approved)$/.test(t) ||
    /^((no|nope|nah),? )?((i|we) )?(reject|rejecting|deny|denying|decline|declining|refuse|refusing)\b/.test(
      t,
    ) ||
    (approvalId && (refused || /\b(reject\w*|deny|denied|declin\w*|refus\w*)\b/.test(t)))
  ) {
    const reason =
      w.options.get('reason') ??
      /\b(?:because|reason:?)\s+(.+)$/i.exec(text)?.[1] ??
      /^(?:no,?\s+)?(?:(?:i|we)\s+)?(?:reject|deny|decline|refus)\w*(?:\s+(?:it|this|that))?\s*[,:;-]\s*(.+)$/i.exec(
        text,
      )?.[1];
    return { kind: 'reject', ...(approvalId ? { approvalId } : {}), ...(reason ? { reason } : {}) };
  }
  return undefined;
};

/** subscribe, unsubscribe and list alerts. */
export const alerts: Rule = ({ t: typed, w, question }) => {
  // Notifications are what people call the alerts.
  const t = typed.replace(/\bnotifications?\b/g, 'alerts');
  if (
    /^(unsubscribe|unsub\b|unfollow|mute|no more (\w+ )?alerts|stop ((sending|posting)( \w+){0,3} |(\w+ ){0,4})alerts|stop alerting|(turn off|disable|silence|pause) (the )?(\w+ )?alerts)\b/.test(
      t,
    ) ||
    /^(stop|halt|pause|silence|mute|disable|end|kill)\b(\s+\S+){0,5}\s+alerts?\b/.test(t)
  )
    return withEnvironment({ kind: 'unsubscribe' }, w);
  if (
    /^(subscribe|sub\b|follow|watch|send (me |us )?(\w+ ){0,3}alerts|alert (me|us)|(notify|ping) (me|us)\b|tell (me|us) (when|if|whenever)\b|(turn on|enable) (the )?(\w+ )?alerts)/.test(
      t,
    )
  )
    return withEnvironment({ kind: 'subscribe', conditions: alertConditionsIn(w.words) }, w);
  // "please post Contoso Test alerts in here", "we should subscribe this channel to …".
  if (
    /^(post|send|share|forward|drop|put) (the |our )?(\S+ ){0,3}alerts (in|to|into|here|for)\b/.test(t) ||
    (/^(send|post|share|forward|drop|put)\b.*\b(alerts?|failures?|problems?|warnings?)\b.*\b(here|this (chat|channel|team)|to (us|me))\b/.test(
      t,
    ) &&
      !question) ||
    /\b(this|the|our) (channel|chat|team) (get|receive|see) (the )?(\S+ )?alerts\b/.test(t) ||
    (/\b(this|the|our) (channel|chat|team) subscribed\b/.test(t) &&
      !question &&
      !/^(what|which)\b/.test(t)) ||
    // "let us know here whenever a provisioning fails in dev".
    /\blet (us|me|this \w+|the \w+|everyone) know\b.*\b(when|whenever|if)\b/.test(t) ||
    // "trial expiry alerts from test in this chat".
    (/\balerts?\b.*\b(in|to|into|for) (this|the|our) (chat|channel|team)\b/.test(t) &&
      !question &&
      !/\b(stop|no more|unsubscribe|turn off|disable|mute|silence|which|what|list|show|any|open)\b/.test(
        t,
      )) ||
    (/\bsubscribe (this|the|our|me|us)\b/.test(t) && !question) ||
    /\b(notified|alerted)\b.*\b(when|if|whenever|about)\b/.test(t)
  )
    return withEnvironment({ kind: 'subscribe', conditions: alertConditionsIn(w.words) }, w);
  // "sign this team up for dev alerts".
  if (/^sign (me|us|this \w+|the \w+|our \w+) up\b/.test(t) && /\balerts?\b/.test(t))
    return withEnvironment({ kind: 'subscribe', conditions: alertConditionsIn(w.words) }, w);
  // "I'd like this team to be notified when a trial is about to end in prod".
  if (
    /\b(be|get|getting|keep (me|us)) (notified|alerted|pinged|posted|told)\b|\b(notify|alert|ping|tell) (this|the|our) (team|channel|chat|group)\b/.test(
      t,
    ) &&
    !/\b(stop|no longer|not|don'?t)\b/.test(t)
  )
    return withEnvironment({ kind: 'subscribe', conditions: alertConditionsIn(w.words) }, w);
  // "please pull up the open alerts".
  if (/\b(pull up|bring up|show|list|see|display|check)\b(\s+\S+){0,4}\s+alerts\b/.test(t))
    return { kind: 'alerts' };
  // An alert's buttons typed back ("Snooze 1 day", "Acknowledge"): the open alerts, with their buttons.
  if (/^(snooze|acknowledge|ack|unsnooze)\b/.test(t)) return { kind: 'alerts' };
  if (
    /^(are|is) there (any )?((open|active|current|new) )*alerts?\b/.test(t) ||
    /\bany (\w+ )?alerts?\b/.test(t) ||
    /^(what|which) ((open|active|current|new) )*alerts\b/.test(t) ||
    /\balerts? (firing|open|active|raised|going off)\b/.test(t)
  )
    return { kind: 'alerts' };
  if (
    /^(what|which) alerts\b/.test(t) ||
    /^(what'?s|whats|what is|anything) alerting\b/.test(t) ||
    (/^(what|which|show|list)\b/.test(t) && /\bsubscribed\b/.test(t))
  )
    return { kind: 'alerts' };
  if (
    /^((list|show|my|our|which|what|any)\s+)?(me\s+)?((all|open|the|current|active)\s+)*(alerts|alert subscriptions|subscriptions)( are open| open)?( (in|on|for) \S+)?$/.test(
      t,
    )
  )
    return { kind: 'alerts' };
  return undefined;
};

/** "cancel J-7K2Q9", "stop job 42". */
export const cancel: Rule = ({ t, jobId }) =>
  /^(cancel|abort|stop|kill|halt|terminate)\b/.test(t) && !/\balerts?\b/.test(t)
    ? { kind: 'cancel', ...(jobId ? { jobId } : {}) }
    : undefined;

/** A message naming a job: its status, or a retry ("try J-7K2Q9 again", "restart job 42"). */
export const jobReference: Rule = ({ t, jobId, question }) => {
  if (!jobId) return undefined;
  if (!question && /\b(cancel|cancell?ed|abort|aborted|stop|kill|halt)\b/.test(t))
    return { kind: 'cancel', jobId };
  if (
    /^(retry|rerun|re-run|redo|try|give|resume|restart)\b/.test(t) ||
    /\b(again|another go|another try|retry)\b/.test(t)
  )
    return { kind: 'retry', jobId };
  return { kind: 'status', jobId };
};

/** "retry" with no job: the command asks which. */
export const retryWithoutId: Rule = ({ t }) =>
  /^(retry|try again)\b/.test(t) ||
  /^(try|run|redo|rerun|re-run|retry) (that|the|this|my|the last|the failed|that failed) (job|one)( again)?$/.test(
    t,
  )
    ? { kind: 'retry' }
    : undefined;

/** "templates", "what does the partner portal include?". */
export const templates: Rule = ({ t, w }) => {
  // "provision … employee self service template" asks for a site, not about the template.
  if (
    /^(provision|create|spin up|set up|setup|build|launch|new)\b|\b(need|want) a new\b|\brequest(ing)? (a )?new\b/.test(
      t,
    )
  )
    return undefined;
  if (
    !/\btempl?ates?\b/.test(t) &&
    !(
      /\bwhat (does|do|is in|'?s in) (the |a )?.*\b(include|includes|portal|template)\b/.test(t) &&
      /\binclude|\bin the\b|\bin a\b/.test(t)
    ) &&
    !(/\b(included|comes? with|features|contains?)\b/.test(t) && findTemplate(w))
  )
    return undefined;
  const templateId = findTemplate(w);
  return templateId && (!/^templ?ates?$/.test(t) || w.options.has('template'))
    ? { kind: 'templates', templateId }
    : { kind: 'templates' };
};

/** "sites in dev", "which portals are in production?", "what's in staging?". */
export const sites: Rule = ({ t, w }) => {
  if (
    /^(sites|portals|websites|list)$/.test(t) ||
    /^(sites|portals|websites)\b/.test(t) ||
    (/^(overview|summary|inventory|rundown)\b/.test(t) && w.mentions.length > 0) ||
    (/^(show|list)( me)? (everything|all)\b/.test(t) && w.mentions.length > 0) ||
    /\b(list|show|what|which|all|every)\b.*\b(sites|portals|websites)\b/.test(t) ||
    /\b(every|each|all)( the| our| of the| of our)?( [a-z]+){0,2} (site|portal|website)s?\b/.test(t) ||
    (/\b(what'?s|whats|what is) ((deployed|running|live|hosted) )?(in|on)\b/.test(t) &&
      w.mentions.length > 0) ||
    (/\b(sites|portals|websites)\b/.test(t) && w.mentions.length > 0 && !namesSite(w)) ||
    (/\b(same|the) list\b|\blist (for|of)\b/.test(t) && w.mentions.length > 0 && !namesSite(w))
  )
    return withEnvironment({ kind: 'sites' }, w);
  return undefined;
};

/** "jobs", "my jobs", "what's running", "which jobs failed?". */
export const jobs: Rule = ({ t, w }) => {
  if (
    /^((my|list|show|running|recent|all|failed|active) )*jobs\b/.test(t) ||
    /\b(what'?s|what is|what am i|whats) running\b/.test(t) ||
    /^(is )?(anything|something) (of mine |of ours |i started |we started )?(still )?running\b/.test(t) ||
    /\b(everything|all|what) (that )?(i|we) (kicked off|started|ran|launched|requested)\b/.test(t) ||
    /\bwhat (i|we)('ve| have)? (got )?running\b/.test(t) ||
    /\b(the )?(last|latest|previous|most recent) jobs?\b/.test(t) ||
    /\b(anything|something|what'?s?|whats) (pending|waiting)\b/.test(t) ||
    /\bjobs? list\b|\blist of (my |all |the )?jobs\b/.test(t) ||
    /\b(the|job|jobs) queue\b/.test(t) ||
    /^((my|our|recent|latest) )*(activity|history)\b/.test(t) ||
    // Requests waiting for approval are jobs waiting too: the jobs list shows them.
    /\b(pending|open|waiting|my|our) (approvals?|requests?)\b|\bneeds? (my|an?) approval\b|\bwaiting (on|for)\b/.test(
      t,
    ) ||
    /\b(what|which) (have|did) (i|we) (start|started|run|ran|kick off|kicked off)\b/.test(t) ||
    /\b(list|show|which|any|what)( me)?( my| all| the| running| recent| failed| active)* jobs\b/.test(t) ||
    /\b(every|all) jobs?\b/.test(t) ||
    /\bwho (approved|ran|started|requested|kicked off)\b/.test(t) ||
    /^(what|how) (are|is) (my|our) jobs?\b/.test(t) ||
    /^(what'?s|whats|show|list) (my|our) jobs?\b/.test(t) ||
    /\b(which|what|any) of (my|our|the) jobs\b/.test(t) ||
    /\bjobs? (are |is )?(still )?(in progress|running|pending|queued)\b/.test(t)
  )
    return {
      kind: 'jobs',
      // What needs my approval is someone else's request.
      mine:
        (w.flags.has('mine') ||
          /\b(my|mine|am i|have i|did i|of me)\b/.test(t) ||
          /\b(everything|all|what|anything) (that )?i (kicked off|started|ran|launched|requested)\b/.test(
            t,
          ) ||
          /\bwhat (i|we)('ve| have)? (got )?running\b/.test(t) ||
          /\bi running\b/.test(t) ||
          /\bjobs (that )?(i|we) (started|ran|run|kicked off|launched|asked for|requested)\b/.test(t)) &&
        !/\bneeds? my approval\b/.test(t) &&
        !/\bnot (just |only )?mine\b|\beveryone'?s\b|\bones i did not\b|\bi did not start\b|\bothers\b/.test(
          t,
        ),
    };
  return undefined;
};

/** "status contoso-dev", "how is contoso-test doing", "check on contoso-events". */
export const status: Rule = ({ t, w }) => {
  if (
    /^(status|state|check|info|details|describe|show|tell me about|check on|look at)\b/.test(t) ||
    /\b(status|state)$/.test(t) ||
    /\b(how is|how's|hows|what'?s (going on|up|happening|wrong) with|what is (going on|wrong|up) with|status of|state of|is .+ (up|ok|down|working|healthy))\b/.test(
      t,
    )
  ) {
    const site = findSite(w);
    return withEnvironment({ kind: 'status', ...(site ? { site } : {}) }, w);
  }
  return undefined;
};

/** Alert conditions named in a subscribe request; none named means all of them. */
function alertConditionsIn(words: readonly string[]): AlertCondition[] {
  const named = new Set<AlertCondition>();
  for (const word of words) {
    for (const [condition, { words: names }] of Object.entries(ALERT_CONDITIONS)) {
      if (names.includes(word)) named.add(condition as AlertCondition);
    }
  }
  if (named.size === 0) {
    for (const word of words)
      for (const condition of ALERT_CONDITION_GROUPS[word] ?? []) named.add(condition);
  }
  return [...named];
}
