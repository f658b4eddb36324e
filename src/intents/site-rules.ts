/**
 * The phrasing rules of the commands that change a site: restart, restart provisioning, change
 * values, retry the package install, reset, restore, migrate, move to the enhanced data model,
 * provision. Destructive ones take only a site name they are sure of (see site-in-text.ts).
 */
import { type Rule, siteRequest, withEnvironment } from './facts.ts';
import { parseMigrate } from './migrate-phrases.ts';
import { findSite } from './site-in-text.ts';
import { siteValues, templateWords } from './site-values.ts';
import { option, unquote, type Words } from './words.ts';

/** "restore contoso-dev in dev to snapshot …", "roll back contoso-dev". */
export const restore: Rule = ({ t, text, w }) => {
  if (
    !/^(restore|roll ?back|revert|undo)\b|^roll\b.*\bback\b|\bback to (how|the way|what) it was\b/.test(t) &&
    !/\bput\b.*\bback\b.*\b(way it was|as it was|snapshot|before)\b|\b(from|to) (the |a |its )?(last |latest |previous )?snapshot\b/.test(
      t,
    )
  )
    return undefined;
  // A snapshot is named by its id or number ("snapshot 2", "snapshot J-7K2Q9-contoso-dev"), never a
  // word ("the snapshot from before the migration" names none: the command asks which).
  const snapshot = /\bsnapshot\s+(\S*\d\S*)/i.exec(text)?.[1]?.replace(/[.,;!?]+$/, '');
  const skip = [
    'restore',
    'snapshot',
    'roll',
    'back',
    'rollback',
    'revert',
    'undo',
    'put',
    'way',
    'before',
    ...(snapshot ? [snapshot.toLowerCase()] : []),
  ];
  const site = findSite(w, skip, true);
  return withEnvironment(
    { kind: 'restore', ...(site ? { site } : {}), ...(snapshot ? { snapshot } : {}) },
    w,
  );
};

/** "move contoso-dev to the enhanced data model" (never the site-to-site migrate). */
export const moveDataModel: Rule = ({ t, w }) => {
  // Two environments name a migration between them ("migrate contoso-events dev to test, it's on the enhanced data model").
  if (w.mentions.length >= 2 && new Set(w.mentions.map((m) => m.alias)).size >= 2) return undefined;
  if (!/\b(enhanced|new) (data ?)?model\b|\b(to|onto) (the )?enhanced\b|\bdata ?model\b|\bedm\b/.test(t))
    return undefined;
  if (
    !/\b(mov(e|ed|ing)|migrat\w*|upgrad\w*|convert\w*|switch\w*|chang\w*|put|transition\w*|get|bring|use|using|adopt|go)\b|\b(to|onto) (the )?enhanced\b/.test(
      t,
    )
  )
    return undefined;
  return siteRequest('move-data-model', w, {}, ['model', 'data', 'enhanced', 'edm']);
};

