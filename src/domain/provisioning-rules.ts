/**
 * The rules a provisioning request must meet before it is submitted, checked all at once so a
 * person sees every problem with the field it concerns and how to fix it.
 */

import { closestMatches } from './closest-matches.ts';
import { addOnHowTo, findAddOn } from './portal-add-ons.ts';
import {
  type Audience,
  describeChoices,
  findTemplate,
  missingSolutions,
  offeredTemplatesFor,
} from './templates.ts';

/** What someone asked to provision. */
export interface ProvisionRequest {
  name: string;
  subdomain: string;
  languageLcid: number;
  audience: Audience;
  templateId: string;
  /** User principal name of the person who will run the site. */
  siteAdministrator: string;
}

/** What the environment looks like, gathered before validation. */
export interface ProvisionContext {
  installedLanguages: number[];
  /** Subdomains already used by sites (lower case). */
  existingSubdomains: string[];
  installedSolutions: { uniqueName: string; version: string }[];
  requesterRoles: string[];
  /** Undefined when the administrator is not a user of the environment. */
  siteAdministratorRoles: string[] | undefined;
}

/** One reason a request would be refused. */
export interface Problem {
  field: keyof ProvisionRequest | 'requester';
  code: string;
  message: string;
  fix: string;
}

/** Languages Power Pages refuses as a site's base language (Arabic, Hebrew). */
export const UNSUPPORTED_LANGUAGES: ReadonlyMap<number, string> = new Map([
  [1025, 'Arabic'],
  [1037, 'Hebrew'],
]);

/** Names of common Dataverse languages by LCID, for messages and forms. */
export const LANGUAGES: ReadonlyMap<number, string> = new Map([
  [1025, 'Arabic'],
  [1028, 'Chinese (Traditional)'],
  [1029, 'Czech'],
  [1030, 'Danish'],
  [1031, 'German'],
  [1033, 'English'],
  [1035, 'Finnish'],
  [1036, 'French'],
  [1037, 'Hebrew'],
  [1040, 'Italian'],
  [1041, 'Japanese'],
  [1042, 'Korean'],
  [1043, 'Dutch'],
  [1044, 'Norwegian'],
  [1045, 'Polish'],
  [1046, 'Portuguese (Brazil)'],
  [1049, 'Russian'],
  [1053, 'Swedish'],
  [1055, 'Turkish'],
  [2052, 'Chinese (Simplified)'],
  [2070, 'Portuguese (Portugal)'],
  [3082, 'Spanish'],
]);

/** "French (1036)", or the bare LCID when the name is not known. */
export function languageName(lcid: number): string {
  const name = LANGUAGES.get(lcid);
  return name ? `${name} (${lcid})` : String(lcid);
}

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const SYSTEM_ADMINISTRATOR = 'System Administrator';

/** Every problem of a request; an empty list means it may be submitted. */
export function validateProvisionRequest(request: ProvisionRequest, context: ProvisionContext): Problem[] {
  const problems: Problem[] = [];
  const add = (field: Problem['field'], code: string, message: string, fix: string) =>
    problems.push({ field, code, message, fix });

  if (!context.requesterRoles.includes(SYSTEM_ADMINISTRATOR)) {
    add(
      'requester',
      'requester_not_admin',
      'You need the System Administrator role in this environment to provision a site.',
      'Ask an environment administrator to grant you System Administrator, or ask them to provision it.',
    );
  }
  if (!request.name.trim())
    add('name', 'name_missing', 'The site needs a name.', 'Give it a name; it can be changed later.');

  const subdomain = request.subdomain.trim();
  if (!subdomain) {
    add(
      'subdomain',
      'subdomain_missing',
      'The site needs a subdomain for its address.',
      'Choose a subdomain such as contoso-partners.',
    );
  } else if (!SUBDOMAIN.test(subdomain) || subdomain.length > 63) {
    add(
      'subdomain',
      'subdomain_invalid',
      `"${subdomain}" is not a valid subdomain: use only letters, digits and hyphens (not at the start or end).`,
      `Try "${suggestSubdomain(subdomain)}". The subdomain cannot be changed after provisioning (a custom domain can be added later).`,
    );
  } else if (context.existingSubdomains.includes(subdomain.toLowerCase())) {
    add(
      'subdomain',
      'subdomain_taken',
      `The subdomain "${subdomain}" is already used by another site.`,
      `Choose another one, for example "${subdomain}-2". It cannot be changed after provisioning.`,
    );
  }

  const unsupported = UNSUPPORTED_LANGUAGES.get(request.languageLcid);
  if (unsupported) {
    add(
      'languageLcid',
      'language_not_supported',
      `${unsupported} cannot be a site's base language.`,
      'Pick another installed language; the site can still offer more languages later.',
    );
  } else if (!context.installedLanguages.includes(request.languageLcid)) {
    add(
      'languageLcid',
      'language_not_installed',
      `${languageName(request.languageLcid)} is not installed in this environment.`,
      `Pick one of ${context.installedLanguages
        .filter((l) => !UNSUPPORTED_LANGUAGES.has(l))
        .map(languageName)
        .join(', ')}, or enable the language in the environment first.`,
    );
  }

  const template = findTemplate(request.templateId);
  const addOn = template ? undefined : findAddOn(request.templateId);
  if (addOn) {
    add(
      'templateId',
      'template_not_offered',
      `${addOn.displayName} is not a template of the Power Pages admin API.`,
      addOnHowTo(addOn),
    );
  } else if (!template) {
    const near = closestMatches(
      request.templateId,
      offeredTemplatesFor(request.audience).map((t) => t.id),
      1,
    );
    add(
      'templateId',
      'template_unknown',
      `"${request.templateId}" is not a template name the Power Pages admin API accepts.`,
      `${near[0] ? `Did you mean ${near[0]}? ` : ''}For ${request.audience}s choose ${describeChoices(request.audience)}.`,
    );
  } else {
    if (!template.audiences.includes(request.audience)) {
      add(
        'templateId',
        'template_not_for_audience',
        `${template.displayName} is not offered for a ${request.audience} audience.`,
        `For ${request.audience}s choose ${describeChoices(request.audience)}.`,
      );
    }
    const missing = missingSolutions(
      template,
      context.installedSolutions.map((s) => s.uniqueName),
    );
    if (missing.length > 0) {
      add(
        'templateId',
        'prerequisite_missing',
        `${template.displayName} needs ${missing.map((m) => m.displayName).join(' and ')} installed first.`,
        `Install ${missing.map((m) => m.displayName).join(' and ')} in the environment, then provision again.`,
      );
    }
  }

  if (!request.siteAdministrator.trim()) {
    add(
      'siteAdministrator',
      'administrator_missing',
      'Name the person who will run the site.',
      'Give their sign-in name, e.g. alice@contoso.com.',
    );
  } else if (context.siteAdministratorRoles === undefined) {
    add(
      'siteAdministrator',
      'administrator_unknown',
      `${request.siteAdministrator} is not a user of this environment.`,
      'Pick a user of the environment who holds System Administrator.',
    );
  } else if (!context.siteAdministratorRoles.includes(SYSTEM_ADMINISTRATOR)) {
    add(
      'siteAdministrator',
      'administrator_not_admin',
      `${request.siteAdministrator} does not hold System Administrator in this environment.`,
      'Pick someone who does, or have the role granted first.',
    );
  }
  return problems;
}

/** A valid subdomain close to what someone typed. */
export function suggestSubdomain(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 63);
  return cleaned || 'my-site';
}
