/**
 * How the client reads the Power Pages admin API's answers: `WebsiteDto`, the website list and
 * the error body. Shapes from test/contracts/samples/power-pages-api/ (website-get…response.json,
 * websites-list…json, websitedto.enums.schema-only.json, error-body.schema-and-codes.json); the
 * contract tests validate the samples and the simulator with these same schemas.
 *
 * Lenient the way a real client must be: enum fields are read as text and kept verbatim (a value
 * added by the platform later must not break a list; src/domain/site-state.ts shows it as
 * unknown), optional fields get defaults, extra fields are ignored. Only a field of the wrong
 * type (a number where a name belongs) is refused.
 */
import { z } from 'zod';
import type { Website } from '../../domain/website.ts';

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
const flag = z
  .boolean()
  .nullish()
  .transform((v) => v ?? false);
const count = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? null);

/** One `WebsiteDto`. */
export const websiteDtoSchema = z.object({
  id: z.string().min(1),
  name: text,
  createdOn: text,
  templateName: text,
  websiteUrl: text,
  tenantId: text,
  dataverseInstanceUrl: text,
  environmentName: text,
  environmentId: text,
  dataverseOrganizationId: text,
  selectedBaseLanguage: z
    .number()
    .int()
    .nullish()
    .transform((v) => v ?? 0),
  customHostNames: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  websiteRecordId: text,
  subdomain: text,
  packageInstallStatus: text,
  type: text,
  trialExpiringInDays: count,
  suspendedWebsiteDeletingInDays: count,
  packageVersion: text,
  isEarlyUpgradeEnabled: flag,
  isCustomErrorEnabled: flag,
  applicationUserAadAppId: text,
  ownerId: text,
  status: text,
  siteVisibility: text,
  /** Not in the documented DTO; the live service sends it. Absent stays absent. */
  dataModel: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});

/** `ODataListWebsitesDto`: one page of websites; `@odata.nextLink` when there are more. */
export const websiteListSchema = z.object({
  value: z.array(z.unknown()).default([]),
  '@odata.nextLink': z.string().nullish(),
});

/** The admin API's error body `{"error":{"code","message","target","details"}}`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    target: z.string().nullish(),
    details: z.array(z.object({ code: z.string().optional(), message: z.string().optional() })).nullish(),
  }),
});

/** Parses one DTO into a {@link Website}; returns the problem in words when it cannot. */
export function parseWebsite(dto: unknown): { website: Website } | { problem: string } {
  const parsed = websiteDtoSchema.safeParse(dto);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `${issue?.path.join('.') || 'website'}: ${issue?.message ?? 'not a website'}` };
  }
  const { dataModel, ...rest } = parsed.data;
  return { website: { ...rest, ...(dataModel === undefined ? {} : { dataModel }) } };
}
