/**
 * The environment lookup's (Business Application Platform) answer for one environment, as the
 * real service sends it: test/contracts/samples/bap/environment.get.cli-m365-docs.json (a
 * published capture) and environments.list.terraform-recorded.json (a recorded list). Only the
 * fields PortalOps reads are declared; the many others (billing, states, cluster, …) pass
 * unread. An environment without a Dataverse database has no `linkedEnvironmentMetadata`.
 */
import { z } from 'zod';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

/** `properties.linkedEnvironmentMetadata`: the environment's Dataverse organization. */
export const linkedEnvironmentMetadataSchema = z.object({
  /** The Dataverse organization id (the Power Pages create body's `dataverseOrganizationId`). */
  resourceId: guid,
  friendlyName: z.string().optional(),
  uniqueName: z.string().min(1),
  domainName: z.string().min(1),
  version: z.string().optional(),
  /** `https://org….crm4.dynamics.com/` (with a trailing slash): the Dataverse token audience. */
  instanceUrl: z.url(),
  /** `https://org….api.crm4.dynamics.com`: the Web API host. */
  instanceApiUrl: z.url(),
  /** LCID of the organization's base language. */
  baseLanguage: z.number().int().positive(),
  instanceState: z.string().optional(),
});

/** One environment (`GET …/scopes/admin/environments/{name}` or an item of the list). */
export const bapEnvironmentSchema = z.object({
  id: z.string().min(1),
  /** The environment id the Power Pages API path takes (`Default-{tenantId}` for the default one). */
  name: z.string().min(1),
  type: z.string().optional(),
  location: z.string().optional(),
  properties: z.object({
    tenantId: guid,
    displayName: z.string(),
    azureRegion: z.string().optional(),
    isDefault: z.boolean().optional(),
    environmentSku: z.string().optional(),
    provisioningState: z.string().optional(),
    databaseType: z.string().optional(),
    linkedEnvironmentMetadata: linkedEnvironmentMetadataSchema.optional(),
  }),
});

/** `GET …/scopes/admin/environments`: `{ value: [...] }`. */
export const bapEnvironmentListSchema = z.object({ value: z.array(bapEnvironmentSchema) });

/** A parsed environment. */
export type BapEnvironment = z.infer<typeof bapEnvironmentSchema>;

/** Parses one environment, or says which field is wrong (path: message). */
export function parseBapEnvironment(data: unknown): { environment: BapEnvironment } | { problem: string } {
  const parsed = bapEnvironmentSchema.safeParse(data);
  if (parsed.success) return { environment: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'unexpected shape'}` };
}
