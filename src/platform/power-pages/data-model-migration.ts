/**
 * Moving a standard-data-model site onto the enhanced data model: the two admin API calls the
 * documented migration makes, and how the client sends them.
 *
 * What is documented (power-pages-docs `admin/migrate-enhanced-data-model.md` @ f8599791,
 * "Migrate standard data model sites to enhanced data model (preview)"): `pac pages
 * migrate-datamodel --webSiteId <record id> --mode all` copies the site's configuration into the
 * enhanced tables, `--checkMigrationStatus` reports how far it got (the process may outlive the
 * prompt), and `--updateDatamodelVersion --portalId <portal id>` switches the site to the migrated
 * records, an admin action (System Administrator, Dynamics 365 or Power Platform administrator).
 *
 * 1. **Switch** — documented: `POST /websites/{id}/setPortalDataModelVersion` with
 *    `{"dataModelVersionValue": true}` ("value of data model version for IsNewDataModel"), 200 on
 *    success (Learn "Websites - Set Portal Data Model Version", api-version 2024-10-01; Kiota
 *    `SetPortalDataModelVersionRequestBuilder`, PyPI powerplatform-management 2.0.3232.199;
 *    listed in power-pages-docs `admin/admin-api.md` and test/contracts/samples/power-pages-api/endpoints.md). `{id}`
 *    is the portal id, which is why pac asks for `--portalId` at this step only.
 * 2. **Data migration** — NOT documented: no admin API page or client shows the call behind
 *    `--mode`. This client uses the closest documented shape of the same API, a long-running
 *    website action answering 202 + `Operation-Location` (create website, enableWaf), at
 *    `POST /websites/{id}/migrateDataModel` with pac's own mode names in the body. Its
 *    progress is read by polling the Operation-Location like every other operation. Dataverse
 *    keeps the migration's state in the documented `adx_websitemigrationtracker` table
 *    (`adx_migrationstatus`: 746610000 Not Started, 746610001 Running, 746610002 Completed,
 *    746610003 Failed, 746610004 Reverted — Website Migration Tracker table reference,
 *    dynamics-365-customer-engagement `ce/field-service/entities/adx_websitemigrationtracker.md`),
 *    which a resumed job reads to learn whether a migration it may have sent is under way.
 */

/** pac's `--mode`: the site's configuration, its transactional records, or both. */
export type DataModelMigrationMode = 'configurationData' | 'configurationDataReferences' | 'all';

/** The body of the (undocumented) data migration request. */
export function dataModelMigrationBody(mode: DataModelMigrationMode): { mode: DataModelMigrationMode } {
  return { mode };
}

/** The documented body of `setPortalDataModelVersion` (`PortalDataModelDto`). */
export function dataModelVersionBody(enhanced: boolean): { dataModelVersionValue: boolean } {
  return { dataModelVersionValue: enhanced };
}

/** Path segments below `/websites/{id}/`. */
export const DATA_MODEL_PATHS = {
  migrate: 'migrateDataModel',
  setVersion: 'setPortalDataModelVersion',
} as const;

/** The Website Migration Tracker table (`adx_websitemigrationtracker`) as Dataverse names it. */
export const MIGRATION_TRACKER = {
  entitySet: 'adx_websitemigrationtrackers',
  id: 'adx_websitemigrationtrackerid',
  status: 'adx_migrationstatus',
  website: 'adx_websiteid',
} as const;

/** `adx_migrationstatus` choices (Website Migration Tracker table reference). */
export const MIGRATION_STATUS = {
  notStarted: 746610000,
  running: 746610001,
  completed: 746610002,
  failed: 746610003,
  reverted: 746610004,
} as const;

/** A tracker status value in words; undefined for a value the reference does not list. */
export function migrationStatusName(value: unknown): keyof typeof MIGRATION_STATUS | undefined {
  const entry = Object.entries(MIGRATION_STATUS).find(([, v]) => v === Number(value));
  return entry?.[0] as keyof typeof MIGRATION_STATUS | undefined;
}