/** "retry the package install for contoso-setup", "reinstall the portal package on …". */
export const packageInstall: Rule = ({ t, w }) => {
  if (
    /\b(retry|redo|re-?run|rerun|restart|re-?install|reinstall|fix)\b.*\b(package|pkg)\b/.test(t) ||
    /\b(retry|restart|redo)\s+(the\s+)?((package|pkg)\s+)?install(ation)?\b/.test(t) ||
    /^re-?install\b/.test(t) ||
    /\bpackage install(ation)? failed\b.*\b(again|retry)\b/.test(t) ||
    /\b(try|retry|redo|run)\b.*\b(package )?install(ation)?\b.*\bagain\b/.test(t) ||
    /\banother (crack|go|try|shot|attempt)\b.*\binstall\w*\b/.test(t) ||
    (/\b(package|pkg)\b/.test(t) &&
      /\b(again|one more time|once more|another (go|try|shot|crack|attempt)|retry|retried|redo|redone|rerun|reinstall)\b/.test(
        t,
      )) ||
    /\bpackage\b.*\b(fail\w*|didn'?t install)\b.*\b(again|retry)\b/.test(t)
  )
    return siteRequest('retry-package-install', w, {}, [
      'package',
      'install',
      'installation',
      'reinstall',
      're-install',
      'pkg',
    ]);
  return undefined;
};

/** "restart provisioning contoso-broken", "reprovision …", "kick off provisioning again for …". */
export const restartProvisioning: Rule = ({ t, w }) => {
  if (/\b(change|edit|update|fix)\b.*\b(values?|settings|and restart|then restart)\b/.test(t))
    return undefined;
  if (
    /\b(restart(ing)?|retry(ing)?|redo(ing)?|re-?run(ning)?|rerun(ning)?|resum(e|ing)|kick(ing)? off|start(ing)?|re-?trigger(ing)?|trigger(ing)?)\s+(the\s+|its\s+|their\s+)?(failed\s+)?provisioning\b/.test(
      t,
    ) ||
    /^re-?provision\b/.test(t) ||
    (/\bprovisioning\b.*\b(restart|retry|again)\b/.test(t) && !/\bfailed again\b|\bagain later\b/.test(t)) ||
    /^try provisioning\b/.test(t) ||
    /^provision\b.*\bagain\b/.test(t) ||
    (/\bprovisioned again\b|\bget \S+ provisioned\b/.test(t) && !/\b(reset|wipe|tear|delete)\b/.test(t)) ||
    // "contoso-broken provisioning failed again, restart it", "do again the provisioning".
    /\bprovisioning\b.*\bfail\w*\b.*\b(restart|retry|redo|rerun) (it|that|this)\b/.test(t) ||
    /\b(do|run|try|start) (it )?again (the )?provisioning\b/.test(t) ||
    /\b(restart|retry|redo|re-?run|rerun)\s+\S+\s+provisioning\b/.test(t) ||
    (/\b(failed to provision|provisioning failed)\b.*\b(retry|restart|again)\b/.test(t) &&
      !/\bagain later\b|\bfailed again\b/.test(t))
  )
    return siteRequest('restart-provisioning', w);
  return undefined;
};

/** A value of a site named by what people call it, with the field of {@link SiteValues} it sets. */
const VALUE_FIELDS = /^(subdomain|name|title|admin|administrator|owner|language|template)$/;

/** The field a value word names ("site admin" → siteAdministrator). */
function fieldOf(word: string): 'subdomain' | 'name' | 'siteAdministrator' | undefined {
  if (word === 'subdomain') return 'subdomain';
  if (word === 'name' || word === 'title') return 'name';
  if (/^(admin|administrator|owner)$/.test(word)) return 'siteAdministrator';
  return undefined;
}

/**
 * "<field> of|on|for <site> [in <env>] to <value>": the site after of/on/for, the new value after
 * "to" ("fix the subdomain on contoso-broken (dev) to broken-fixed", "set the site admin of
 * contoso-broken in dev to bob@contoso.com").
 */
function fieldOfSiteTo(w: Words): { field: string; site: string; value: string } | undefined {
  for (let i = 0; i < w.words.length - 3; i++) {
    if (!VALUE_FIELDS.test(w.words[i]!) || !['of', 'on', 'for'].includes(w.words[i + 1]!)) continue;
    let s = i + 2;
    while (['the', 'site', 'portal', 'website'].includes(w.words[s] ?? '')) s++;
    // "… to <value>", or "… should be <value>".
    const be = w.words.findIndex(
      (word, j) => j > s && word === 'be' && /^(should|must|needs|has)$/.test(w.words[j - 1] ?? ''),
    );
    const toWord = w.words.indexOf('to', s + 1);
    const to = toWord >= 0 && (be < 0 || toWord < be) ? toWord : be;
    if (s >= w.words.length || to < 0 || to + 1 >= w.words.length) return undefined;
    return { field: w.words[i]!, site: unquote(w.raw[s]!).toLowerCase(), value: unquote(w.raw[to + 1]!) };
  }
  return undefined;
}

/** "use <value> as the subdomain": a new value, then the field it is for. */
const USE_AS =
  /\b(?:use|try|take|pick)\s+("[^"]+"|\S+)\s+as\s+(?:the\s+|its\s+)?(?:new\s+)?(subdomain|name|title|admin|administrator|owner)\b/i;

/** "change values and restart contoso-broken language=1036", "change the subdomain of … to … and restart". */
export const changeAndRestart: Rule = ({ t, w }) => {
  // New values for a failed site: "change …", "set the subdomain of … to …", "fix the site admin
  // on … to …", "restart … with subdomain …".
  const newValue =
    /\b(set|change|update|fix|correct|switch|make|swap|replace) (the |its )?(site )?(subdomain|name|title|language|template|admin|administrator|owner)\b/.test(
      t,
    ) ||
    /\bwith (a |the )?(new |different )?(subdomain|name|title|language|template)\b/.test(t) ||
    /\b(subdomain|language|template|admin|administrator|owner) (to|=|:) \S/.test(t) ||
    /\bmake \S+@\S+ (the )?(site )?(admin|administrator|owner)\b/.test(t) ||
    /\b(subdomain|language|template|admin|name) (should|must|needs to|has to) be\b/.test(t) ||
    /\b(subdomain|language|template|admin|administrator|owner)\b.*\b(switched|changed|updated|swapped|set|moved) to\b/.test(
      t,
    ) ||
    /\buse (a |the )?(new |different )?(subdomain|language|template|name|admin) \S+/.test(t) ||
    (/\bsubdomain\b/.test(t) && /\buse \S+ instead\b/.test(t)) ||
    /\b(switch|change|set|move)\b.*\bto (language|subdomain|template)\b/.test(t) ||
    USE_AS.test(w.raw.join(' '));
  // A new site given its values is a provisioning ("provision hr-hub … with subdomain hr-hub").
  if (PROVISION_START.test(t)) return undefined;
  if (
    !newValue &&
    !/\b(change|edit|update|fix)\b.*\b(values?|settings|and restart|then restart|and try again|language|template)\b/.test(
      t,
    )
  )
    return undefined;
  if (!/\b(restart|retry|again|values?|settings|provision\w*)\b/.test(t)) return undefined;
  const changes = siteValues(w, false);
  // "customer says …" names no template: a template changes only when the message says so.
  if (!/\btempl?ate\b/.test(t) && !option(w, 'template')) {
    delete changes.templateId;
    delete changes.audience;
  }
  const subdomain =
    /\bsubdomain\s+to\s+("[^"]+"|[\w-]+)/.exec(w.raw.join(' ')) ??
    /\buse\s+(?:a\s+|the\s+)?(?:new\s+)?subdomain\s+("[^"]+"|[\w-]+)/.exec(w.raw.join(' ')) ??
    /\bsubdomain\s+(?:to\s+)?(?!of\b|to\b|on\b|for\b|instead\b|and\b|is\b|was\b|taken\b|already\b|in\b|clash\w*)("[^"]+"|[\w-]+)/.exec(
      w.raw.join(' '),
    );
  if (subdomain) changes.subdomain = subdomain[1]!.replace(/^"|"$/g, '');
  // "use broken-portal-01 as the subdomain instead".
  const shouldBe = /\bsubdomain\s+(?:should|must|needs to|has to)\s+be\s+("[^"]+"|[\w-]+)/i.exec(
    w.raw.join(' '),
  );
  // "the subdomain is taken, use cb-portal instead".
  const instead = /\bsubdomain\b/.test(t)
    ? /\buse\s+("[^"]+"|[\w-]+)\s+instead\b/i.exec(w.raw.join(' '))
    : null;
  if (instead) changes.subdomain = unquote(instead[1]!);
  if (shouldBe) changes.subdomain = unquote(shouldBe[1]!);
  const used = USE_AS.exec(w.raw.join(' '));
  const usedField = used ? fieldOf(used[2]!.toLowerCase()) : undefined;
  if (used && usedField) changes[usedField] = unquote(used[1]!);
  // "change the subdomain of contoso-broken to contoso-fixed": the site, then the new value.
  const named = fieldOfSiteTo(w);
  if (named && !w.mentions.some((m) => w.words[m.start] === named.site)) {
    const field = fieldOf(named.field);
    if (field) changes[field] = named.value;
    return withEnvironment({ kind: 'change-and-restart', changes, site: named.site }, w);
  }
  const site = findSite(
    w,
    [
      changes.name ?? '',
      changes.subdomain ?? '',
      ...(changes.templateId ? templateWords(changes.templateId) : []),
      'french',
      'english',
      'spanish',
      'german',
    ],
    true,
  );
  return withEnvironment({ kind: 'change-and-restart', changes, ...(site ? { site } : {}) }, w);
};

