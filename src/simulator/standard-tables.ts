/**
 * Table definitions of a Power Pages environment for simulated environments: the standard data
 * model's configuration tables, the enhanced data model's tables, and a few business tables
 * sites commonly use. This is the simulator's own description of Dataverse (entity set names,
 * lookups with their navigation properties, read-only columns); it serves it as metadata and
 * refuses writes that do not fit it, so nothing here is taken from the client's code.
 *
 * Names come from test/contracts/samples/dataverse/entity-names-and-choices.md: irregular entity
 * sets (`adx_websiteaccesses`, `adx_urlhistories`), the website's `adx_DefaultLanguage`
 * navigation property, the note's `objectid_adx_webfile`. Other lookups use their column name as
 * navigation property, as the adx_website reference shows for its other lookups.
 */
import type { SimLookup, SimTable } from './model.ts';
import { PAC_TABLE_COLUMN_TYPES, PAC_TABLE_COLUMNS } from './standard-table-columns.ts';

/** Columns the configuration tables carry (a superset; lookups by their logical names). */
const CONFIGURATION_COLUMNS = [
  'adx_active',
  'adx_ad',
  'adx_adddescription',
  'adx_adplacement',
  'adx_anonymoususersrole',
  'adx_answer',
  'adx_append',
  'adx_appendquerystring',
  'adx_appendto',
  'adx_associatecurrentportaluser',
  'adx_attachfile',
  'adx_attachfileallowmultiple',
  'adx_attachfilerequired',
  'adx_attachfilerestrictaccept',
  'adx_attributelogicalname',
  'adx_authenticatedusersrole',
  'adx_autogeneratesteps',
  'adx_calendar_enabled',
  'adx_captcharequired',
  'adx_changeddate',
  'adx_contactrelationship',
  'adx_contentsnippet',
  'adx_contentsnippetlanguageid',
  'adx_copy',
  'adx_summary',
  'adx_source',
  'adx_create',
  'adx_defaultlanguage',
  'adx_delete',
  'adx_description',
  'adx_disablepagevalidation',
  'adx_display_name',
  'adx_displayimageonly',
  'adx_displayname',
  'adx_displayorder',
  'adx_displaypagechildlinks',
  'adx_enablerating',
  'adx_enabletracking',
  'adx_entityform',
  'adx_entityformmetadata',
  'adx_entitylist',
  'adx_entitylogicalname',
  'adx_entityname',
  'adx_entitypermission',
  'adx_entitypermissionsenabled',
  'adx_entitysourcetype',
  'adx_excludefromsearch',
  'adx_feedbackpolicy',
  'adx_fieldisrequired',
  'adx_filter_enabled',
  'adx_footerwebtemplateid',
  'adx_forceallfieldsrequired',
  'adx_formname',
  'adx_geolocation_displaymap',
  'adx_geolocation_enabled',
  'adx_headerwebtemplateid',
  'adx_hiddenfromsitemap',
  'adx_hideformonsuccess',
  'adx_ignoredefaultvalue',
  'adx_isdefault',
  'adx_isroot',
  'adx_isvisible',
  'adx_label',
  'adx_languagecode',
  'adx_lcid',
  'adx_managecontentsnippets',
  'adx_managesitemarkers',
  'adx_manageweblinksets',
  'adx_map_enabled',
  'adx_mode',
  'adx_name',
  'adx_odata_enabled',
  'adx_onsavetype',
  'adx_openinnewwindow',
  'adx_pageid',
  'adx_pagesize',
  'adx_pagetemplate',
  'adx_parentpageid',
  'adx_parentweblinkid',
  'adx_partialurl',
  'adx_poll',
  'adx_polloption',
  'adx_pollplacement',
  'adx_populatereferenceentitylookupfield',
  'adx_portallanguage',
  'adx_portaluserlookupattributeisactivityparty',
  'adx_previewunpublishedentities',
  'adx_publishingstate',
  'adx_question',
  'adx_randomizeoptionsetvalues',
  'adx_read',
  'adx_recommendedfieldsrequired',
  'adx_recordidquerystringparametername',
  'adx_recordsourceallowcreateonnull',
  'adx_redirecturlappendentityidquerystring',
  'adx_referenceentityshowreadonlyform',
  'adx_referencequerystringisprimarykey',
  'adx_renderwebresourcesinline',
  'adx_rewriteurl',
  'adx_right',
  'adx_robotsfollowlink',
  'adx_rootwebpageid',
  'adx_scope',
  'adx_searchenabled',
  'adx_setentityreference',
  'adx_settings',
  'adx_setvalueonsave',
  'adx_sharedpageconfiguration',
  'adx_showcaptchaforauthenticatedusers',
  'adx_showownerfields',
  'adx_showunsupportedfields',
  'adx_sitemarker',
  'adx_sitename',
  'adx_sitesetting',
  'adx_submitbuttonlabel',
  'adx_successmessage',
  'adx_systemlanguage',
  'adx_tabname',
  'adx_tag',
  'adx_title',
  'adx_tooltipenabled',
  'adx_type',
  'adx_url',
  'adx_urlhistory',
  'adx_useattributedescriptionproperty',
  'adx_usewebsiteheaderandfooter',
  'adx_validationsummarylinksenabled',
  'adx_value',
  'adx_view',
  'adx_views',
  'adx_votes',
  'adx_webfile',
  'adx_weblink',
  'adx_weblinkset',
  'adx_webpage',
  'adx_webpageaccesscontrolrule',
  'adx_webpagelanguageid',
  'adx_webrole',
  'adx_website',
  'adx_websiteaccess',
  'adx_websitebinding',
  'adx_websitelanguage',
  'adx_webtemplate',
  'adx_write',
  'annotation',
  'filename',
  'importsequencenumber',
  'isdocument',
  'mimetype',
  'objectid',
  'objecttypecode',
  'statecode',
  'statuscode',
  'timezoneruleversionnumber',
  'adx_websiteid',
  'adx_websitelanguageid',
  'adx_website_language',
  'adx_webpageid',
  'adx_webfileid',
  'adx_weblinksetid',
  'adx_pollid',
  'adx_publishingstateid',
  'adx_webtemplateid',
  'adx_pagetemplateid',
  'adx_webroleid',
  'adx_contentsnippetid',
  'adx_entityformid',
  'adx_webformstep',
  'adx_webform',
  'adx_entityform',
  'adx_portallanguageid',
  'subject',
  'notetext',
  'documentbody',
  'createdon',
  'modifiedon',
];

