/**
 * One entry of the environments registry (the YAML/JSON file named by PORTALOPS_ENVIRONMENTS_FILE).
 * `alias` is what people type ("dev", "prod"); the rest says where the environment lives.
 */
export interface EnvironmentEntry {
  alias: string;
  displayName: string;
  /** Power Platform environment id (GUID). */
  environmentId: string;
  /** Dataverse organization URL, e.g. https://contoso-dev.crm.dynamics.com */
  dataverseUrl: string;
  /** Entra tenant id (GUID) that owns the environment. */
  tenantId: string;
  /** Protected environments need approval for destructive work and migrations into them. */
  protected: boolean;
}

/** What the platform says about an environment beyond the registry entry. */
export interface EnvironmentDetails {
  alias: string;
  environmentId: string;
  displayName: string;
  dataverseUrl: string;
  /** Dataverse organization id (GUID), used when creating a website. */
  organizationId: string;
  /** LCID of the environment's base language. */
  baseLanguage: number;
  /** LCIDs of the languages enabled in the environment. */
  installedLanguages: number[];
  tenantId: string;
  protected: boolean;
}
