/**
 * Answers that ask for what is missing: an environment, or the provision form with choices
 * filled from the environment (languages, templates for the audience).
 */
import { PortalOpsError } from '../domain/errors.ts';
import { LANGUAGES, languageName, UNSUPPORTED_LANGUAGES } from '../domain/provisioning-rules.ts';
import { PORTAL_TEMPLATES, templatesFor } from '../domain/templates.ts';
import type { SiteValues } from '../intents/intent.ts';
import type { View } from '../views/view.ts';
import type { CommandContext, Reply } from './command.ts';

/** "Which environment?" with the registered aliases. */
export function askEnvironment(ctx: CommandContext, what: string): Reply[] {
  const aliases = ctx.deps.registry.entries.map((e) => e.alias);
  return [
    {
      view: {
        type: 'message',
        text: `Which environment should I ${what} in? Add it to your message, e.g. "… in ${aliases[0] ?? 'dev'}".`,
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
  if (environment) {
    try {
      languages = (await ctx.deps.environments.resolve(environment)).installedLanguages.filter(
        (l) => !UNSUPPORTED_LANGUAGES.has(l),
      );
    } catch (error) {
      if (!(error instanceof PortalOpsError)) throw error;
    }
  }
  const templates = values.audience ? templatesFor(values.audience) : PORTAL_TEMPLATES;
  const kind = options.kind ?? 'provision';
  return {
    type: 'form',
    title:
      kind === 'provision'
        ? 'Provision a site'
        : `Change the values of ${options.site ?? 'the site'} and restart`,
    intro:
      kind === 'provision'
        ? 'Fill in what is missing. The subdomain is the site address and cannot change after provisioning.'
        : 'Change what should be different; the site is provisioned again on its website record.',
    ...(options.errors?.length ? { errors: options.errors } : {}),
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
        choices: templates.map((t) => ({ value: t.id, title: t.displayName })),
        required: kind === 'provision',
        ...(values.templateId ? { value: values.templateId } : {}),
      },
      {
        id: 'audience',
        label: 'Audience',
        choices: ['partner', 'customer', 'employee'].map((a) => ({ value: a, title: a })),
        value: values.audience ?? 'customer',
      },
      {
        id: 'languageLcid',
        label: 'Language',
        choices: languages.map((l) => ({ value: String(l), title: languageName(l) })),
        ...(values.languageLcid ? { value: String(values.languageLcid) } : {}),
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