/** Column types that are not `String` (AttributeTypeCode names). */
const COLUMN_TYPES: Record<string, string> = {
  adx_copy: 'Memo',
  adx_summary: 'Memo',
  adx_source: 'Memo',
  adx_value: 'Memo',
  adx_customcss: 'Memo',
  adx_customjavascript: 'Memo',
  adx_displayorder: 'Integer',
  adx_website_language: 'Integer',
  adx_lcid: 'Integer',
  adx_hiddenfromsitemap: 'Boolean',
  adx_excludefromsearch: 'Boolean',
  adx_isroot: 'Boolean',
  isdocument: 'Boolean',
  documentbody: 'Memo',
  notetext: 'Memo',
  statecode: 'State',
  statuscode: 'Status',
  createdon: 'DateTime',
  modifiedon: 'DateTime',
};

/** Columns the platform maintains: read back, never written. */
const READ_ONLY = [
  'createdon',
  'modifiedon',
  'importsequencenumber',
  'timezoneruleversionnumber',
  'versionnumber',
];

/**
 * Columns a row cannot be created with, but may be changed on: Dataverse creates a row active
 * and takes its state in an update (`statecode` is IsValidForCreate false, IsValidForUpdate true).
 */
const UPDATE_ONLY = ['statecode'];

/** A lookup: target table, and the navigation property when it is not the column name. */
type LookupSpec = string | { target: string; navigationProperty: string; relationship: string };

interface TableSpec {
  logicalName: string;
  entitySetName: string;
  primaryNameAttribute?: string;
  /** Owned by a website through `adx_websiteid`. */
  owned?: boolean;
  lookups?: Record<string, LookupSpec | LookupSpec[]>;
  manyToMany?: { name: string; targetTable: string }[];
}

const DEFAULT_LANGUAGE: LookupSpec = {
  target: 'adx_websitelanguage',
  navigationProperty: 'adx_DefaultLanguage',
  relationship: 'adx_adx_websitelanguage_adx_website_DefaultLanguage',
};

