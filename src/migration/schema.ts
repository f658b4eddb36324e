/**
 * What the pac layout says about the configuration tables: which fields pac writes as plain
 * ids of lookups (and to which table), the many-to-many relationships it lists under their
 * names, and which columns it keeps in files of their own. Only for reading and writing pac
 * folders; Dataverse names (entity sets, navigation properties) come from each environment's
 * metadata (`site-schema.ts`), and a lookup missing here is still bound when the metadata has it.
 */

/** Fields pac writes as lookup ids → target table, per table (the website lookup of owned tables is implied). */
export const LOOKUPS: Record<string, Record<string, string>> = {
  adx_website: {
    adx_defaultlanguage: 'adx_websitelanguage',
    adx_headerwebtemplateid: 'adx_webtemplate',
    adx_footerwebtemplateid: 'adx_webtemplate',
  },
  adx_websitelanguage: { adx_publishingstate: 'adx_publishingstate' },
  adx_pagetemplate: { adx_webtemplateid: 'adx_webtemplate' },
  adx_webpage: {
    adx_pagetemplateid: 'adx_pagetemplate',
    adx_parentpageid: 'adx_webpage',
    adx_publishingstateid: 'adx_publishingstate',
    adx_rootwebpageid: 'adx_webpage',
    adx_webpagelanguageid: 'adx_websitelanguage',
  },
  adx_webfile: { adx_parentpageid: 'adx_webpage', adx_publishingstateid: 'adx_publishingstate' },
  adx_contentsnippet: { adx_contentsnippetlanguageid: 'adx_websitelanguage' },
  adx_sitemarker: { adx_pageid: 'adx_webpage' },
  adx_weblinkset: {
    adx_publishingstateid: 'adx_publishingstate',
    adx_websitelanguageid: 'adx_websitelanguage',
  },
  adx_weblink: {
    adx_weblinksetid: 'adx_weblinkset',
    adx_pageid: 'adx_webpage',
    adx_publishingstateid: 'adx_publishingstate',
    adx_parentweblinkid: 'adx_weblink',
  },
  adx_webpageaccesscontrolrule: { adx_webpageid: 'adx_webpage' },
  adx_entityformmetadata: { adx_entityform: 'adx_entityform' },
  adx_poll: { adx_webtemplateid: 'adx_webtemplate' },
  adx_polloption: { adx_pollid: 'adx_poll' },
  adx_ad: { adx_publishingstateid: 'adx_publishingstate' },
  adx_urlhistory: { adx_webpageid: 'adx_webpage' },
  adx_webformstep: { adx_webform: 'adx_webform' },
  adx_webformmetadata: { adx_webformstep: 'adx_webformstep' },
  adx_communityforumaccesspermission: { adx_forumid: 'adx_communityforum' },
  adx_columnpermission: { adx_columnpermissionprofileid: 'adx_columnpermissionprofile' },
  annotation: { objectid: 'adx_webfile' },
};

/** Many-to-many relationships, per table (pac writes them as lists of ids under the relationship name). */
export const MANY_TO_MANY: Record<string, readonly { name: string; targetTable: string }[]> = {
  adx_entitypermission: [{ name: 'adx_entitypermission_webrole', targetTable: 'adx_webrole' }],
  adx_webpageaccesscontrolrule: [
    { name: 'adx_webpageaccesscontrolrule_webrole', targetTable: 'adx_webrole' },
  ],
  adx_websiteaccess: [{ name: 'adx_websiteaccess_webrole', targetTable: 'adx_webrole' }],
  adx_pollplacement: [{ name: 'adx_pollplacement_poll', targetTable: 'adx_poll' }],
  adx_adplacement: [{ name: 'adx_adplacement_ad', targetTable: 'adx_ad' }],
  adx_communityforumaccesspermission: [
    { name: 'adx_communityforumaccesspermission_webrole', targetTable: 'adx_webrole' },
  ],
  adx_columnpermissionprofile: [{ name: 'adx_columnpermissionprofile_webrole', targetTable: 'adx_webrole' }],
};

/** pac's content file suffixes → the column they hold. */
export const CONTENT_COLUMNS: Record<string, string> = {
  'copy.html': 'adx_copy',
  'summary.html': 'adx_summary',
  'source.html': 'adx_source',
  'value.html': 'adx_value',
  'custom_css.css': 'adx_customcss',
  'custom_javascript.js': 'adx_customjavascript',
};

/** The web file fields pac writes that belong to the file's note (annotation) record. */
export const WEB_FILE_NOTE_FIELDS = [
  'annotationid',
  'filename',
  'isdocument',
  'mimetype',
  'objectid',
  'objecttypecode',
];