/** "restart contoso-dev", "reboot …", "bounce …", "clear the cache of …": the platform's restart of a running site. */
export const restartSite: Rule = ({ t, w }) => {
  if (
    /^(restart|reboot|bounce|recycle|power ?cycle)\b/.test(t) ||
    /^kick (?!off\b)/.test(t) ||
    /\bturn (\S+ ){0,3}off and (back )?on\b/.test(t) ||
    /\b(make|making|do|doing|perform|performing|give|giving|run|running|issue|issuing|trigger|triggering) (a |the )?(site )?(restart|reboot)\b/.test(
      t,
    ) ||
    /\S+ (restarted|rebooted|bounced)\b/.test(t) ||
    /\b(you|please|pls|then|and|to|should|must|need|needs) (restart|reboot|bounce)\b/.test(t) ||
    /\b(restart|reboot|bounce) (it|this|that|them|the (site|portal|website)|site|portal|website)\b/.test(t) ||
    /\b(a|needs?( a)?) (restart|reboot|bounce)\b/.test(t) ||
    /\b(clear|flush|purge|empty|reset) (the )?(\S+ )?(site |portal |server )?cache\b/.test(t)
  )
    return siteRequest('restart-site', w, {}, [
      'cache',
      'clear',
      'flush',
      'purge',
      'empty',
      'needs',
      'reboot',
      'give',
      'kick',
      'turn',
      'off',
      'on',
    ]);
  return undefined;
};