/** The standard data model's configuration tables. */
const CONFIGURATION_TABLES: TableSpec[] = [
  {
    logicalName: 'adx_website',
    entitySetName: 'adx_websites',
    lookups: {
      adx_defaultlanguage: DEFAULT_LANGUAGE,
      adx_headerwebtemplateid: 'adx_webtemplate',
      adx_footerwebtemplateid: 'adx_webtemplate',
      adx_parentwebsiteid: 'adx_website',
      adx_defaultbotconsumerid: 'adx_botconsumer',
    },
  },
  {
    logicalName: 'adx_websitelanguage',
    entitySetName: 'adx_websitelanguages',
    owned: true,
    lookups: { adx_publishingstate: 'adx_publishingstate', adx_portallanguageid: 'adx_portallanguage' },
  },
  { logicalName: 'adx_publishingstate', entitySetName: 'adx_publishingstates', owned: true },
  { logicalName: 'adx_webtemplate', entitySetName: 'adx_webtemplates', owned: true },
  {
    logicalName: 'adx_pagetemplate',
    entitySetName: 'adx_pagetemplates',
    owned: true,
    lookups: { adx_webtemplateid: 'adx_webtemplate' },
  },
  {
    logicalName: 'adx_webpage',
    entitySetName: 'adx_webpages',
    owned: true,
    lookups: {
      adx_pagetemplateid: 'adx_pagetemplate',
      adx_parentpageid: 'adx_webpage',
      adx_publishingstateid: 'adx_publishingstate',
      adx_rootwebpageid: 'adx_webpage',
      adx_webpagelanguageid: 'adx_websitelanguage',
      adx_entityform: 'adx_entityform',
      adx_entitylist: 'adx_entitylist',
      adx_navigation: 'adx_weblinkset',
    },
  },
  {
    logicalName: 'adx_webfile',
    entitySetName: 'adx_webfiles',
    owned: true,
    lookups: { adx_parentpageid: 'adx_webpage', adx_publishingstateid: 'adx_publishingstate' },
  },
  {
    logicalName: 'adx_contentsnippet',
    entitySetName: 'adx_contentsnippets',
    owned: true,
    lookups: { adx_contentsnippetlanguageid: 'adx_websitelanguage' },
  },
  { logicalName: 'adx_sitesetting', entitySetName: 'adx_sitesettings', owned: true },
  {
    logicalName: 'adx_sitemarker',
    entitySetName: 'adx_sitemarkers',
    owned: true,
    lookups: { adx_pageid: 'adx_webpage' },
  },
  {
    logicalName: 'adx_weblinkset',
    entitySetName: 'adx_weblinksets',
    owned: true,
    lookups: { adx_publishingstateid: 'adx_publishingstate', adx_websitelanguageid: 'adx_websitelanguage' },
  },
  {
    logicalName: 'adx_weblink',
    entitySetName: 'adx_weblinks',
    lookups: {
      adx_weblinksetid: 'adx_weblinkset',
      adx_pageid: 'adx_webpage',
      adx_publishingstateid: 'adx_publishingstate',
      adx_parentweblinkid: 'adx_weblink',
    },
  },
  {
    logicalName: 'adx_webrole',
    entitySetName: 'adx_webroles',
    owned: true,
    // Not site configuration: carried by nobody, there to be ignored.
    manyToMany: [{ name: 'adx_webrole_contact', targetTable: 'contact' }],
  },
  {
    logicalName: 'adx_websiteaccess',
    entitySetName: 'adx_websiteaccesses',
    owned: true,
    manyToMany: [{ name: 'adx_websiteaccess_webrole', targetTable: 'adx_webrole' }],
  },
  {
    logicalName: 'adx_webpageaccesscontrolrule',
    entitySetName: 'adx_webpageaccesscontrolrules',
    owned: true,
    lookups: { adx_webpageid: 'adx_webpage' },
    manyToMany: [{ name: 'adx_webpageaccesscontrolrule_webrole', targetTable: 'adx_webrole' }],
  },
  {
    logicalName: 'adx_entityform',
    entitySetName: 'adx_entityforms',
    owned: true,
    lookups: { adx_redirectwebpage: 'adx_webpage' },
  },
  {
    logicalName: 'adx_entityformmetadata',
    entitySetName: 'adx_entityformmetadatas',
    primaryNameAttribute: 'adx_attributelogicalname',
    lookups: { adx_entityform: 'adx_entityform' },
  },
  {
    logicalName: 'adx_entitylist',
    entitySetName: 'adx_entitylists',
    owned: true,
    lookups: { adx_webpageforcreate: 'adx_webpage', adx_webpagefordetailsview: 'adx_webpage' },
  },
  {
    logicalName: 'adx_entitypermission',
    entitySetName: 'adx_entitypermissions',
    primaryNameAttribute: 'adx_entityname',
    owned: true,
    lookups: { adx_parententitypermission: 'adx_entitypermission' },
    manyToMany: [{ name: 'adx_entitypermission_webrole', targetTable: 'adx_webrole' }],
  },
  { logicalName: 'adx_redirect', entitySetName: 'adx_redirects', owned: true },
  { logicalName: 'adx_shortcut', entitySetName: 'adx_shortcuts', owned: true },
  {
    logicalName: 'adx_poll',
    entitySetName: 'adx_polls',
    owned: true,
    lookups: { adx_webtemplateid: 'adx_webtemplate' },
  },
  { logicalName: 'adx_polloption', entitySetName: 'adx_polloptions', lookups: { adx_pollid: 'adx_poll' } },
  {
    logicalName: 'adx_pollplacement',
    entitySetName: 'adx_pollplacements',
    owned: true,
    manyToMany: [{ name: 'adx_pollplacement_poll', targetTable: 'adx_poll' }],
  },
  {
    logicalName: 'adx_ad',
    entitySetName: 'adx_ads',
    owned: true,
    lookups: { adx_publishingstateid: 'adx_publishingstate' },
  },
  {
    logicalName: 'adx_adplacement',
    entitySetName: 'adx_adplacements',
    owned: true,
    manyToMany: [{ name: 'adx_adplacement_ad', targetTable: 'adx_ad' }],
  },
  {
    logicalName: 'adx_urlhistory',
    entitySetName: 'adx_urlhistories',
    owned: true,
    lookups: { adx_webpageid: 'adx_webpage' },
  },
  { logicalName: 'adx_tag', entitySetName: 'adx_tags', owned: true },
  { logicalName: 'adx_webform', entitySetName: 'adx_webforms', owned: true },
  {
    logicalName: 'adx_webformstep',
    entitySetName: 'adx_webformsteps',
    lookups: { adx_webform: 'adx_webform' },
  },
  {
    logicalName: 'adx_webformmetadata',
    entitySetName: 'adx_webformmetadatas',
    primaryNameAttribute: 'adx_attributelogicalname',
    lookups: { adx_webformstep: 'adx_webformstep' },
  },
  { logicalName: 'adx_botconsumer', entitySetName: 'adx_botconsumers', owned: true },
  { logicalName: 'adx_forumthreadtype', entitySetName: 'adx_forumthreadtypes', owned: true },
  {
    logicalName: 'adx_communityforum',
    entitySetName: 'adx_communityforums',
    owned: true,
    lookups: {
      adx_forumpagetemplateid: 'adx_pagetemplate',
      adx_threadpagetemplateid: 'adx_pagetemplate',
      adx_parentpageid: 'adx_webpage',
      adx_publishingstateid: 'adx_publishingstate',
      adx_websitelanguageid: 'adx_websitelanguage',
    },
  },
  {
    logicalName: 'adx_communityforumaccesspermission',
    entitySetName: 'adx_communityforumaccesspermissions',
    lookups: { adx_forumid: 'adx_communityforum' },
    manyToMany: [{ name: 'adx_communityforumaccesspermission_webrole', targetTable: 'adx_webrole' }],
  },
  {
    logicalName: 'adx_columnpermissionprofile',
    entitySetName: 'adx_columnpermissionprofiles',
    primaryNameAttribute: 'adx_profilename',
    owned: true,
    manyToMany: [{ name: 'adx_columnpermissionprofile_webrole', targetTable: 'adx_webrole' }],
  },
  {
    logicalName: 'adx_columnpermission',
    entitySetName: 'adx_columnpermissions',
    lookups: { adx_columnpermissionprofileid: 'adx_columnpermissionprofile' },
  },
  {
    logicalName: 'annotation',
    entitySetName: 'annotations',
    primaryNameAttribute: 'subject',
    lookups: {
      // Polymorphic: one navigation property per target table (annotation-webfile.create.http).
      objectid: [
        {
          target: 'adx_webfile',
          navigationProperty: 'objectid_adx_webfile',
          relationship: 'adx_webfile_Annotations',
        },
        { target: 'account', navigationProperty: 'objectid_account', relationship: 'Account_Annotation' },
        { target: 'contact', navigationProperty: 'objectid_contact', relationship: 'Contact_Annotation' },
      ],
    },
  },
];

