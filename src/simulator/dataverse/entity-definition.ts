/**
 * A simulated table's metadata as `GET EntityDefinitions(LogicalName='x')` answers it, from the
 * simulator's table schema: the EntityMetadata properties, `Attributes` with `AttributeType` and
 * `IsValidForCreate`/`IsValidForUpdate`, `ManyToOneRelationships` (one per lookup target, with
 * `ReferencingEntityNavigationPropertyName`) and `ManyToManyRelationships` from both sides.
 * Property names from the Web API metadata reference (EntityMetadata, AttributeMetadata,
 * OneToManyRelationshipMetadata, ManyToManyRelationshipMetadata on learn.microsoft.com).
 */
import { createHash } from 'node:crypto';
import type { SimTable } from '../model.ts';

function metadataId(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The table's columns with their types and writability, primary id first. */
export function attributesOf(table: SimTable): {
  LogicalName: string;
  AttributeType: string;
  IsValidForCreate: boolean;
  IsValidForUpdate: boolean;
  IsValidForRead: boolean;
}[] {
  const readOnly = new Set(table.readOnlyColumns ?? []);
  const updateOnly = new Set(table.updateOnlyColumns ?? []);
  const lookups = [...new Set((table.lookups ?? []).map((l) => l.attribute))];
  return [
    {
      LogicalName: table.primaryIdAttribute,
      AttributeType: 'Uniqueidentifier',
      IsValidForCreate: true,
      IsValidForUpdate: false,
      IsValidForRead: true,
    },
    ...table.columns.map((c) => ({
      LogicalName: c,
      AttributeType: table.columnTypes?.[c] ?? 'String',
      IsValidForCreate: !readOnly.has(c) && !updateOnly.has(c),
      IsValidForUpdate: !readOnly.has(c),
      IsValidForRead: true,
    })),
    ...lookups.map((c) => ({
      LogicalName: c,
      AttributeType: 'Lookup',
      IsValidForCreate: true,
      IsValidForUpdate: true,
      IsValidForRead: true,
    })),
  ];
}

/**
 * The `EntityDefinitions` JSON of `table`; `tables` are the environment's tables (for the N:N
 * relationships other tables declare with this one). Only the collections `expand` names are
 * included, as the Web API does.
 */
export function entityDefinitionOf(
  table: SimTable,
  tables: readonly SimTable[],
  serviceRoot: string,
  expand: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    '@odata.context': `${serviceRoot}/$metadata#EntityDefinitions/$entity`,
    MetadataId: metadataId(`table:${table.logicalName}`),
    LogicalName: table.logicalName,
    EntitySetName: table.entitySetName,
    PrimaryIdAttribute: table.primaryIdAttribute,
    PrimaryNameAttribute: table.primaryNameAttribute,
  };
  if (/\bAttributes\b/.test(expand)) body.Attributes = attributesOf(table);
  if (/\bManyToOneRelationships\b/.test(expand)) {
    body.ManyToOneRelationships = (table.lookups ?? []).map((l) => {
      const target = tables.find((t) => t.logicalName === l.targetTable);
      return {
        MetadataId: metadataId(`relationship:${l.relationship}`),
        SchemaName: l.relationship,
        ReferencedEntity: l.targetTable,
        ReferencedAttribute: target?.primaryIdAttribute ?? `${l.targetTable}id`,
        ReferencingEntity: table.logicalName,
        ReferencingAttribute: l.attribute,
        ReferencingEntityNavigationPropertyName: l.navigationProperty,
        RelationshipType: 'OneToManyRelationship',
      };
    });
  }
  if (/\bManyToManyRelationships\b/.test(expand)) {
    const relationships: Record<string, unknown>[] = [];
    for (const owner of tables) {
      for (const m of owner.manyToMany ?? []) {
        if (owner.logicalName !== table.logicalName && m.targetTable !== table.logicalName) continue;
        const navigation = m.navigationProperty ?? m.name;
        relationships.push({
          MetadataId: metadataId(`relationship:${m.name}`),
          SchemaName: m.name,
          Entity1LogicalName: owner.logicalName,
          Entity1NavigationPropertyName: navigation,
          Entity2LogicalName: m.targetTable,
          Entity2NavigationPropertyName: navigation,
          IntersectEntityName: m.name.toLowerCase(),
          RelationshipType: 'ManyToManyRelationship',
        });
      }
    }
    body.ManyToManyRelationships = relationships;
  }
  return body;
}
