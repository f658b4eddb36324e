/**
 * The phrasing rules for questions and what is not a command: "don't …", help, who may approve,
 * why can't I, how does … work, pasted platform messages and symptoms, questions about a site.
 */

import { PORTAL_TEMPLATES } from '../domain/templates.ts';
import { PACKAGE_INSTALL_STATUSES, WEBSITE_STATUSES } from '../domain/website.ts';
import { type Rule, SYMPTOM, withEnvironment } from './facts.ts';
import { parseMigrate } from './migrate-phrases.ts';
import { howQuestion, topicOf } from './questions.ts';
import { findSite, namesSite } from './site-in-text.ts';
import { findTemplate, templateWords } from './site-values.ts';

/** "Don't reset contoso-dev": nothing to do, and certainly not the command it names. */
export const negated: Rule = ({ t, w }) => {
  if (!NEGATED.test(t)) return undefined;
  // "don't reset contoso-test, just tell me how it's doing" asks for the site's status.
  // "don't migrate yet, just show me the plan for hr-hub test to production" asks for the dry run.
  if (
    /^(don'?t|do not|dont) (migrate|deploy|promote|push)\b/.test(t) &&
    /\b(plan|preview|dry[ -]?run|what would)\b/.test(t)
  )
    return { ...parseMigrate(w), dryRun: true };
  const site = findSite(w, [], true, true);
  if (site && /\b(tell|show|give) me\b|\bhow (it'?s|is it) doing\b|\b(its|the) (status|state)\b/.test(t))
    return withEnvironment({ kind: 'status', site }, w);
  return {
    kind: 'unknown',
    message: 'OK, I will not do anything. Say "help" to see what I can do.',
    suggestions: ['help'],
  };
};

/** "Don't …", "never …": a request not to act. */
const NEGATED = {
  test: (t: string) =>
    /^(don'?t|do not|dont|never|no need to|not now)\b/.test(t) ||
    /\b(don'?t|do not|dont|never) (\w+ )?(reset|restart|reboot|delete|wipe|migrate|restore|provision|remove|deploy|cancel|retry)\b/.test(
      t,
    ),
};

/** "Error: Provisioning failed. Please try again …": a message pasted as it was shown, looked up. */
export const pastedError: Rule = ({ t, text }) =>
  (/^((error|warning|exception|fatal|failure)|[A-Z]{3,}\d{3,}|0x[0-9a-f]{6,})\s*:/i.test(text) ||
    // "Provisioning failed. Please try again later.": the platform's own sentences.
    /^[A-Z][^.!?]*[.!]\s+(please\s+)?(try again later|contact (your )?(support|administrator))\b/i.test(
      text,
    )) &&
  !/\b(can|could|would) you\b/.test(t)
    ? { kind: 'troubleshoot', query: t }
    : undefined;

/**
 * A message quoted as it was shown ('admin center shows "There was a problem creating your site.
 * Please try again later."'): its words are not a request. Asked about with a site named outside
 * the quotes, the site's status answers; otherwise the guidance.
 */
export const quotedMessage: Rule = ({ t, text, w }) => {
  // "admin center says: Provisioning failed. …": what follows the colon was shown, as if quoted.
  const said = /\b(says|shows|showing|reads|displays|reports|message)\s*:\s*(.{12,})$/i.exec(text);
  const quoted = /"([^"]{12,})"/.exec(text)?.[1] ?? said?.[2];
  if (!quoted || !(/[.!:]/.test(quoted) || SYMPTOM.test(quoted))) return undefined;
  const outside = (said ? text.slice(0, said.index) : text.replace(/"[^"]*"/g, ' ')).toLowerCase();
  if (COMMAND_ANYWHERE.test(withoutSiteNames(outside))) return undefined;
  const site = findSite(w, [], true, true);
  return site && /[-\d]/.test(site)
    ? withEnvironment({ kind: 'status', site }, w)
    : { kind: 'troubleshoot', query: t };
};

/** "help", "?", "what can you do", "help migrate". */
export const help: Rule = ({ t, text }) => {
  if (
    /^\?+$/.test(text) ||
    /^(help|commands|usage|man)\b/.test(t) ||
    /\bwhat (can|could) (you|u|i|this bot|the bot|portalops|it) (actually |really )?do\b/.test(t) ||
    /\b(vs\.?|versus)\b|\bdifference between\b|\bwhat'?s the diff(erence)?\b/.test(t) ||
    /\bwhat (are you able to|do you) do\b/.test(t) ||
    /\bwhat commands\b/.test(t) ||
    /^(menu|options|commands list)$/.test(t) ||
    /\bwhat (can|should) (i|we) (ask|say|type)\b/.test(t) ||
    /\bhow do (i|we) use\b/.test(t) ||
    /^what'?s new\b/.test(t)
  ) {
    // "reset vs restart" is about two commands: help on all of them.
    if (/\b(vs\.?|versus)\b|\bdifference between\b|\bwhat'?s the diff(erence)?\b/.test(t))
      return { kind: 'help' };
    const topic = topicOf(t.replace(/^(help|commands|usage|man)\s*(me\s*)?(with\s*)?/, ''));
    return topic ? { kind: 'help', topic } : { kind: 'help' };
  }
  return undefined;
};

/** "who can approve resets in prod", "who are the approvers for Contoso Production". */
export const whoCanApprove: Rule = ({ t, w }) => {
  // "who approved the prod reset yesterday?" asks what was done: the jobs list shows it.
  if (/^who (approved|ran|started|requested|kicked off|did)\b/.test(t)) return { kind: 'jobs', mine: false };
  if (
    !/\bwho (can|could|may|must|should|has to|have to|needs to|need to|is able to|is allowed to|are allowed to|gets to) (approve|sign off|okay|ok)\b|\bwho (approves|signs off)\b|\bwhom? (do |should |can |must )?(i |we )?(should |must |need to |have to )?ask\b|\bwho (signs|can sign|has to sign) off\b/.test(
      t,
    ) &&
    !/\bwho('s)?\b(\s+\S+){0,5}\s+(approve|approves|sign off|signs off)\b/.test(t) &&
    !/\bapprovals?\b.*\bwho (can|could|may|will) (give|grant|do|sign)\b/.test(t) &&
    !/\b(anybody|anyone|someone|somebody) (able|allowed|around) to approve\b/.test(t) &&
    !(/\bapprovers?\b/.test(t) && /^(who|list|show|approvers?)\b/.test(t))
  )
    return undefined;
  const site = findSite(w, ['who', 'approvers', 'resets', 'migrations', 'approves', 'restarts'], true);
  return withEnvironment({ kind: 'who-can-approve', ...(site ? { site } : {}) }, w);
};

/** "why can't I reset in prod", "am I allowed to restart sites in test", "can I reset contoso-dev in prod?". */
export const whyCantI: Rule = ({ t, w }) => {
  const why =
    /\b(?:why (?:they|he|she|you|i|we) (?:aren'?t|isn'?t|are not|is not|am not|can'?t|cannot) (?:allowed |able |permitted )?(?:to )?|how come (?:i'?m|i am|we'?re|we are) not (?:allowed|able|permitted) to|how come (?:i|we) (?:can'?t|cannot)|why (?:does it say|do i get told|am i told) (?:that )?(?:i|we) (?:can'?t|cannot)|why (?:(?:i|we) (?:can'?t|cant|cannot|am not allowed to|am not able to)|can'?t|cant|cannot|can not|am i not (?:allowed|permitted|able) to|am i unable to|won'?t you let me|(?:was|is|were|did) (?:my|our|the) (?:\w+ )?(?:get )?(?:refused|denied|blocked|not allowed))|^am i (?:allowed|able|permitted) to|^can i|^could i|^may i)\b(.*)$/.exec(
      t,
    );
  if (!why) {
    // "it says I'm not allowed to reset in test, why is that?", "why is approving blocked for me?".
    if (/\bwhat('?s| is) (stopping|preventing|blocking|keeping) (me|us) from\b/.test(t)) {
      const command = topicOf(t);
      return withEnvironment({ kind: 'why-cant-i', ...(command ? { command } : {}) }, w);
    }
    const blocked =
      /\b(not allowed|not permitted|no permission|no rights|blocked|denied|disabled|greyed out)\b(.*)\bwhy\b|\bwhy\b(.*)\b(not allowed|not permitted|blocked|denied|disabled|greyed out)\b/.exec(
        t,
      );
    if (blocked && !namesSite(w)) {
      const command = topicOf(t);
      return withEnvironment({ kind: 'why-cant-i', ...(command ? { command } : {}) }, w);
    }
    // "which roles can restart sites in prod", "what permission am I missing to …".
    const roles =
      /^(which|what) (roles?|permissions?|rights)\b(.*)$/.exec(t) ??
      /\bpermissions?\s+(?:am|do|are|does|should)\s+(?:i|we)\s+(?:missing|need|lack|have)\b(.*)$/.exec(t);
    if (roles) {
      const command = topicOf(roles[3] ?? roles[2] ?? '');
      return withEnvironment({ kind: 'why-cant-i', ...(command ? { command } : {}) }, w);
    }
    const refused =
      /\b(not allowed|not permitted|no permission|permission denied|forbidden|denied|refused)\b.*\b(when|if) (i|we) (try|tried) to\b(.*)$/.exec(
        t,
      );
    if (!refused) return undefined;
    const command = topicOf(refused[5] ?? '');
    return withEnvironment({ kind: 'why-cant-i', ...(command ? { command } : {}) }, w);
  }
  const asking = /^(am i|can i|could i|may i)/.test(t);
  // "Can I see all our websites in prod?" asks to see them.
  if (asking && /^(can|could|may) i (see|view|get|have|look|list|check|find|know)\b/.test(t))
    return undefined;
  // "Can I delete a portal from here?" asks how; "can I reset contoso-dev in prod?" asks may I.
  if (asking && w.mentions.length === 0) return undefined;
  // "can I migrate just one site …, or does it do everything?" asks how it works.
  if (asking && /\bor (does|do|will|would|is|can) it\b|\bjust one\b/.test(t)) return undefined;
  const command = topicOf(why[1] || t);
  return withEnvironment({ kind: 'why-cant-i', ...(command ? { command } : {}) }, w);
};

/** "how do I migrate a portal?", "what does reprovision mean?": help on the command, or guidance for an error. */
export const howTo: Rule = ({ t, text, w, question, jobId }) => {
  if (!question || jobId) return undefined;
  // "What does missing_site_app_permission mean?" is about an error; "what does X include" a template.
  if (/\bmeans?\b|\b[a-z]+_[a-z_]+\b/.test(t) && /^what\b|\bwhat\b.*\bmeans?\b/.test(t)) {
    // "What does reprovision mean?" asks about a command; an error code or symptom is looked up.
    const topic = namesSymptom(text) || /\b[a-z]+_[a-z_]+\b/.test(t) ? undefined : topicOf(t);
    return topic ? { kind: 'help', topic } : { kind: 'troubleshoot', query: t };
  }
  if (/\binclude/.test(t)) return undefined;
  // "What's in development?" asks for its sites.
  if (/^(what'?s|whats|what is) (\w+ )?(in|on)\b/.test(t) && w.mentions.length > 0 && !namesSite(w))
    return undefined;
  // "What is the status of contoso-suspended, and when …?" asks about the site.
  if (/^what (is|are)\b/.test(t) && namesSite(w)) return undefined;
  // "What exactly does a reset of contoso-test wipe?" asks what the command does.
  const does =
    /\bwhat (exactly |precisely )?(does|do|would|will) (a|an|the) (\w+ )?(reset|restart|restore|reprovision\w*|rollback|roll back)\b/.exec(
      t,
    );
  if (does) {
    const topic = topicOf(does[0]);
    if (topic) return { kind: 'help', topic };
  }
  // "Why does provisioning fail with …?" asks about a failure: the troubleshooting guidance answers.
  if (/^why (does|do|did|is|are|would|will)\b/.test(t) && SYMPTOM.test(text) && !namesSite(w))
    return { kind: 'troubleshoot', query: t };
  // "What are my jobs doing?" asks for the jobs themselves.
  if (/\b(my|our) jobs\b/.test(t) && !/^how (do|can|could|should)\b/.test(t)) return undefined;
  const answer = howQuestion(t);
  // What a template holds is the templates command's answer, not help.
  return answer?.kind === 'help' && answer.topic === 'templates' ? undefined : answer;
};

/** Pasted messages and symptoms: a named site is asked about, anything else is looked up. */
export const symptom: Rule = ({ t, text, w }) => {
  const plain = withoutSiteNames;
  const pasted = /^(error|warning|exception)\b/.test(t) || /"[^"]{12,}"/.test(text);
  if (!pasted && !namesSymptom(plain(text))) return undefined;
  if (/^(troubleshoot|diagnose|explain)\b/.test(t))
    return { kind: 'troubleshoot', query: t.replace(/^(troubleshoot|diagnose|explain)\s*/, '') || t };
  // A platform state pasted alone ("status: OperationFailed") is looked up, whatever word precedes it.
  if (PLATFORM_STATE.test(text) && !namesSite(w)) return { kind: 'troubleshoot', query: t };
  // A command naming the symptom ("retry the failed install") is the command.
  if (
    COMMAND_START.test(t) ||
    CLAUSE_COMMAND.test(t) ||
    /\b(make|do|perform|run) (a |the )?(reset|restart|migration|restore|reprovision\w*)\b/.test(t) ||
    /\b(try (it )?again|retry|(do|run|start|kick|give) (it |that |this )?(off )?again)\b/.test(t)
  )
    return undefined;
  if (
    /^(which|what|list|show|any) (\w+ )?jobs\b|^jobs\b|\bjob queue\b|^(anything|any|which|what)\b.*\bjobs?\b/.test(
      t,
    ) ||
    (/\b(my|our|any|the) jobs\b/.test(t) && !namesSite(w))
  )
    return undefined;
  // "Which of our sites are broken?" asks for the list, which shows each site's state.
  if (
    /^(which|what|list|show|any|are there|is there)\b.*\b(sites|portals|websites)\b/.test(t) &&
    !namesSite(w)
  )
    return undefined;
  const site = findSite(w, [], true, true);
  // A site named beside a pasted message ("hr-hub says "Getting set up" since yesterday") is
  // asked about; a pasted message alone is looked up.
  if (pasted && !(site && /[-\d]/.test(site) && !quotedIn(text, site)))
    return { kind: 'troubleshoot', query: t };
  // A named site with a symptom ("contoso-dev not working") is asked about: its status explains.
  if (site && /[-\d]/.test(site)) return withEnvironment({ kind: 'status', site }, w);
  if (/^(what'?s|what is) (going on|up|happening|wrong) with\b/.test(t)) return undefined;
  return { kind: 'troubleshoot', query: t };
};

/** Whether a text names a symptom or error, pasted in capitals ("Install Failed") or not. */
const namesSymptom = (x: string) => SYMPTOM.test(x) || SYMPTOM.test(x.toLowerCase());

/** Site names such as contoso-broken hold symptom words: the text without them. */
const withoutSiteNames = (x: string) =>
  x.replace(/\S*[a-z0-9]-[a-z0-9]\S*/gi, ' ').replace(TEMPLATE_IDS, ' ');

/** The templates' API names ("EmployeeSelfServicePortal"), which look like pasted error names. */
const TEMPLATE_IDS = new RegExp(`\\b(${PORTAL_TEMPLATES.map((t) => t.id).join('|')})\\b`, 'gi');

/** Whether `site` appears only inside the quoted part of `text` (a pasted message, not the site asked about). */
function quotedIn(text: string, site: string): boolean {
  const outside = text.replace(/"[^"]*"|'[^']{3,}'/g, ' ').toLowerCase();
  return !outside.includes(site.toLowerCase());
}

/** The raw states the Power Pages API reports (src/domain/website.ts), as people paste them. */
const PLATFORM_STATE = new RegExp(`\\b(${[...WEBSITE_STATUSES, ...PACKAGE_INSTALL_STATUSES].join('|')})\\b`);

/** Verbs of a request anywhere in a message. */
const COMMAND_ANYWHERE =
  /\b(retry|restart|reinstall|reprovision|reset|wipe|migrate|promote|deploy|provision|cancel|approve|reject|restore|reboot|subscribe|unsubscribe)\b/;

/** The first words of commands. */
const COMMAND_START =
  /^(retry|restart|re-?install|reinstall|reprovision|reset|wipe|nuke|tear|delete|remove|destroy|migrate|promote|deploy|provision|create|change|fix|update|edit|redo|rerun|cancel|stop|abort|approve|reject|deny|status|show|list|subscribe|unsubscribe|restore|reboot|bounce|kick|blow|move|copy|upgrade|convert)\b/;

/** A command in a later clause: "if contoso-dev still looks broken after lunch, just reset it". */
const CLAUSE_COMMAND = new RegExp(
  `(,|;|\\bthen|\\bjust|\\bso|\\bplease|\\bpls)\\s+(just\\s+|please\\s+|go ahead and\\s+)?${COMMAND_START.source.slice(1)}`,
);

/** Questions about one site's state: "is hr-hub done provisioning yet", "has contoso-setup finished". */
export const siteQuestion: Rule = ({ t, w, question, jobId }) => {
  if (jobId || !question || /^what (would|will)\b|\bwhat would\b/.test(t)) return undefined;
  // Asked with a question word, or a site named then asked about ("contoso-events: what state is it in?").
  const asking = /^(is|has|did|does|where|how|hows|how's|what|whats|what's|why|any|are|when|will)\b/.test(t);
  // "is it actually safe to do a reset on contoso-prod?" asks about the command.
  if (/\bis it (\w+ )?(safe|ok|okay|possible|wise|a good idea|risky)\b/.test(t)) return undefined;
  if (!asking && !/\b(what|how|when|is it|has it|yet|finished|done|ready|complete|completed|over)\b/.test(t))
    return undefined;
  if (!asking && (COMMAND_START.test(t) || !/[-\d]/.test(findSite(w, [], true) ?? ''))) return undefined;
  if (/^(what|which) (sites|portals|websites)\b/.test(t)) return undefined;
  if (!namesSite(w)) return undefined;
  const site = findSite(w)!;
  // "What's in the employee self-service portal template?" names a template, not a site.
  const template = /\btempl?ates?\b|\binclude|\bcomes? with\b|\bfeatures\b/.test(t)
    ? findTemplate(w)
    : undefined;
  if (template && site.split('-').every((part) => templateWords(template).includes(part))) return undefined;
  return withEnvironment({ kind: 'status', site }, w);
};

/** "troubleshoot getting set up", "explain throttled". */
export const troubleshoot: Rule = ({ t, text }) => {
  if (!/^(troubleshoot|diagnose|explain)\b/.test(t)) return undefined;
  const query = t.replace(/^(troubleshoot|diagnose|explain)\s*/, '').trim() || t;
  // "Explain how the migrate command works" asks how a command works: help on it.
  const topic =
    /^explain\b/.test(t) && !SYMPTOM.test(withoutSiteNames(text)) && !SYMPTOM.test(withoutSiteNames(t))
      ? topicOf(query)
      : undefined;
  return topic ? { kind: 'help', topic } : { kind: 'troubleshoot', query };
};