function lookupsOf(spec: TableSpec): SimLookup[] {
  const all: Record<string, LookupSpec | LookupSpec[]> = {
    ...(spec.owned ? { adx_websiteid: 'adx_website' } : {}),
    ...spec.lookups,
  };
  return Object.entries(all).flatMap(([attribute, given]) =>
    (Array.isArray(given) ? given : [given]).map((target) =>
      typeof target === 'string'
        ? {
            attribute,
            navigationProperty: attribute,
            targetTable: target,
            relationship: `${target}_${spec.logicalName}_${attribute}`,
          }
        : {
            attribute,
            navigationProperty: target.navigationProperty,
            targetTable: target.target,
            relationship: target.relationship,
          },
    ),
  );
}

function configurationTable(spec: TableSpec, shared: string[]): SimTable {
  const lookups = lookupsOf(spec);
  const lookupColumns = new Set(lookups.map((l) => l.attribute));
  const primaryIdAttribute = `${spec.logicalName}id`;
  // The shared list, and every column real downloads carry for this table.
  const columns = [...new Set([...shared, ...(PAC_TABLE_COLUMNS[spec.logicalName] ?? [])])];
  const own = columns.filter((c) => c !== primaryIdAttribute && !lookupColumns.has(c));
  return {
    logicalName: spec.logicalName,
    entitySetName: spec.entitySetName,
    primaryIdAttribute,
    primaryNameAttribute: spec.primaryNameAttribute ?? 'adx_name',
    columns: own,
    columnTypes: Object.fromEntries(
      Object.entries({ ...COLUMN_TYPES, ...PAC_TABLE_COLUMN_TYPES[spec.logicalName] }).filter(([c]) =>
        own.includes(c),
      ),
    ),
    readOnlyColumns: READ_ONLY.filter((c) => own.includes(c)),
    updateOnlyColumns: UPDATE_ONLY.filter((c) => own.includes(c)),
    lookups,
    ...(spec.manyToMany ? { manyToMany: spec.manyToMany.map((m) => ({ ...m })) } : {}),
  };
}