/** "reset contoso-test … (config corrupted after last deploy)": a message starting with reset is one. */
export const leadingReset: Rule = (f) =>
  /^(reset|wipe|nuke|factory reset)\b/.test(f.t) && !/\bcache\b/.test(f.t) ? reset(f) : undefined;

/** "migrate dev to prod", "copy the … configuration to production", "promote … from test to prod". */
export const migrate: Rule = ({ t, w }) => {
  // "deploy a new portal in dev" asks for a new site, not a migration.
  if (/\b(a|an|another) new (site|portal|website)\b/.test(t) && w.mentions.length < 2) return undefined;
  if (
    /\b(migrate|migrated|migrating|migration|promote|promoted|promoting|deploy|deploying|sync|synced|syncing|push|pushed|pushing|ship)\b/.test(
      t,
    ) ||
    /\b(bring|make|get)\b.*\b(up to date|in line|in sync|match)\b.*\bwith\b/.test(t) ||
    /\bsend\b.*\b(config|configuration)\b.*\b(to|into)\b/.test(t) ||
    (/\bsend\b.*\b(over )?to\b/.test(t) && w.mentions.length >= 2) ||
    /^dry[ -]?run\b/.test(t) ||
    (/\b(cop(y|ied|ying)|mov(e|ed|ing)|replicat\w*|clon(e|ed|ing)|mirror\w*|shift\w*|transfer\w*|port)\b.*\b(to|into|onto|over from)\b/.test(
      t,
    ) &&
      // "did the call move to 4?" moves nothing of a site.
      (w.mentions.length > 0 || /\b(config\w*|site|portal|website|[a-z0-9]+-[a-z0-9-]+)\b/.test(t))) ||
    // "make test look exactly like dev", "make a copy of contoso-events … as it is in test".
    (w.mentions.length >= 2 &&
      /\b(look(s)? (exactly )?like|match(es)?|same as|identical to|copy of)\b/.test(t) &&
      !CHANGE_VERB.test(t)) ||
    // "dev to test contoso-events": two environments, one to the other, and no other verb.
    (w.mentions.length >= 2 &&
      /^(\S+ ){0,2}\S+ to \S+/.test(t) &&
      (w.mentions[0]!.start === 0 || (w.mentions[0]!.start === 1 && /[-\d]/.test(w.words[0]!))) &&
      !CHANGE_VERB.test(t)) ||
    // "src=dev dst=prod site=contoso-construction".
    (['from', 'src', 'source'].some((k) => w.options.has(k)) &&
      ['to', 'dst', 'dest', 'target'].some((k) => w.options.has(k)))
  )
    return parseMigrate(w);
  return undefined;
};

