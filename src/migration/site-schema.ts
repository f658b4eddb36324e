/**
 * The configuration tables of one environment as its metadata describes them: entity set names,
 * id and name columns, column types and which columns can be written, lookups with the
 * navigation property and entity set of each target, and the N:N relationships a site carries.
 * Export, import, snapshots and restore take every Dataverse name from here, so a lookup or
 * column PortalOps has never heard of is still read, compared and bound the way that
 * environment expects.
 */
import { PortalOpsError } from '../domain/errors.ts';
import type { Dataverse, TableAttribute, TableMetadata } from '../platform/ports.ts';
import { CONFIG_TABLES, type ConfigTable } from './config-tables.ts';

/** One table a lookup can point at. */
export interface LookupTarget {
  table: string;
  entitySetName: string;
  /** `<navigationProperty>@odata.bind` sets the lookup to a row of this table. */
  navigationProperty: string;
}

/** A configuration table in one environment. */
export interface SchemaTable extends ConfigTable {
  entitySetName: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string;
  /** Position in {@link CONFIG_TABLES} (parents first). */
  order: number;
  attributes: Map<string, TableAttribute>;
  /** Lookup column → the tables it can point at (several for a polymorphic lookup). */
  lookups: Map<string, LookupTarget[]>;
  /** N:N relationships this table's records carry, by relationship schema name. */
  manyToMany: { relationship: string; navigationProperty: string; target: SchemaTable }[];
}

/** The configuration tables an environment has. */
export interface SiteSchema {
  /** By logical name, in {@link CONFIG_TABLES} order; tables the environment lacks are absent. */
  tables: Map<string, SchemaTable>;
}

/**
 * Lookups that say who made or owns a row. They belong to the environment, not to the site, so
 * they are never copied (Dataverse sets them on write).
 */
const ENVIRONMENT_LOOKUPS = new Set([
  'createdby',
  'createdonbehalfby',
  'modifiedby',
  'modifiedonbehalfby',
  'ownerid',
  'owninguser',
  'owningteam',
  'owningbusinessunit',
  'organizationid',
]);

/**
 * The site schema of an environment, from its table metadata (read once per organization by the
 * client and kept; `refresh` reads it again).
 */
export async function loadSiteSchema(
  dataverse: Dataverse,
  options: { refresh?: boolean } = {},
): Promise<SiteSchema> {
  const read = (name: string) => dataverse.getTable(name, options);
  const definitions = await Promise.all(CONFIG_TABLES.map((t) => read(t.logicalName)));
  const found = new Map<string, TableMetadata>();
  for (const d of definitions) if (d) found.set(d.logicalName, d);
  const targets = new Set<string>();
  for (const d of found.values())
    for (const l of d.lookups) if (!found.has(l.targetTable)) targets.add(l.targetTable);
  const others = new Map<string, TableMetadata>();
  await Promise.all(
    [...targets].map(async (name) => {
      const d = await read(name);
      if (d) others.set(name, d);
    }),
  );
  const tables = new Map<string, SchemaTable>();
  for (const [order, config] of CONFIG_TABLES.entries()) {
    const d = found.get(config.logicalName);
    if (!d) continue;
    const attributes = new Map(d.attributes.map((a) => [a.logicalName, a]));
    const lookups = new Map<string, LookupTarget[]>();
    for (const l of d.lookups) {
      if (ENVIRONMENT_LOOKUPS.has(l.attribute)) continue;
      const attribute = attributes.get(l.attribute);
      if (attribute && !attribute.validForCreate && !attribute.validForUpdate) continue;
      const target = found.get(l.targetTable) ?? others.get(l.targetTable);
      if (!target) continue;
      const list = lookups.get(l.attribute) ?? [];
      list.push({
        table: l.targetTable,
        entitySetName: target.entitySetName,
        navigationProperty: l.navigationProperty,
      });
      lookups.set(l.attribute, list);
    }
    tables.set(config.logicalName, {
      ...config,
      entitySetName: d.entitySetName,
      primaryIdAttribute: d.primaryIdAttribute,
      primaryNameAttribute: d.primaryNameAttribute,
      order,
      attributes,
      lookups,
      manyToMany: [],
    });
  }
  // An N:N link between two configuration tables is carried by the later table of the two (the
  // permission, not the web role), so each link is read and written once.
  for (const table of tables.values()) {
    for (const m of found.get(table.logicalName)!.manyToMany) {
      const target = tables.get(m.targetTable);
      if (!target || target.order >= table.order) continue;
      table.manyToMany.push({
        relationship: m.relationship,
        navigationProperty: m.navigationProperty,
        target,
      });
    }
  }
  return { tables };
}

/** The table with this entity set name. */
export function tableOfEntitySet(schema: SiteSchema, entitySet: string): SchemaTable | undefined {
  for (const table of schema.tables.values()) if (table.entitySetName === entitySet) return table;
  return undefined;
}

/** The table, or `invalid_input` when the environment does not have it. */
export function schemaTable(schema: SiteSchema, table: string): SchemaTable {
  const found = schema.tables.get(table);
  if (!found)
    throw new PortalOpsError(
      'invalid_input',
      `The environment has no ${table} table, so its ${table} records cannot be written.`,
    );
  return found;
}