const SOLUTION_COLUMNS = ['componentstate', 'ismanaged', 'solutionid', 'overwritetime'];

/**
 * The enhanced data model's tables with their documented columns (powerpagesite,
 * powerpagecomponent, powerpagesitelanguage table references, as summarised in
 * entity-names-and-choices.md). powerpagesitelanguage's own columns are not listed there;
 * `languagecode` follows the adx_websitelanguage table it replaces (low confidence).
 */
const ENHANCED_TABLES: SimTable[] = [
  {
    logicalName: 'powerpagesite',
    entitySetName: 'powerpagesites',
    primaryIdAttribute: 'powerpagesiteid',
    primaryNameAttribute: 'name',
    columns: [
      'name',
      'content',
      'datamodelversion',
      'primarydomainname',
      'website_language',
      'statecode',
      'statuscode',
      'createdon',
      'modifiedon',
      ...SOLUTION_COLUMNS,
    ],
    columnTypes: { content: 'Memo', website_language: 'Integer', statecode: 'State', statuscode: 'Status' },
    readOnlyColumns: ['createdon', 'modifiedon', ...SOLUTION_COLUMNS],
  },
  {
    logicalName: 'powerpagesitelanguage',
    entitySetName: 'powerpagesitelanguages',
    primaryIdAttribute: 'powerpagesitelanguageid',
    primaryNameAttribute: 'name',
    // `lcid` and `languagecode` as powerplatform-vscode's portal_schema_V2 selects them;
    // `content` (the language's other values as JSON, like powerpagesite's) is assumed.
    columns: [
      'name',
      'languagecode',
      'lcid',
      'content',
      'statecode',
      'statuscode',
      'createdon',
      'modifiedon',
      ...SOLUTION_COLUMNS,
    ],
    columnTypes: {
      lcid: 'Integer',
      content: 'Memo',
      statecode: 'State',
      statuscode: 'Status',
    },
    readOnlyColumns: ['createdon', 'modifiedon', ...SOLUTION_COLUMNS],
    lookups: [
      {
        attribute: 'powerpagesiteid',
        navigationProperty: 'powerpagesiteid',
        targetTable: 'powerpagesite',
        relationship: 'powerpagesite_powerpagesitelanguage',
      },
    ],
  },
  {
    logicalName: 'powerpagecomponent',
    entitySetName: 'powerpagecomponents',
    primaryIdAttribute: 'powerpagecomponentid',
    primaryNameAttribute: 'name',
    columns: [
      'name',
      'content',
      'powerpagecomponenttype',
      'searchcontent',
      'statecode',
      'statuscode',
      'filecontent',
      'filecontent_name',
      'createdon',
      'modifiedon',
      ...SOLUTION_COLUMNS,
    ],
    columnTypes: {
      content: 'Memo',
      searchcontent: 'Memo',
      powerpagecomponenttype: 'Picklist',
      filecontent: 'Virtual',
      statecode: 'State',
      statuscode: 'Status',
    },
    readOnlyColumns: ['filecontent', 'filecontent_name', 'createdon', 'modifiedon', ...SOLUTION_COLUMNS],
    lookups: [
      {
        attribute: 'powerpagesiteid',
        navigationProperty: 'powerpagesiteid',
        targetTable: 'powerpagesite',
        relationship: 'powerpagesite_powerpagecomponent',
      },
      {
        attribute: 'powerpagesitelanguageid',
        navigationProperty: 'powerpagesitelanguageid',
        targetTable: 'powerpagesitelanguage',
        relationship: 'powerpagesitelanguage_powerpagecomponent',
      },
    ],
  },
];

