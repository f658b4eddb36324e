/**
 * The shapes of the Dataverse function answers PortalOps reads, checked with zod so a changed
 * answer fails loudly instead of becoming `undefined`. Shapes from the contract samples
 * (test/contracts/samples/dataverse/whoami.response.json, retrieveprovisionedlanguages.response.json).
 */
import { z } from 'zod';
import { PortalOpsError } from '../../domain/errors.ts';

/** `GET WhoAmI` (`Microsoft.Dynamics.CRM.WhoAmIResponse`). */
export const whoAmISchema = z.object({
  BusinessUnitId: z.string(),
  UserId: z.string(),
  OrganizationId: z.string(),
});

/**
 * `GET RetrieveProvisionedLanguages()`: the LCIDs sit in a property named after the function,
 * unlike `RetrieveAvailableLanguages`' `LocaleIds` (language-functions.notes.md).
 */
export const provisionedLanguagesSchema = z.object({
  RetrieveProvisionedLanguages: z.array(z.number().int()),
});

function parsed<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (!result.success)
    throw new PortalOpsError('platform_error', `Dataverse answered ${what} in an unexpected shape.`, {
      cause: result.error,
    });
  return result.data;
}

/** The caller's ids from a `WhoAmI` answer. */
export function parseWhoAmI(data: unknown): {
  userId: string;
  organizationId: string;
  businessUnitId: string;
} {
  const d = parsed(whoAmISchema, data, 'WhoAmI');
  return { userId: d.UserId, organizationId: d.OrganizationId, businessUnitId: d.BusinessUnitId };
}

/** The LCIDs of a `RetrieveProvisionedLanguages()` answer. */
export function parseProvisionedLanguages(data: unknown): number[] {
  return parsed(provisionedLanguagesSchema, data, 'RetrieveProvisionedLanguages')
    .RetrieveProvisionedLanguages;
}
