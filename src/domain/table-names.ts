/**
 * The names people know the standard data model's configuration tables by: the display names
 * Power Pages Management and the maker portal show (the Portal Management app's entities, with
 * the renamed basic forms, lists, table permissions and advanced forms), not `adx_*` names.
 */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  adx_website: 'Website',
  adx_websitelanguage: 'Website Language',
  adx_publishingstate: 'Publishing State',
  adx_webtemplate: 'Web Template',
  adx_pagetemplate: 'Page Template',
  adx_webpage: 'Web Page',
  adx_webfile: 'Web File',
  adx_contentsnippet: 'Content Snippet',
  adx_sitesetting: 'Site Setting',
  adx_sitemarker: 'Site Marker',
  adx_weblinkset: 'Web Link Set',
  adx_weblink: 'Web Link',
  adx_webrole: 'Web Role',
  adx_websiteaccess: 'Website Access Permission',
  adx_webpageaccesscontrolrule: 'Web Page Access Control Rule',
  adx_entityform: 'Basic Form',
  adx_entityformmetadata: 'Basic Form Metadata',
  adx_entitylist: 'List',
  adx_entitypermission: 'Table Permission',
  adx_redirect: 'Redirect',
  adx_shortcut: 'Shortcut',
  adx_poll: 'Poll',
  adx_polloption: 'Poll Option',
  adx_pollplacement: 'Poll Placement',
  adx_ad: 'Ad',
  adx_adplacement: 'Ad Placement',
  adx_urlhistory: 'URL History',
  adx_tag: 'Tag',
  adx_webform: 'Advanced Form',
  adx_webformstep: 'Advanced Form Step',
  adx_webformmetadata: 'Advanced Form Metadata',
  adx_botconsumer: 'Bot Consumer',
  adx_forumthreadtype: 'Forum Thread Type',
  adx_communityforum: 'Forum',
  adx_communityforumaccesspermission: 'Forum Access Permission',
  adx_columnpermissionprofile: 'Column Permission Profile',
  adx_columnpermission: 'Column Permission',
  annotation: 'Note (web file content)',
};

/** The display name of a configuration table, e.g. `adx_webpageaccesscontrolrule` → "Web Page Access Control Rule". */
export function tableDisplayName(logicalName: string): string {
  return DISPLAY_NAMES[logicalName.toLowerCase()] ?? logicalName;
}
