/**
 * Reads a table's definition from the Web API's `EntityDefinitions` in its real shape: names,
 * columns with `AttributeType` and `IsValidForCreate`/`IsValidForUpdate`, lookups from
 * `ManyToOneRelationships` and N:N relationships from `ManyToManyRelationships`.
 *
 * Property names are those of the Web API metadata entity types (learn.microsoft.com,
 * power-apps/developer/data-platform/webapi/reference: EntityMetadata, AttributeMetadata,
 * OneToManyRelationshipMetadata — `ReferencingAttribute`, `ReferencingEntityNavigationPropertyName`,
 * `ReferencedEntity` — and ManyToManyRelationshipMetadata — `Entity1LogicalName`,
 * `Entity1NavigationPropertyName`, `Entity2LogicalName`, `Entity2NavigationPropertyName`).
 */
import { z } from 'zod';
import type { TableLookup, TableManyToMany, TableMetadata } from '../ports.ts';

/** The `$select`/`$expand` options PortalOps asks `EntityDefinitions(LogicalName='x')` with. */
export const ENTITY_DEFINITION_OPTIONS = {
  $select: 'LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute',
  $expand: [
    'Attributes($select=LogicalName,AttributeType,IsValidForCreate,IsValidForUpdate,AttributeOf)',
    'ManyToOneRelationships($select=SchemaName,ReferencedEntity,ReferencedAttribute,ReferencingEntity,ReferencingAttribute,ReferencingEntityNavigationPropertyName)',
    'ManyToManyRelationships($select=SchemaName,Entity1LogicalName,Entity1NavigationPropertyName,Entity2LogicalName,Entity2NavigationPropertyName,IntersectEntityName)',
  ].join(','),
};

const attributeSchema = z.object({
  LogicalName: z.string(),
  AttributeType: z.string().nullish(),
  IsValidForCreate: z.boolean().nullish(),
  IsValidForUpdate: z.boolean().nullish(),
  /** Set on columns that only shadow another one (e.g. a lookup's `…name`); never written. */
  AttributeOf: z.string().nullish(),
});

const manyToOneSchema = z.object({
  SchemaName: z.string(),
  ReferencedEntity: z.string(),
  ReferencingEntity: z.string().optional(),
  ReferencingAttribute: z.string(),
  ReferencingEntityNavigationPropertyName: z.string(),
});

const manyToManySchema = z.object({
  SchemaName: z.string(),
  Entity1LogicalName: z.string(),
  Entity1NavigationPropertyName: z.string(),
  Entity2LogicalName: z.string(),
  Entity2NavigationPropertyName: z.string(),
  IntersectEntityName: z.string().optional(),
});

/** The JSON of `GET EntityDefinitions(LogicalName='x')?$select=…&$expand=…`. */
export const entityDefinitionSchema = z.object({
  LogicalName: z.string(),
  EntitySetName: z.string(),
  PrimaryIdAttribute: z.string(),
  PrimaryNameAttribute: z.string().nullish(),
  Attributes: z.array(attributeSchema).optional(),
  ManyToOneRelationships: z.array(manyToOneSchema).optional(),
  ManyToManyRelationships: z.array(manyToManySchema).optional(),
});

/** The Web API's entity definition JSON. */
export type EntityDefinition = z.infer<typeof entityDefinitionSchema>;

/**
 * A table's metadata from an `EntityDefinitions` answer. Throws a zod error when the answer is
 * not of that shape. A self-referencing N:N relationship appears once, with this table's
 * first navigation property.
 */
export function parseEntityDefinition(json: unknown): TableMetadata {
  const d = entityDefinitionSchema.parse(json);
  const attributes = (d.Attributes ?? [])
    .filter((a) => !a.AttributeOf)
    .map((a) => ({
      logicalName: a.LogicalName,
      attributeType: a.AttributeType ?? 'String',
      validForCreate: a.IsValidForCreate ?? true,
      validForUpdate: a.IsValidForUpdate ?? true,
    }));
  const lookups: TableLookup[] = (d.ManyToOneRelationships ?? [])
    .filter((r) => !r.ReferencingEntity || r.ReferencingEntity === d.LogicalName)
    .map((r) => ({
      attribute: r.ReferencingAttribute,
      navigationProperty: r.ReferencingEntityNavigationPropertyName,
      targetTable: r.ReferencedEntity,
      relationship: r.SchemaName,
    }));
  const manyToMany: TableManyToMany[] = [];
  for (const r of d.ManyToManyRelationships ?? []) {
    const first = r.Entity1LogicalName === d.LogicalName;
    if (!first && r.Entity2LogicalName !== d.LogicalName) continue;
    manyToMany.push({
      relationship: r.SchemaName,
      navigationProperty: first ? r.Entity1NavigationPropertyName : r.Entity2NavigationPropertyName,
      targetTable: first ? r.Entity2LogicalName : r.Entity1LogicalName,
    });
  }
  return {
    logicalName: d.LogicalName,
    entitySetName: d.EntitySetName,
    primaryIdAttribute: d.PrimaryIdAttribute,
    primaryNameAttribute: d.PrimaryNameAttribute ?? '',
    columns: attributes.map((a) => a.logicalName),
    attributes,
    lookups,
    manyToMany,
  };
}
