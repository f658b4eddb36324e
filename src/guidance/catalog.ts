/**
 * Troubleshooting guidance keyed by error code: what happened in plain words, what to do, and
 * which buttons a failure card offers. Every error code has an entry (a test checks it).
 */
import type { ErrorCode } from '../domain/error-codes.ts';

/** A button a failure card or alert may offer. */
export type GuidanceAction =
  | 'retry'
  | 'restart_provisioning'
  | 'change_values'
  | 'retry_package_install'
  | 'contact_global_admin'
  | 'check_language'
  | 'convert_to_production'
  | 'open_admin_center'
  | 'sign_in'
  | 'view_docs';

/** One guidance entry. */
export interface Guidance {
  code: string;
  title: string;
  explanation: string;
  steps: string[];
  actions: GuidanceAction[];
  /** Extra words people use for this problem, for search. */
  keywords?: string[];
}

type Entry = Omit<Guidance, 'code'>;

const ENTRIES: Record<ErrorCode, Entry> = {
  config_invalid: {
    title: 'PortalOps is not configured correctly',
    explanation: 'A setting PortalOps reads at start-up is missing or has a value it cannot use.',
    steps: [
      'Fix the variable named in the message (see .env.example for every setting) and start PortalOps again.',
    ],
    actions: [],
  },
  port_in_use: {
    title: 'A port PortalOps needs is taken',
    explanation:
      'One of the servers PortalOps starts (Teams endpoint, Slack endpoint, simulator, Agents Playground) could not open its port, usually because another program or another PortalOps already listens there.',
    steps: [
      'Stop the other program (`lsof -i :<port>` or `ss -ltnp` shows which one), or set the variable named in the message to a free port and start PortalOps again.',
    ],
    actions: [],
    keywords: ['EADDRINUSE', 'address already in use', 'port'],
  },
  environments_file_missing: {
    title: 'The environments file is missing',
    explanation: 'PortalOps needs a file listing your environments (alias, id, Dataverse URL, tenant).',
    steps: [
      'Copy config/environments.example.yml, fill in your environments and point PORTALOPS_ENVIRONMENTS_FILE at it.',
    ],
    actions: [],
  },
  environments_file_invalid: {
    title: 'The environments file cannot be used',
    explanation: 'The environments file is not valid YAML/JSON or an entry lacks a required field.',
    steps: [
      'Correct the entry named in the message; config/environments.example.yml shows the expected shape.',
    ],
    actions: [],
  },
  unknown_environment: {
    title: 'Unknown environment',
    explanation: 'No environment in the registry has that alias or id.',
    steps: ['Use one of the aliases listed by `portalops environments` (for example dev, test or prod).'],
    actions: [],
  },
  invalid_input: {
    title: 'That request is not complete or not valid',
    explanation: 'Something in the request could not be understood or is missing.',
    steps: ['Check the value named in the message and try again; `help` shows examples.'],
    actions: [],
  },
  validation_failed: {
    title: 'The request does not meet the platform’s rules',
    explanation:
      'One or more values would be refused by the platform; each problem names its field and a fix.',
    steps: ['Correct the fields listed and submit again.'],
    actions: ['change_values'],
    keywords: ['subdomain taken', 'language not installed', 'arabic', 'hebrew', 'template', 'prerequisite'],
  },
  endpoint_unreachable: {
    title: 'A Microsoft service could not be reached',
    explanation:
      'PortalOps could not connect to the service at all: the address may be wrong or the network is down.',
    steps: [
      'Check the service URL in the configuration and the machine’s network or proxy.',
      'Try again in a few minutes; if it persists, check the Microsoft 365 service health page.',
    ],
    actions: ['retry'],
    keywords: ['connection refused', 'offline', 'network'],
  },
  request_timeout: {
    title: 'The service took too long to answer',
    explanation: 'The request was sent but no answer came back in time. The platform may be busy.',
    steps: [
      'Try again in a few minutes. Long platform operations keep running; check the site status first.',
    ],
    actions: ['retry'],
    keywords: ['slow', 'timeout'],
  },
  throttled: {
    title: 'The platform asked PortalOps to slow down',
    explanation: 'Too many requests were sent in a short time, so the service protection limits kicked in.',
    steps: ['Wait a little; PortalOps already retries after the time the platform asks for.'],
    actions: ['retry'],
    keywords: ['429', 'rate limit', 'too many requests'],
  },
  service_unavailable: {
    title: 'The platform is temporarily unavailable',
    explanation: 'The service answered that it cannot take requests right now.',
    steps: ['Try again in a few minutes; check the Microsoft 365 service health page if it continues.'],
    actions: ['retry'],
    keywords: ['503', 'outage'],
  },
  platform_error: {
    title: 'The platform reported an unexpected error',
    explanation: 'The service failed while handling the request. This is usually temporary.',
    steps: ['Retry the action. If it keeps failing, contact Microsoft support with the time and the job id.'],
    actions: ['retry'],
  },
  not_found: {
    title: 'Not found',
    explanation: 'The site, record or operation does not exist (any more) in that environment.',
    steps: ['Check the name and the environment; `sites <env>` lists the sites there.'],
    actions: [],
  },
  conflict: {
    title: 'Something changed at the same time',
    explanation:
      'The platform refused the change because the item is in a state that does not allow it right now.',
    steps: ['Check the site status, wait for running operations to end, then try again.'],
    actions: ['retry'],
  },
  bad_request: {
    title: 'The platform refused the request',
    explanation: 'The platform said a value in the request is not acceptable.',
    steps: ['Read the reason in the message, correct the value and try again.'],
    actions: ['change_values'],
  },
  auth_failed: {
    title: 'Sign-in failed',
    explanation: 'Microsoft Entra ID refused the credentials PortalOps used.',
    steps: [
      'Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, and that the secret has not expired.',
      'For delegated sign-in, run `portalops login` again.',
    ],
    actions: ['sign_in'],
    keywords: ['401', 'unauthorized', 'credentials', 'secret'],
  },
  token_expired: {
    title: 'The sign-in expired',
    explanation: 'The access token expired and could not be renewed.',
    steps: [
      'Run `portalops login` to sign in again (delegated), or check the app secret (client credentials).',
    ],
    actions: ['sign_in'],
  },
  sign_in_required: {
    title: 'Sign-in needed',
    explanation:
      'The Power Pages admin API acts on behalf of a signed-in administrator, and nobody is signed in.',
    steps: ['Run `portalops login` and follow the code prompt.'],
    actions: ['sign_in'],
    keywords: ['login'],
  },
  consent_required: {
    title: 'Consent missing for a service',
    explanation:
      'The signed-in account (or its tenant) has not consented to one of the services PortalOps calls: the Power Platform API, the environment lookup (PowerApps Service) or an environment’s Dataverse.',
    steps: [
      'Run `portalops login`: its one sign-in per tenant asks consent for every service PortalOps calls there.',
      'If your tenant lets only administrators consent, ask one to add Power Platform API, PowerApps Service (User) and Dynamics CRM (user_impersonation) to the app registration and grant admin consent.',
    ],
    actions: ['sign_in'],
    keywords: ['AADSTS65001', 'consent', 'permission', 'scope'],
  },
  app_only_not_supported: {
    title: 'The Power Pages admin API needs a signed-in person',
    explanation:
      'PortalOps signs in with client credentials (the app’s service principal), and Microsoft documents that the Power Pages admin API does not support the service principal flow. Dataverse and the environment lookup accept it; site provisioning, reset and the site list do not.',
    steps: [
      'Set PORTALOPS_AUTH_MODE=device_code, then run `portalops login` and sign in with the code it shows.',
    ],
    actions: ['sign_in', 'view_docs'],
    keywords: ['service principal', 'client credentials', 'app-only', 'spn'],
  },
  forbidden: {
    title: 'Not allowed',
    explanation:
      'The account lacks a role the action needs, for example System Administrator in the environment.',
    steps: [
      'Ask an administrator of the environment to grant the System Administrator security role, then try again.',
    ],
    actions: ['open_admin_center'],
    keywords: ['403', 'permission', 'privilege', 'role'],
  },
  missing_site_app_permission: {
    title: 'The site’s Entra application lacks permission',
    explanation:
      'Resetting deletes the hosted site, which needs permissions on the site’s Microsoft Entra application that your account does not have.',
    steps: [
      'Ask a global administrator to grant the permissions on the site’s Entra application (or to run the reset).',
      'Retry the reset once the permission is granted.',
    ],
    actions: ['contact_global_admin', 'retry'],
    keywords: ['global admin', 'azure ad application', 'reset permission'],
  },
  batch_failed: {
    title: 'A group of changes was rejected',
    explanation: 'Dataverse refused one change of a batch, so none of the batch was applied.',
    steps: [
      'Look at the record and reason named in the message, fix it in the source, and run the import again.',
    ],
    actions: ['retry'],
  },
  record_error: {
    title: 'A record could not be written',
    explanation: 'Dataverse refused a record (for example a missing column or a broken lookup).',
    steps: ['Fix the record named in the message in the source environment and run again.'],
    actions: ['retry'],
  },
  operation_failed: {
    title: 'The platform operation failed',
    explanation: 'The platform accepted the request but the operation ended in failure.',
    steps: ['Retry; if it fails again, check the site in the Power Pages admin center.'],
    actions: ['retry', 'open_admin_center'],
  },
  provisioning_failed: {
    title: 'Provisioning failed',
    explanation:
      'The platform could not finish creating the site. The values you chose are kept, so provisioning can be restarted.',
    steps: [
      'Restart provisioning with the same values.',
      'If it fails again, change the values (for example the language or template) and restart.',
    ],
    actions: ['restart_provisioning', 'change_values'],
    keywords: ['provisioning failed', 'error state', 'stuck configuring'],
  },
  package_install_failed: {
    title: 'The portal package did not install ("Getting set up")',
    explanation:
      'The site was created but its solution package failed to install, so it keeps showing "Getting set up".',
    steps: [
      'Retry the package install.',
      'Make sure a System Administrator installs it, with the organization’s default language set to the site’s language.',
      'Check that prerequisite solutions are installed (partner field service needs Partner Portal and Field Service).',
    ],
    actions: ['retry_package_install', 'check_language'],
    keywords: ['getting set up', 'install failed', 'package'],
  },
  package_install_preflight_failed: {
    title: 'The package install cannot be retried yet',
    explanation:
      'Before retrying a failed portal package install, PortalOps checks what the install needs; something is missing, so nothing was submitted.',
    steps: [
      'A System Administrator must run the install with the environment’s default language set to the language the site should be installed in.',
      'Install the solutions the site’s template needs first (Partner Field Service needs Partner Portal and Field Service).',
      'Then retry the package install.',
    ],
    actions: ['check_language', 'open_admin_center'],
    keywords: ['retry package install', 'default language', 'prerequisite'],
  },
  package_install_unavailable: {
    title: 'Retry the package install from the admin centre',
    explanation:
      'The Power Platform API does not offer this site’s portal package for install in the environment, or refused the retry, so only the Power Platform admin center can retry it.',
    steps: [
      'Open the environment in the Power Platform admin center, then Resources → Dynamics 365 apps; find the portal package whose status is Install failed and retry its installation.',
      'Do it as a System Administrator, with the environment’s default language set to the site’s language.',
      'Install the solutions the site’s template needs first (Partner Field Service needs Partner Portal and Field Service).',
    ],
    actions: ['open_admin_center', 'check_language'],
    keywords: ['admin center', 'dynamics 365 apps', 'package not found'],
  },
  reset_not_submitted: {
    title: 'The reset request could not be submitted',
    explanation: 'The platform did not accept the request to delete the hosted site. Nothing was deleted.',
    steps: ['Retry the reset.', 'If it still fails, contact Microsoft support.'],
    actions: ['retry'],
    keywords: ['reset request', 'could not be submitted'],
  },
  reset_failed: {
    title: 'The reset job failed',
    explanation:
      'The platform started deleting the hosted site but the job failed, usually for a temporary reason.',
    steps: ['Retry the reset; the configuration snapshot taken before is kept.'],
    actions: ['retry'],
    keywords: ['reset failed', 'reset job'],
  },
  migration_preflight_failed: {
    title: 'The target environment is not ready for this migration',
    explanation:
      'Before writing anything, PortalOps checks the target: same default language, the site’s template, every table the configuration names, and a recent enough portal solution. Something there does not match, so nothing was written.',
    steps: [
      'Fix each problem listed (install the missing solution or table, or enable the language) in the target environment.',
      'Run the migration again; it starts with the same checks.',
    ],
    actions: ['retry'],
    keywords: ['preflight', 'migration blocked', 'missing table', 'language mismatch'],
  },
  migration_verify_failed: {
    title: 'The target does not match the source after the migration',
    explanation:
      'After importing, PortalOps read the target back and some records differ from the source (for example a plug-in or flow in the target changed them).',
    steps: [
      'Look at the records listed; check for automation in the target that edits configuration records.',
      'Retry the migration: it only sends what is still different.',
    ],
    actions: ['retry'],
    keywords: ['verify', 'mismatch', 'migration differs'],
  },
  data_model_move_refused: {
    title: 'The platform refused to move this site to the enhanced data model',
    explanation:
      'Before copying anything, the data model migration checks the site and its environment. Something there must be changed by a person first; nothing was copied and the site still uses the standard data model.',
    steps: [
      'Do what the message names. A template whose enhanced-model solution is missing: create a new site with that template in an environment with the enhanced data model switched on, so the solution gets installed (https://learn.microsoft.com/power-pages/admin/migrate-enhanced-data-model#supported-templates-for-migration).',
      'A portal package older than 9.3.2307: update the Power Pages solution in the Power Platform admin center (https://learn.microsoft.com/power-pages/admin/update-solution).',
      'Sites made with the Community, Customer Self Service, Employee Self Service or Partner templates can only move once their enhanced-model solution is in the environment; until then keep them on the standard data model.',
      'An environment in administration mode: enable background operations (https://learn.microsoft.com/power-platform/admin/admin-mode), then ask again.',
    ],
    actions: ['view_docs', 'open_admin_center'],
    keywords: ['enhanced data model', 'migrate-datamodel', 'data model migration', 'template not supported'],
  },
  data_model_migration_failed: {
    title: 'The data model migration failed',
    explanation:
      'The platform started copying the site’s records into the enhanced data model but reported a failure. The site still uses its standard records, and the snapshot taken first is kept.',
    steps: [
      'Retry: PortalOps starts the migration again (the records already copied are copied over, none twice).',
      'If it fails again, check the site’s migration status with `pac pages migrate-datamodel --webSiteId <website record id> --checkMigrationStatus` and share the job id with your administrators (https://learn.microsoft.com/power-pages/admin/migrate-enhanced-data-model#step-3-verify-the-migration-status).',
    ],
    actions: ['retry', 'view_docs'],
    keywords: ['enhanced data model', 'migration failed', 'migrate-datamodel'],
  },
  data_model_verify_failed: {
    title: 'The site does not match its records after the move to the enhanced data model',
    explanation:
      'After the move PortalOps reads the site back. Either it does not report the enhanced data model, or some of its configuration records are missing from the enhanced tables. Known issue: the migration copies at most 5,000 records per run.',
    steps: [
      'Retry: PortalOps reads the site again, which is enough when the platform was still finishing.',
      'Records missing from a large site: run `pac pages migrate-datamodel --webSiteId <website record id> --mode configurationData` again to copy the next batch, then retry (https://learn.microsoft.com/power-pages/admin/migrate-enhanced-data-model#known-issues).',
      'To go back, switch the site to the standard data model with `pac pages migrate-datamodel --webSiteId <website record id> --revertToStandardDataModel --portalId <website id>`; its standard records were kept.',
    ],
    actions: ['retry', 'view_docs'],
    keywords: ['enhanced data model', '5k records', 'verification'],
  },
  unsafe_path: {
    title: 'A file name would leave its folder',
    explanation:
      'A name taken from site data, a profile or a snapshot (for example a web file’s partial URL like ../../x) would put a file outside its folder, or a symbolic link in the folder points outside it. Nothing was read or written.',
    steps: [
      'Rename the record named in the message in the site (plain names, no "/", "\\", ":" or "..").',
      'For a symbolic link, replace it with the file itself inside the folder.',
    ],
    actions: [],
    keywords: ['path traversal', 'symlink', 'outside the folder', 'dot dot'],
  },
  site_file_invalid: {
    title: 'A file in the site folder cannot be read',
    explanation:
      'A YAML file of the site folder is too large, is not valid YAML, or does not have the shape its kind needs (a record file holds one mapping, a list file a list of mappings). Nothing was written.',
    steps: [
      'Open the file at the line named in the message and fix it, or download the site again with `portalops download`.',
    ],
    actions: [],
    keywords: ['yaml', 'not iterable', 'too large', 'schema'],
  },
  duplicate_record_id: {
    title: 'Two files in the site folder carry the same record',
    explanation:
      'Each record of a site has one id, and two files (or two entries of a list) in the folder carry the same one, and the folder’s environment manifest does not say which is current (it names a stale copy left by a renamed page, but not a folder copied by hand). Nothing was written.',
    steps: [
      'Open both files named in the message and delete the one that is not the record the site should have (or give the copy a new id).',
      'Run the upload again.',
    ],
    actions: [],
    keywords: ['duplicate', 'same id', 'twice', 'deleted copy'],
  },
  deployment_profile_invalid: {
    title: 'The deployment profile cannot be used',
    explanation:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the profile's own ${OS.NAME} syntax, shown as written.
      'A deployment profile is named plainly (no "/", "\\" or ".."), lives in deployment-profiles/<name>.deployment.yml, and takes ${OS.NAME} values only from environment variables named PORTALOPS_PROFILE_*, so PortalOps’ own settings never reach a site.',
    steps: [
      'Use a plain profile name that exists in deployment-profiles/.',
      'Rename each variable the profile uses to PORTALOPS_PROFILE_<name> (in the profile and in the environment) and run again.',
    ],
    actions: [],
    keywords: ['deployment profile', 'OS variable', 'PORTALOPS_PROFILE'],
  },
  site_busy: {
    title: 'The site is busy',
    explanation: 'Another job is already working on this site; only one runs at a time.',
    steps: [
      'Follow the job with `status <job id>`; if it was interrupted (its process stopped), resume it with `retry <job id>`, or stop it with `cancel <job id>` (on the command line: `portalops status|retry|cancel <job id>`).',
    ],
    actions: [],
  },
  operation_deadline_passed: {
    title: 'The platform did not finish in the time allowed',
    explanation:
      'PortalOps waited as long as it is set to for the platform (provisioning, the package install or the deletion) and stopped waiting. The platform may still be working: nothing was cancelled and nothing is submitted twice.',
    steps: [
      'Check the site with `status <site>`; provisioning usually takes 30 minutes and can take hours.',
      'Retry the job to keep waiting; it picks up the same platform operation.',
      'If it stays stuck, raise the deadline (PORTALOPS_PROVISIONING_DEADLINE_MINUTES, PORTALOPS_PACKAGE_INSTALL_DEADLINE_MINUTES, PORTALOPS_DELETION_DEADLINE_MINUTES) or contact Microsoft support with the details line.',
    ],
    actions: ['retry', 'open_admin_center'],
    keywords: ['stuck configuring', 'taking too long', 'deadline', 'timed out'],
  },
  snapshot_empty: {
    title: 'The configuration snapshot is empty, so the reset stopped',
    explanation:
      'Before a reset deletes the hosted site PortalOps saves the site’s configuration, so the site can be restored. The snapshot found no configuration rows for this site (sites on the enhanced data model keep theirs in tables the snapshot does not read yet), so nothing was deleted.',
    steps: [
      'Check the site’s data model with `status <site>`: an enhanced-data-model site cannot be reset from PortalOps yet.',
      'Back the site up with `pac pages download` (or the admin centre) and reset it from the Power Pages admin center.',
    ],
    actions: ['open_admin_center'],
    keywords: ['empty snapshot', 'enhanced data model', 'no configuration'],
  },
  site_not_answering: {
    title: 'The site does not answer yet',
    explanation:
      'Provisioning finished, but the site’s address did not answer. New sites can take a few minutes to come up.',
    steps: [
      'Wait a few minutes and retry the check; if it stays down, restart the site from the admin center.',
    ],
    actions: ['retry', 'open_admin_center'],
  },
  site_state_conflict: {
    title: 'The site is not in a state that allows this',
    explanation: 'For example, only a site whose provisioning failed can have its provisioning restarted.',
    steps: ['Check the site’s status with `status <site>` and pick the action that fits it.'],
    actions: [],
  },
  data_dir_locked: {
    title: 'Another PortalOps process is using this data dir',
    explanation:
      'One process writes a data dir at a time, so two cannot resume each other’s jobs or overwrite each other’s changes. The message names the process holding it.',
    steps: [
      'Stop that process (Ctrl-C in its terminal, or `kill <pid>` with the pid named), then run the command again.',
      'Or give this process a data dir of its own with PORTALOPS_DATA_DIR; with the embedded simulator it still sees the same sites.',
    ],
    actions: [],
  },
  store_damaged: {
    title: 'A line of the store is damaged',
    explanation:
      'A line of the journal or the audit log cannot be read, or a journal line is missing or repeated. PortalOps stops instead of starting without those changes, which could bring back a rejected approval or lose a job.',
    steps: [
      'Run `portalops store repair` with the same PORTALOPS_DATA_DIR: it lists the damaged lines, keeps a copy of each file and drops only those lines.',
      'If you have a backup of the data dir from before the damage, restoring it keeps every change.',
    ],
    actions: [],
  },
  store_write_failed: {
    title: 'The change could not be saved',
    explanation:
      'Writing to the data dir failed (most often a full disk). Nothing of the change was kept, on disk or in memory, so nothing is half-done.',
    steps: ['Free some disk space on the data dir’s volume, then try again.'],
    actions: ['retry'],
  },
  plan_changed: {
    title: 'The plan changed, so the approval is void',
    explanation:
      'An approval covers the exact plan it was given: every record to create, change or remove, and the site it acts on. Something changed since (records were added, edited or removed, or the site changed), so the request is void and nothing was written.',
    steps: [
      'Ask again: PortalOps shows the new plan, and an approver approves that one.',
      'If the source or site is still being edited, wait until the edits are done first.',
    ],
    actions: [],
    keywords: ['void', 'approval void', 'plan changed'],
  },
  job_not_found: {
    title: 'Unknown job',
    explanation: 'No job has that id.',
    steps: ['Use `jobs` to list recent jobs and their ids.'],
    actions: [],
  },
  job_state_conflict: {
    title: 'The job cannot do that now',
    explanation: 'The job is in a state where that action does not apply (for example it already finished).',
    steps: ['Check the job with `status <job id>` (`portalops status <job id>` on the command line).'],
    actions: [],
  },
};

