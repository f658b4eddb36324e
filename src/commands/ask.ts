/**
 * Answers that ask for what is missing: an environment, or the provision form with choices
 * filled from the environment (languages, templates for the audience).
 */
import { closestMatches } from '../domain/closest-matches.ts';
import { PortalOpsError } from '../domain/errors.ts';
import { addOnExplanation, findAddOn, PORTAL_ADD_ONS } from '../domain/portal-add-ons.ts';
import { LANGUAGES, languageName, UNSUPPORTED_LANGUAGES } from '../domain/provisioning-rules.ts';
import { defaultAudienceOf, findTemplate, offeredTemplatesFor, templateLabel } from '../domain/templates.ts';
import type { SiteValues } from '../intents/intent.ts';
import type { View } from '../views/view.ts';
import type { CommandContext, Reply } from './command.ts';

/**
 * 'There is no environment "preprod". Did you mean prod?': what to say of a name given as an
 * environment that names none, with the registered aliases it is close to (or all of them).
 */
export function notAnEnvironment(ctx: CommandContext, name: string): { text: string; suggestions: string[] } {
  const aliases = ctx.deps.registry.entries.map((e) => e.alias);
  const lower = name.toLowerCase();
  const close = [
    ...new Set([...closestMatches(lower, aliases), ...aliases.filter((a) => lower.includes(a))]),
  ];
  return close.length > 0
    ? { text: `There is no environment "${name}". Did you mean ${close.join(' or ')}?`, suggestions: close }
    : { text: `There is no environment "${name}" (known: ${aliases.join(', ')}).`, suggestions: aliases };
}

/** "Which environment?" with the registered aliases; `unknown` is a name given that is not one of them. */
export function askEnvironment(ctx: CommandContext, what: string, unknown?: string): Reply[] {
  const aliases = ctx.deps.registry.entries.map((e) => e.alias);
  const notKnown = unknown ? `${notAnEnvironment(ctx, unknown).text} ` : '';
  return [
    {
      view: {
        type: 'message',
        text: `${notKnown}Which environment should I ${what} in? Add it to your message, e.g. "… in ${aliases[0] ?? 'dev'}".`,
        suggestions: aliases,
      },
    },
  ];
}

/** The provision form, prefilled, with the environment's languages and the audience's templates. */
export async function provisionForm(
  ctx: CommandContext,
  environment: string | undefined,
  values: SiteValues,
  options: { errors?: string[]; kind?: 'provision' | 'change-and-restart'; site?: string } = {},
): Promise<View> {
  let languages = [...LANGUAGES.keys()].filter((l) => !UNSUPPORTED_LANGUAGES.has(l));
  let baseLanguage: number | undefined;
  if (environment) {
    try {
      const details = await ctx.deps.environments.resolve(environment);
      languages = details.installedLanguages.filter((l) => !UNSUPPORTED_LANGUAGES.has(l));
      baseLanguage = details.baseLanguage;
    } catch (error) {
      if (!(error instanceof PortalOpsError)) throw error;
    }
  }
  const kind = options.kind ?? 'provision';
  const template = templateProblem(values.templateId);
  // What was said decides first, then what the template is built for; the environment's base
  // language is the one a site must have for its package to install.
  const audience = values.audience ?? (template.value ? defaultAudienceOf(template.value) : undefined);
  const language =
    values.languageLcid ?? (baseLanguage && languages.includes(baseLanguage) ? baseLanguage : undefined);
  const templates = offeredTemplatesFor(audience);
  const kept = template.value ? findTemplate(template.value) : undefined;
  if (kept && !templates.some((t) => t.id === kept.id)) templates.unshift(kept);
  return {
    type: 'form',
    title:
      kind === 'provision'
        ? 'Provision a site'
        : `Change the values of ${options.site ?? 'the site'} and restart`,
    intro:
      kind === 'provision'
        ? `Fill in what is missing. The subdomain is the site address and cannot change after provisioning.${addOnHint(audience)}`
        : `Change what should be different; the site is provisioned again on its website record.${addOnHint(audience)}`,
    ...(template.error || options.errors?.length
      ? { errors: [...(template.error ? [template.error] : []), ...(options.errors ?? [])] }
      : {}),
    inputs: [
      {
        id: 'environment',
        label: 'Environment',
        choices: ctx.deps.registry.entries.map((e) => ({ value: e.alias, title: e.displayName })),
        required: true,
        ...(environment ? { value: environment } : {}),
      },
      {
        id: 'name',
        label: 'Site name',
        required: kind === 'provision',
        ...(values.name ? { value: values.name } : {}),
      },
      {
        id: 'subdomain',
        label: 'Subdomain',
        placeholder: 'letters, digits and hyphens',
        required: kind === 'provision',
        ...(values.subdomain ? { value: values.subdomain } : {}),
      },
      {
        id: 'templateId',
        label: 'Template',
        choices: templates.map((t) => ({ value: t.id, title: templateLabel(t) })),
        required: kind === 'provision',
        ...(template.value ? { value: template.value } : {}),
      },
      {
        id: 'audience',
        label: 'Audience',
        choices: ['partner', 'customer', 'employee'].map((a) => ({ value: a, title: a })),
        value: audience ?? 'customer',
      },
      {
        id: 'languageLcid',
        label: 'Language',
        choices: languages.map((l) => ({ value: String(l), title: languageName(l) })),
        ...(language ? { value: String(language) } : {}),
      },
      {
        id: 'siteAdministrator',
        label: 'Site administrator (sign-in name)',
        ...(values.siteAdministrator ? { value: values.siteAdministrator } : {}),
      },
    ],
    submit: {
      verb: 'provision.submit',
      label: kind === 'provision' ? 'Provision' : 'Restart with these values',
      data: { kind, ...(options.site ? { site: options.site } : {}) },
      style: 'positive',
    },
  };
}

/**
 * What the form makes of a template someone named: an API template is kept; a partner add-on is
 * explained and the partner portal it installs on is chosen instead; anything else is refused
 * with the reason, so no create the platform would answer with a 400 is submitted.
 */
function templateProblem(templateId: string | undefined): { value?: string; error?: string } {
  if (!templateId) return {};
  const template = findTemplate(templateId);
  if (template) return { value: template.sameAs ?? template.id };
  const addOn = findAddOn(templateId);
  if (addOn) return { value: addOn.installOn, error: addOnExplanation(addOn) };
  return {
    error: `"${templateId}" is not a template name the Power Pages admin API accepts; choose one below.`,
  };
}

/** For partners (or an audience not chosen yet): the documents' add-ons are not in the list, and why. */
function addOnHint(audience: SiteValues['audience']): string {
  if (audience && audience !== 'partner') return '';
  return ` ${PORTAL_ADD_ONS.map((a) => a.displayName).join(' and ')} are not templates: provision a Partner Portal and install them on it.`;
}
