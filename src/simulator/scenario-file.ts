/**
 * Scenario files: the YAML that seeds the simulator (tenants, environments, people, apps,
 * sites, scripted failures). Short forms are expanded here: environments get the standard
 * tables unless they list their own, roles and sites name environments by alias.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PortalOpsError } from '../domain/errors.ts';
import {
  DATA_MODELS,
  PACKAGE_INSTALL_STATUSES,
  SITE_VISIBILITIES,
  WEBSITE_STATUSES,
  WEBSITE_TYPES,
} from '../domain/website.ts';
import type { Scenario, SimEnvironment, SimSite } from './model.ts';
import { configurationFromFolder } from './site-configuration.ts';
import { standardTables } from './standard-tables.ts';

export { DEFAULT_SCENARIO_FILE } from './scenario-aliases.ts';

const roles = z.record(z.string(), z.array(z.string()));

const tableSchema = z.object({
  logicalName: z.string(),
  entitySetName: z.string(),
  primaryIdAttribute: z.string(),
  primaryNameAttribute: z.string(),
  columns: z.array(z.string()),
  columnTypes: z.record(z.string(), z.string()).optional(),
  readOnlyColumns: z.array(z.string()).optional(),
  lookups: z
    .array(
      z.object({
        attribute: z.string(),
        navigationProperty: z.string(),
        targetTable: z.string(),
        relationship: z.string(),
      }),
    )
    .optional(),
  manyToMany: z
    .array(z.object({ name: z.string(), targetTable: z.string(), navigationProperty: z.string().optional() }))
    .optional(),
});

const logicalName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'use a table logical name such as new_project');

/**
 * A custom table as a solution adds it: its logical name, and its entity set name when that is
 * not the logical name plus "s" (Dataverse lets a maker choose it, e.g. `feedback` → `feedback`).
 */
const extraTableSchema = z.union([
  logicalName,
  z.object({ logicalName, entitySetName: z.string().min(1).optional() }),
]);

const scenarioSchema = z.object({
  name: z.string(),
  tenants: z.array(z.object({ id: z.string(), name: z.string() })).min(1),
  durations: z
    .object({
      provisioningMs: z.number().nonnegative().optional(),
      packageInstallMs: z.number().nonnegative().optional(),
      deletionMs: z.number().nonnegative().optional(),
    })
    .optional(),
  environments: z
    .array(
      z.object({
        id: z.string(),
        alias: z.string(),
        displayName: z.string(),
        tenantId: z.string(),
        orgUniqueName: z.string(),
        organizationId: z.string(),
        baseLanguage: z.number().int(),
        installedLanguages: z.array(z.number().int()).min(1),
        protected: z.boolean().default(false),
        solutions: z.array(z.object({ uniqueName: z.string(), version: z.string() })).default([]),
        tables: z.array(tableSchema).optional(),
        /** Custom tables on top of the standard ones (as installed solutions add them). */
        extraTables: z.array(extraTableSchema).default([]),
      }),
    )
    .min(1),
  users: z.array(
    z.object({
      id: z.string(),
      tenantId: z.string(),
      userPrincipalName: z.string(),
      displayName: z.string(),
      securityRoles: roles.default({}),
    }),
  ),
  apps: z
    .array(
      z.object({
        clientId: z.string(),
        tenantId: z.string(),
        clientSecret: z.string(),
        displayName: z.string(),
        securityRoles: roles.default({}),
      }),
    )
    .default([]),
  sites: z
    .array(
      z.object({
        id: z.string().optional(),
        environment: z.string(),
        name: z.string(),
        subdomain: z.string(),
        templateName: z.string().default('DefaultPortalTemplate'),
        // Only the documented WebsiteDto values (websitedto.enums.schema-only.json).
        status: z.enum(WEBSITE_STATUSES).default('OperationComplete'),
        packageInstallStatus: z.enum(PACKAGE_INSTALL_STATUSES).default('Installed'),
        type: z.enum(WEBSITE_TYPES).default('Production'),
        siteVisibility: z.enum(SITE_VISIBILITIES).default('private'),
        /** Sites seeded with adx_* configuration are on the standard data model. */
        dataModel: z.enum(DATA_MODELS).default('Standard'),
        trialExpiringInDays: z.number().int().nullable().default(null),
        suspendedWebsiteDeletingInDays: z.number().int().nullable().default(null),
        websiteRecordId: z.string().optional(),
        selectedBaseLanguage: z.number().int().optional(),
        createdOn: z.string().optional(),
        /** A `pac pages download` folder (relative to the scenario file) whose records the site has. */
        configuration: z.string().optional(),
      }),
    )
    .default([]),
  records: z.record(z.string(), z.record(z.string(), z.array(z.record(z.string(), z.unknown())))).optional(),
  faults: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({
          kind: z.literal('provisioning'),
          environment: z.string().optional(),
          subdomain: z.string().optional(),
          outcome: z.enum(['provisioning_failed', 'package_install_failed']),
        }),
        z.object({
          kind: z.literal('delete'),
          websiteId: z.string().optional(),
          failure: z.enum(['transient', 'not_submitted', 'missing_permission']),
        }),
      ]),
    )
    .default([]),
});