/** Extra tables every simulated environment has. */
const EXTRA_TABLES: SimTable[] = [
  {
    logicalName: 'adx_portallanguage',
    entitySetName: 'adx_portallanguages',
    primaryIdAttribute: 'adx_portallanguageid',
    primaryNameAttribute: 'adx_name',
    columns: ['adx_name', 'adx_lcid', 'adx_languagecode', 'adx_systemlanguage', 'adx_displayname'],
    columnTypes: { adx_lcid: 'Integer' },
  },
  {
    logicalName: 'adx_contentaccesslevel',
    entitySetName: 'adx_contentaccesslevels',
    primaryIdAttribute: 'adx_contentaccesslevelid',
    primaryNameAttribute: 'adx_name',
    columns: ['adx_name', 'adx_description'],
  },
  {
    logicalName: 'contact',
    entitySetName: 'contacts',
    primaryIdAttribute: 'contactid',
    primaryNameAttribute: 'fullname',
    columns: ['fullname', 'firstname', 'lastname', 'emailaddress1', 'statecode', 'statuscode'],
    columnTypes: { statecode: 'State', statuscode: 'Status' },
    readOnlyColumns: ['fullname'],
    lookups: [
      {
        attribute: 'parentcustomerid',
        navigationProperty: 'parentcustomerid_account',
        targetTable: 'account',
        relationship: 'contact_customer_accounts',
      },
      {
        attribute: 'parentcustomerid',
        navigationProperty: 'parentcustomerid_contact',
        targetTable: 'contact',
        relationship: 'contact_customer_contacts',
      },
    ],
  },
  {
    logicalName: 'account',
    entitySetName: 'accounts',
    primaryIdAttribute: 'accountid',
    primaryNameAttribute: 'name',
    columns: ['name', 'accountnumber', 'emailaddress1', 'statecode', 'statuscode'],
    columnTypes: { statecode: 'State', statuscode: 'Status' },
  },
];

/** The tables of a Power Pages environment, fresh copies each call. */
export function standardTables(): SimTable[] {
  const columns = [...new Set(CONFIGURATION_COLUMNS)];
  return [
    ...CONFIGURATION_TABLES.map((spec) => configurationTable(spec, columns)),
    ...structuredClone(ENHANCED_TABLES),
    ...structuredClone(EXTRA_TABLES),
  ];
}
