/**
 * The configuration tables of a Power Pages site (standard data model) as data: how each is
 * found from its website. Tables owned by the website carry an `adx_websiteid` lookup; the
 * others hang off a parent table through `parentLookup`.
 *
 * Everything past export works on neutral `SiteRecord`s keyed by a table name, so the
 * enhanced data model fits in as another list: `powerpagesite` as the root, and one entry per
 * `powerpagecomponenttype` of `powerpagecomponent` (read with a type filter, its `content`
 * JSON spread into columns), each named like the standard table it replaces.
 */
export interface ConfigTable {
  logicalName: string;
  /** Lookup to the website (`adx_websiteid`), for tables owned by a website. */
  websiteLookup?: string;
  /** For child tables: the lookup column and the parent table's logical name. */
  parentLookup?: { column: string; parentTable: string };
}

const owned = (logicalName: string): ConfigTable => ({ logicalName, websiteLookup: 'adx_websiteid' });

const child = (logicalName: string, column: string, parentTable: string): ConfigTable => ({
  logicalName,
  parentLookup: { column, parentTable },
});

/**
 * Every configuration table PortalOps exports, parents before children. Which tables belong to
 * a site, and how their rows are found; entity set names, id and name columns, lookups with
 * their navigation properties and N:N relationships come from each environment's metadata
 * (see `site-schema.ts`).
 */
export const CONFIG_TABLES: readonly ConfigTable[] = [
  { logicalName: 'adx_website' },
  owned('adx_websitelanguage'),
  owned('adx_publishingstate'),
  owned('adx_webtemplate'),
  owned('adx_pagetemplate'),
  owned('adx_webpage'),
  owned('adx_webfile'),
  owned('adx_contentsnippet'),
  owned('adx_sitesetting'),
  owned('adx_sitemarker'),
  owned('adx_weblinkset'),
  child('adx_weblink', 'adx_weblinksetid', 'adx_weblinkset'),
  owned('adx_webrole'),
  owned('adx_websiteaccess'),
  owned('adx_webpageaccesscontrolrule'),
  owned('adx_entityform'),
  child('adx_entityformmetadata', 'adx_entityform', 'adx_entityform'),
  owned('adx_entitylist'),
  owned('adx_entitypermission'),
  owned('adx_redirect'),
  owned('adx_shortcut'),
  owned('adx_poll'),
  child('adx_polloption', 'adx_pollid', 'adx_poll'),
  owned('adx_pollplacement'),
  owned('adx_ad'),
  owned('adx_adplacement'),
  owned('adx_urlhistory'),
  owned('adx_tag'),
  owned('adx_webform'),
  child('adx_webformstep', 'adx_webform', 'adx_webform'),
  child('adx_webformmetadata', 'adx_webformstep', 'adx_webformstep'),
  owned('adx_botconsumer'),
  owned('adx_forumthreadtype'),
  owned('adx_communityforum'),
  child('adx_communityforumaccesspermission', 'adx_forumid', 'adx_communityforum'),
  owned('adx_columnpermissionprofile'),
  child('adx_columnpermission', 'adx_columnpermissionprofileid', 'adx_columnpermissionprofile'),
  // A web file's content is a note bound to it through the polymorphic `objectid`.
  child('annotation', 'objectid', 'adx_webfile'),
];

/** The Web API name of a lookup's value column, e.g. `adx_websiteid` → `_adx_websiteid_value`. */
export function lookupValueColumn(column: string): string {
  return `_${column}_value`;
}