/** A scenario as written in a file (before expansion). */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** Validates and expands scenario data. Throws `invalid_input` naming the first problems. */
export function buildScenario(input: unknown, source = 'scenario', baseDir = process.cwd()): Scenario {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new PortalOpsError('invalid_input', `${source} is not a valid scenario: ${problems}.`);
  }
  const data = parsed.data;
  const environments: SimEnvironment[] = data.environments.map(({ extraTables, ...e }) => ({
    ...e,
    tables: [
      ...(e.tables ?? standardTables()),
      ...extraTables.map((extra) => {
        const name = typeof extra === 'string' ? extra : extra.logicalName;
        const entitySetName = typeof extra === 'string' ? undefined : extra.entitySetName;
        return {
          logicalName: name,
          // The simulated organization's own naming, served to clients through its metadata.
          entitySetName: entitySetName ?? `${name}s`,
          primaryIdAttribute: `${name}id`,
          primaryNameAttribute: 'name',
          columns: ['name'],
        };
      }),
    ],
  }));
  const configurations: NonNullable<Scenario['configurations']> = [];
  const envId = (aliasOrId: string): string => {
    const env = environments.find((e) => e.alias === aliasOrId || e.id === aliasOrId);
    if (!env)
      throw new PortalOpsError('invalid_input', `${source} names an unknown environment '${aliasOrId}'.`);
    return env.id;
  };
  const mapRoles = (byEnv: Record<string, string[]>) =>
    Object.fromEntries(Object.entries(byEnv).map(([key, names]) => [envId(key), names]));
  const sites = data.sites.map((s, index) => {
    const env = environments.find((e) => e.id === envId(s.environment))!;
    const configuration = s.configuration
      ? configurationFromFolder(path.resolve(baseDir, s.configuration), undefined, s.dataModel)
      : undefined;
    if (configuration) configurations.push({ environmentId: env.id, ...configuration });
    const site: Omit<SimSite, 'phaseEndsAt' | 'scriptedOutcome' | 'deleting'> = {
      id: s.id ?? randomUUID(),
      name: s.name,
      createdOn: s.createdOn ?? new Date(Date.UTC(2026, 0, 1 + index)).toISOString(),
      templateName: s.templateName,
      websiteUrl: '',
      tenantId: env.tenantId,
      dataverseInstanceUrl: '',
      environmentName: env.displayName,
      environmentId: env.id,
      dataverseOrganizationId: env.organizationId,
      selectedBaseLanguage: s.selectedBaseLanguage ?? env.baseLanguage,
      customHostNames: [],
      websiteRecordId: configuration?.websiteRecordId ?? s.websiteRecordId ?? randomUUID(),
      subdomain: s.subdomain.toLowerCase(),
      packageInstallStatus: s.packageInstallStatus,
      type: s.type,
      trialExpiringInDays: s.trialExpiringInDays,
      suspendedWebsiteDeletingInDays: s.suspendedWebsiteDeletingInDays,
      packageVersion: '9.6.9.1',
      isEarlyUpgradeEnabled: false,
      isCustomErrorEnabled: false,
      applicationUserAadAppId: randomUUID(),
      ownerId: '',
      status: s.status,
      siteVisibility: s.siteVisibility,
      dataModel: s.dataModel,
    };
    return site;
  });
  return {
    name: data.name,
    tenants: data.tenants,
    environments,
    users: data.users.map((u) => ({ ...u, securityRoles: mapRoles(u.securityRoles) })),
    apps: data.apps.map((a) => ({ ...a, securityRoles: mapRoles(a.securityRoles) })),
    sites,
    ...(configurations.length ? { configurations } : {}),
    ...(data.records
      ? { records: Object.fromEntries(Object.entries(data.records).map(([k, v]) => [envId(k), v])) }
      : {}),
    faults: data.faults.map((f) =>
      f.kind === 'provisioning'
        ? {
            kind: 'provisioning' as const,
            outcome: f.outcome,
            ...(f.environment ? { environmentId: envId(f.environment) } : {}),
            ...(f.subdomain ? { subdomain: f.subdomain } : {}),
          }
        : { kind: 'delete' as const, failure: f.failure, ...(f.websiteId ? { websiteId: f.websiteId } : {}) },
    ),
    ...(data.durations ? { durations: data.durations } : {}),
  };
}

/** Reads a scenario file (YAML or JSON). Throws `invalid_input` with the file name and the problem. */
export function readScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new PortalOpsError('invalid_input', `Scenario file ${file} cannot be read. Check the path.`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new PortalOpsError(
      'invalid_input',
      `Scenario file ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return buildScenario(data, `Scenario file ${file}`, path.dirname(file));
}