const GENERIC: Entry = {
  title: 'Something went wrong',
  explanation: 'PortalOps hit a problem it has no specific advice for.',
  steps: ['Try again; if it keeps happening, share the job id with your PortalOps administrators.'],
  actions: ['retry'],
};

/** Guidance for a code; a generic entry for codes the catalog does not know. */
export function guidanceFor(code: string): Guidance {
  const entry = (ENTRIES as Record<string, Entry>)[code] ?? GENERIC;
  return { code, ...entry };
}

/** Every entry, for the `troubleshoot` command and tests. */
export function allGuidance(): Guidance[] {
  return Object.entries(ENTRIES).map(([code, entry]) => ({ code, ...entry }));
}

/** Entries matching a symptom or code, best first. */
export function searchGuidance(text: string): Guidance[] {
  const query = text.toLowerCase().trim();
  if (!query) return [];
  const words = query.split(/[^a-z0-9_]+/).filter((w) => w.length > 2);
  return allGuidance()
    .map((g) => {
      const haystack = [g.code, g.title, g.explanation, ...(g.keywords ?? [])].join(' ').toLowerCase();
      let score = g.code === query.replace(/\s+/g, '_') ? 100 : 0;
      for (const keyword of g.keywords ?? []) if (query.includes(keyword)) score += 10;
      for (const word of words) if (haystack.includes(word)) score += 1;
      return { g, score };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((x) => x.g);
}