/** Verbs of a request other than a migration. */
const CHANGE_VERB =
  /\b(reset|wipe|restart|reboot|restore|provision|delete|remove|cancel|retry|approve|reject)\b/;

/** "reset contoso-dev in dev", "wipe …", "tear down … and provision it again". */
export const reset: Rule = ({ t, w }) => {
  if (
    !/\b(reset|wipe|nuke|tear down|teardown|factory reset|destroy|blow away|get rid of|decommission|take down|scrap|trash|start (over|afresh|fresh|from scratch)|from scratch|clean slate|(clean|blank|empty|fresh),? (empty |blank )?state)\b/.test(
      t,
    ) &&
    !/^(delete|remove)\b/.test(t)
  )
    return undefined;
  const reprovision =
    w.flags.has('reprovision') ||
    (/\b(re-?provision|recreate|provision (it )?(again|new|anew|fresh)|and provision)\b|\b(afterwards|then|after that) provision\b/.test(
      t,
    ) &&
      !/\b(no need to|without|don'?t|do not|dont|no|not) (\w+ )?(re-?provision|recreate)\w*\b/.test(t));
  return siteRequest('reset', w, { reprovision });
};

/** How a request for a new site starts. */
const PROVISION_START =
  /^(provision|create|spin up|set up|setup|build|launch|new)\b|\b(need|want) a new\b|\brequest(ing)? (a )?new\b/;

/** "provision a partner portal in dev", "I need a new customer portal in dev". */
export const provision: Rule = ({ t, w }) => {
  if (
    !/^(provision|create|spin up|set up|setup|build|launch|new)\b/.test(t) &&
    !/\b(provision|spin up)\b/.test(t) &&
    !/\b(create|make)\b.*\b(new )?(site|portal|website)\b|\b(need|needs|needed|want|wants|wanted|requires?|would like)\b(\s+\S+){0,3}?\s+(a|an|new|another|fresh|one more)\b.*\b(site|portal|website)\b/.test(
      t,
    ) &&
    !/\bspin (that|it|one|this) up\b/.test(t) &&
    // "can we get a French-language portal in dev" (the polite words set aside) asks for one.
    !/^(a|an|another|one more|new) (\S+ ){0,4}(site|portal|website)\b/.test(t) &&
    !/\brequest(ing)? (a )?new\b/.test(t) &&
    !/\b(deploy|stand up|set up|build|launch|start|get)\b.*\bnew\b.*\b(site|portal|website)\b/.test(t)
  )
    return undefined;
  // "wants to know every portal we have in staging" asks to see them.
  if (
    /\b(know|see|list|show|check|find|count|tell)\b.*\b(sites|portals|websites|every|all)\b/.test(t) &&
    !/^(provision|create)\b/.test(t)
  )
    return undefined;
  const values = siteValues(w, true);
  // 'provision a site "Fabrikam Support" in dev': a quoted name of more than one word is the name.
  const quotedName = w.raw.find((word) => /^"[^"]+ [^"]+"$/.test(word));
  if (!values.name && quotedName) values.name = unquote(quotedName);
  if (!values.subdomain) {
    const site = findSite(w, [
      values.name ?? '',
      ...(values.templateId ? templateWords(values.templateId) : []),
    ]);
    if (site && /^[a-z0-9][a-z0-9-]*$/i.test(site) && /[-\d]/.test(site)) values.subdomain = site;
  }
  return withEnvironment({ kind: 'provision', ...values }, w);
};
