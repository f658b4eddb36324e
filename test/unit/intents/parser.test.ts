import { describe, expect, it } from 'vitest';
import type { Intent, ParseFailure } from '../../../src/intents/intent.ts';
import { parseIntent } from '../../../src/intents/parser.ts';

const context = { environments: ['dev', 'test', 'prod'] };
const parse = (text: string) => parseIntent(text, context);

/** The environments as registered, with their display names ("Contoso Production"). */
const named = {
  environments: [
    { alias: 'dev', displayName: 'Contoso Dev' },
    { alias: 'test', displayName: 'Contoso Test' },
    { alias: 'prod', displayName: 'Contoso Production' },
  ],
};
const read = (text: string) => parseIntent(text, named);

type Case = [string, Partial<Intent> | Partial<ParseFailure>];

const cases: Case[] = [
  // provision
  [
    'provision a partner portal called "Partner Hub" at partner-hub in dev',
    {
      kind: 'provision',
      name: 'Partner Hub',
      subdomain: 'partner-hub',
      templateId: 'PartnerPortal',
      audience: 'partner',
      environment: 'dev',
    },
  ],
  [
    'provision a partner portal in dev',
    { kind: 'provision', templateId: 'PartnerPortal', audience: 'partner' },
  ],
  [
    'provision site name="Partner Hub" subdomain=partner-hub template=PartnerPortal env=dev',
    {
      kind: 'provision',
      name: 'Partner Hub',
      subdomain: 'partner-hub',
      templateId: 'PartnerPortal',
      environment: 'dev',
    },
  ],
  // an old or mistyped name is passed on as typed, for the form and the checks to refuse
  [
    'provision site subdomain=old-name template=NoSuchTemplate env=dev',
    { kind: 'provision', templateId: 'NoSuchTemplate' },
  ],
  ['provision template=blankpage in dev', { kind: 'provision', templateId: 'BlankPage' }],
  ['provision a blank site called Events in dev', { kind: 'provision', templateId: 'BlankPage' }],
  [
    'provision a field service portal for customers in dev',
    { kind: 'provision', templateId: 'FieldService', audience: 'customer' },
  ],
  ['create a new portal in test', { kind: 'provision', environment: 'test' }],
  [
    'Create a customer self service portal in dev',
    { kind: 'provision', templateId: 'CustomerSelfServicePortal', environment: 'dev' },
  ],
  ['spin up a community portal on prod', { kind: 'provision', templateId: 'Community', environment: 'prod' }],
  ['provision', { kind: 'provision' }],
  ['PROVISION PORTAL IN DEV', { kind: 'provision', environment: 'dev' }],
  [
    'provision --env=dev --subdomain=my-site',
    { kind: 'provision', environment: 'dev', subdomain: 'my-site' },
  ],
  [
    'provision employee self service portal for employees in dev',
    { kind: 'provision', templateId: 'EmployeeSelfServicePortal', audience: 'employee' },
  ],
  [
    'new site my-new-site in development',
    { kind: 'provision', subdomain: 'my-new-site', environment: 'dev' },
  ],
  [
    'set up a portal for partners in dev language=1036',
    { kind: 'provision', audience: 'partner', languageLcid: 1036 },
  ],
  ['provision a site in French in dev', { kind: 'provision', languageLcid: 1036, environment: 'dev' }],
  [
    'provision partner field service portal in dev',
    { kind: 'provision', templateId: 'partner-field-service', audience: 'partner' },
  ],
  [
    'provision partner project service site contoso-pps in dev',
    {
      kind: 'provision',
      templateId: 'partner-project-service',
      audience: 'partner',
      subdomain: 'contoso-pps',
    },
  ],
  [
    'we need a new website for our customers in test',
    { kind: 'provision', audience: 'customer', environment: 'test' },
  ],
  [
    'make a site called Intranet for staff in prod',
    { kind: 'provision', name: 'Intranet', audience: 'employee', environment: 'prod' },
  ],
  [
    'provision custom portal named "Contoso Help" subdomain contoso-help dev',
    {
      kind: 'provision',
      name: 'Contoso Help',
      subdomain: 'contoso-help',
      templateId: 'DefaultPortalTemplate',
    },
  ],
  [
    'provision starter layout 3 site contoso-three in dev',
    { kind: 'provision', templateId: 'StarterLayout3', subdomain: 'contoso-three' },
  ],
  [
    'provision site admin=bob@contoso.com in dev',
    { kind: 'provision', siteAdministrator: 'bob@contoso.com' },
  ],
  ['please provision a portal in production', { kind: 'provision', environment: 'prod' }],
  ['launch a new portal in qa', { kind: 'provision', environment: 'test' }],
  // reset
  ['reset portal contoso-dev', { kind: 'reset', site: 'contoso-dev', reprovision: false }],
  ['reset contoso-dev in dev', { kind: 'reset', site: 'contoso-dev', environment: 'dev' }],
  ['wipe the portal contoso-test on test', { kind: 'reset', site: 'contoso-test', environment: 'test' }],
  ['Reset "Contoso Dev" in dev', { kind: 'reset', site: 'Contoso Dev', environment: 'dev' }],
  ['reset site=contoso-dev env=dev', { kind: 'reset', site: 'contoso-dev', environment: 'dev' }],
  ['nuke contoso-broken', { kind: 'reset', site: 'contoso-broken' }],
  ['reset contoso-broken and reprovision', { kind: 'reset', site: 'contoso-broken', reprovision: true }],
  ['reset contoso-broken --reprovision', { kind: 'reset', site: 'contoso-broken', reprovision: true }],
  ['tear down contoso-dev in dev', { kind: 'reset', site: 'contoso-dev' }],
  ['delete portal contoso-test', { kind: 'reset', site: 'contoso-test' }],
  ['RESET CONTOSO-DEV!!!', { kind: 'reset', site: 'contoso-dev' }],
  ['reset the portal', { kind: 'reset' }],
  ['reset contoso-dev and provision it again', { kind: 'reset', reprovision: true }],
  ['factory reset contoso on prod', { kind: 'reset', site: 'contoso', environment: 'prod' }],
  ['reset', { kind: 'reset' }],
  ['wipe contoso-dev, then recreate it', { kind: 'reset', reprovision: true, site: 'contoso-dev' }],
  // restart provisioning
  ['restart provisioning contoso-broken', { kind: 'restart-provisioning', site: 'contoso-broken' }],
  [
    'restart provisioning of contoso-broken in dev',
    { kind: 'restart-provisioning', site: 'contoso-broken', environment: 'dev' },
  ],
  ['retry provisioning for contoso-broken', { kind: 'restart-provisioning', site: 'contoso-broken' }],
  ['reprovision contoso-broken', { kind: 'restart-provisioning', site: 'contoso-broken' }],
  ['re-run the provisioning of contoso-broken', { kind: 'restart-provisioning', site: 'contoso-broken' }],
  [
    'provisioning of contoso-broken failed, restart it',
    { kind: 'restart-provisioning', site: 'contoso-broken' },
  ],
  ['restart provisioning', { kind: 'restart-provisioning' }],
  ['Restart Provisioning "Contoso Broken" on dev', { kind: 'restart-provisioning', site: 'Contoso Broken' }],
  // change values and restart
  [
    'change values and restart contoso-broken language=1036',
    { kind: 'change-and-restart', site: 'contoso-broken', changes: { languageLcid: 1036 } },
  ],
  ['change the values of contoso-broken and restart', { kind: 'change-and-restart', site: 'contoso-broken' }],
  [
    'change settings for contoso-broken name="Contoso Partners"',
    { kind: 'change-and-restart', site: 'contoso-broken', changes: { name: 'Contoso Partners' } },
  ],
  [
    'update contoso-broken template=Community and restart',
    {
      kind: 'change-and-restart',
      site: 'contoso-broken',
      changes: { templateId: 'Community' },
    },
  ],
  ['change values and restart', { kind: 'change-and-restart', changes: {} }],
  ['fix the values of contoso-broken in dev and restart', { kind: 'change-and-restart', environment: 'dev' }],
  // migrate
  ['migrate dev to prod', { kind: 'migrate', source: 'dev', target: 'prod', dryRun: false }],
  [
    'migrate dev to test site contoso-dev',
    { kind: 'migrate', source: 'dev', target: 'test', site: 'contoso-dev' },
  ],
  ['promote test to prod', { kind: 'migrate', source: 'test', target: 'prod' }],
  ['migrate dev to prod dry run', { kind: 'migrate', dryRun: true }],
  ['migrate dev -> prod --dry-run', { kind: 'migrate', source: 'dev', target: 'prod', dryRun: true }],
  [
    'deploy contoso-dev from dev to test',
    { kind: 'migrate', source: 'dev', target: 'test', site: 'contoso-dev' },
  ],
  [
    'copy the configuration of contoso-dev from dev to prod',
    { kind: 'migrate', source: 'dev', target: 'prod' },
  ],
  [
    'migrate from=dev to=prod site=contoso-dev',
    { kind: 'migrate', source: 'dev', target: 'prod', site: 'contoso-dev' },
  ],
  ['sync development to production', { kind: 'migrate', source: 'dev', target: 'prod' }],
  ['migrate to prod', { kind: 'migrate', target: 'prod' }],
  ['migrate', { kind: 'migrate' }],
  ['Migrate DEV to PROD, preview only', { kind: 'migrate', dryRun: true }],
  [
    'promote "contoso-dev" test to prod',
    { kind: 'migrate', source: 'test', target: 'prod', site: 'contoso-dev' },
  ],
  ['push dev into test', { kind: 'migrate', source: 'dev', target: 'test' }],
  ['what would migrate dev to prod change?', { kind: 'migrate', dryRun: true }],
  // status
  ['status contoso-dev', { kind: 'status', site: 'contoso-dev' }],
  ["what's going on with contoso-dev", { kind: 'status', site: 'contoso-dev' }],
  ['whats going on with contoso-dev?', { kind: 'status', site: 'contoso-dev' }],
  // A site whose name holds a symptom word is still asked about, not searched for.
  ["what's going on with contoso-broken", { kind: 'status', site: 'contoso-broken' }],
  [
    'what is wrong with contoso-broken in dev',
    { kind: 'status', site: 'contoso-broken', environment: 'dev' },
  ],
  ['how is contoso-test doing', { kind: 'status', site: 'contoso-test' }],
  ['status J-7K2Q9', { kind: 'status', jobId: 'J-7K2Q9' }],
  ['J-7K2Q9', { kind: 'status', jobId: 'J-7K2Q9' }],
  ['status of j-7k2q9', { kind: 'status', jobId: 'J-7K2Q9' }],
  ['check contoso-broken in dev', { kind: 'status', site: 'contoso-broken', environment: 'dev' }],
  ['is contoso up?', { kind: 'status', site: 'contoso' }],
  ['status', { kind: 'status' }],
  ['state of "Contoso Dev"', { kind: 'status', site: 'Contoso Dev' }],
  ["how's contoso-setup", { kind: 'status', site: 'contoso-setup' }],
  // sites
  ['list sites', { kind: 'sites' }],
  ['list sites in dev', { kind: 'sites', environment: 'dev' }],
  ['sites prod', { kind: 'sites', environment: 'prod' }],
  ['show me the portals in test', { kind: 'sites', environment: 'test' }],
  ['what sites are in production', { kind: 'sites', environment: 'prod' }],
  ['which portals do we have', { kind: 'sites' }],
  ['portals', { kind: 'sites' }],
  ['Sites in DEV', { kind: 'sites', environment: 'dev' }],
  ['list websites env=test', { kind: 'sites', environment: 'test' }],
  // jobs
  ['jobs', { kind: 'jobs', mine: false }],
  ['my jobs', { kind: 'jobs', mine: true }],
  ['show running jobs', { kind: 'jobs' }],
  ["what's running", { kind: 'jobs' }],
  ['list my jobs', { kind: 'jobs', mine: true }],
  ['recent jobs', { kind: 'jobs' }],
  // cancel / retry
  ['cancel J-7K2Q9', { kind: 'cancel', jobId: 'J-7K2Q9' }],
  ['cancel j-7k2q9 please', { kind: 'cancel', jobId: 'J-7K2Q9' }],
  ['abort J-ABCDE', { kind: 'cancel', jobId: 'J-ABCDE' }],
  ['stop job J-7K2Q9', { kind: 'cancel', jobId: 'J-7K2Q9' }],
  ['cancel', { kind: 'cancel' }],
  ['retry J-7K2Q9', { kind: 'retry', jobId: 'J-7K2Q9' }],
  ['try again J-7K2Q9', { kind: 'retry', jobId: 'J-7K2Q9' }],
  ['retry', { kind: 'retry' }],
  ['rerun J-7K2Q9', { kind: 'retry', jobId: 'J-7K2Q9' }],
  // approvals
  ['approve A-3F9KX', { kind: 'approve', approvalId: 'A-3F9KX' }],
  ['approve', { kind: 'approve' }],
  ['Approved A-3F9KX', { kind: 'approve', approvalId: 'A-3F9KX' }],
  ['reject A-3F9KX', { kind: 'reject', approvalId: 'A-3F9KX' }],
  [
    'reject A-3F9KX because the freeze is on',
    { kind: 'reject', approvalId: 'A-3F9KX', reason: 'the freeze is on' },
  ],
  ['deny A-3F9KX', { kind: 'reject', approvalId: 'A-3F9KX' }],
  ['decline a-3f9kx reason="not now"', { kind: 'reject', approvalId: 'A-3F9KX', reason: 'not now' }],
  ['lgtm A-3F9KX', { kind: 'approve', approvalId: 'A-3F9KX' }],
  // help
  ['help', { kind: 'help' }],
  ['help reset', { kind: 'help', topic: 'reset' }],
  ['help migrate', { kind: 'help', topic: 'migrate' }],
  ['?', { kind: 'help' }],
  ['what can you do', { kind: 'help' }],
  ['commands', { kind: 'help' }],
  ['HELP PROVISION', { kind: 'help', topic: 'provision' }],
  ['help me with status', { kind: 'help', topic: 'status' }],
  // templates
  ['templates', { kind: 'templates' }],
  ['what does the partner portal include?', { kind: 'templates', templateId: 'PartnerPortal' }],
  ['what does the community portal include', { kind: 'templates', templateId: 'Community' }],
  ['show templates', { kind: 'templates' }],
  ['template employee self service', { kind: 'templates', templateId: 'EmployeeSelfServicePortal' }],
  ['what does partner field service include', { kind: 'templates', templateId: 'partner-field-service' }],
  ['what does the FAQ template include', { kind: 'templates', templateId: 'FAQ' }],
  [
    'what is in the customer self service template',
    { kind: 'templates', templateId: 'CustomerSelfServicePortal' },
  ],
  // troubleshoot
  ['troubleshoot getting set up', { kind: 'troubleshoot', query: 'getting set up' }],
  ['troubleshoot provisioning_failed', { kind: 'troubleshoot', query: 'provisioning_failed' }],
  ['why is my site stuck on getting set up', { kind: 'troubleshoot' }],
  ['what does missing_site_app_permission mean', { kind: 'troubleshoot' }],
  ['diagnose reset request could not be submitted', { kind: 'troubleshoot' }],
  ['explain throttled', { kind: 'troubleshoot', query: 'throttled' }],
  // who can approve / why can't I
  ['who can approve', { kind: 'who-can-approve' }],
  ['who can approve resets in prod', { kind: 'who-can-approve', environment: 'prod' }],
  ['Who can approve a reset of contoso?', { kind: 'who-can-approve', site: 'contoso' }],
  ["why can't I reset contoso-dev", { kind: 'why-cant-i', command: 'reset' }],
  ['why cant i migrate to prod', { kind: 'why-cant-i', command: 'migrate', environment: 'prod' }],
  ['why cannot I provision in test', { kind: 'why-cant-i', command: 'provision', environment: 'test' }],
  ['why am i not allowed to reset', { kind: 'why-cant-i', command: 'reset' }],
  // mentions and markup
  ['<at>PortalOps</at> reset portal contoso-dev', { kind: 'reset', site: 'contoso-dev' }],
  ['<at>PortalOps</at>&nbsp;sites in dev', { kind: 'sites', environment: 'dev' }],
  ['<@U024BE7LH> migrate dev to prod', { kind: 'migrate', source: 'dev', target: 'prod' }],
  ['<@U024BE7LH|portalops> status contoso-dev', { kind: 'status', site: 'contoso-dev' }],
  ['@PortalOps help', { kind: 'help' }],
  ['PortalOps: list sites in test', { kind: 'sites', environment: 'test' }],
  ['/portal reset contoso-dev', { kind: 'reset', site: 'contoso-dev' }],
  ['<p>reset <b>contoso-dev</b></p>', { kind: 'reset', site: 'contoso-dev' }],
  ['reset \u201Ccontoso dev\u201D', { kind: 'reset', site: 'contoso dev' }],
  ['   reset    contoso-dev   ', { kind: 'reset', site: 'contoso-dev' }],
  // typos and unknown names
  ['rset contoso-dev', { kind: 'unknown', suggestions: ['reset'] }],
  // a misspelt command that only shows something, or opens a form, is read as meant
  ['provison a portal', { kind: 'provision' }],
  ['migrat dev to prod', { kind: 'unknown', suggestions: ['migrate'] }],
  ['staus contoso-dev', { kind: 'status', site: 'contoso-dev' }],
  ['hepl', { kind: 'help' }],
  // an abbreviation that is not the alias is asked about, never taken for it
  // A name that is not a registered environment keeps the request, without an environment: the
  // command asks, saying the name is not one and which it may mean.
  ['migrate dev to prd', { kind: 'migrate', source: 'dev', unknownEnvironment: 'prd' }],
  ['reset contoso-dev in prd', { kind: 'reset', site: 'contoso-dev', unknownEnvironment: 'prd' }],
  ['migrate dve to prod', { kind: 'migrate', target: 'prod', unknownEnvironment: 'dve' }],
  ['list sites env=prdo', { kind: 'sites', unknownEnvironment: 'prdo' }],
  ['reset contoso-dev env=tst', { kind: 'reset', site: 'contoso-dev', unknownEnvironment: 'tst' }],
  ['sites in staging2 environment', { kind: 'sites', unknownEnvironment: 'staging2' }],
  ['make me a sandwich', { kind: 'unknown' }],
  ['', { kind: 'unknown', suggestions: ['help'] }],
  ['   ', { kind: 'unknown' }],
  ['hello there', { kind: 'unknown' }],
  ['asdfghjkl', { kind: 'unknown' }],
];

describe('parseIntent', () => {
  it('has at least 150 phrasings', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases)('%s', (text, expected) => {
    expect(parse(text)).toMatchObject(expected);
  });

  describe('hostile input', () => {
    const hostile = [
      'reset '.repeat(5_000),
      `status ${'x'.repeat(100_000)}`,
      '\u0000\u0001\u0002reset\u0007 contoso-dev\u001b[31m',
      '<script>alert(1)</script> reset contoso-dev',
      "reset contoso-dev'; DROP TABLE jobs; --",
      '{{$root.secret}} reset',
      '"""""""',
      '((((((((((',
      'reset site=',
      '--env= --site=',
      '\u202Eved-osotnoc teser',
      '😀 reset 😀 contoso-dev 😀',
      'A-XXXXX J-00000',
      '\\\\\\\\',
      'null',
      'undefined',
      '__proto__=1 constructor=2 reset',
    ];

    it.each(hostile)('never throws and returns something sane for %j', (text) => {
      const result = parse(text);
      expect(result).toHaveProperty('kind');
      if (result.kind === 'unknown') expect(result.message.length).toBeLessThan(300);
      expect(JSON.stringify(result)).not.toContain('<script>');
    });

    it('ignores markup and control characters around a real command', () => {
      expect(parse('\u0000\u0001\u0002reset\u0007 contoso-dev\u001b[31m')).toMatchObject({ kind: 'reset' });
      expect(parse('<script>alert(1)</script> reset contoso-dev')).toMatchObject({
        kind: 'reset',
        site: 'contoso-dev',
      });
    });
  });
});

describe('restart site, data model moves and environments by name', () => {
  it.each<[string, Record<string, unknown>]>([
    ['restart contoso-dev', { kind: 'restart-site', site: 'contoso-dev' }],
    ['restart contoso-dev in dev', { kind: 'restart-site', site: 'contoso-dev', environment: 'dev' }],
    [
      'reboot the site contoso in Contoso Production',
      { kind: 'restart-site', site: 'contoso', environment: 'prod' },
    ],
    ['restart provisioning contoso-broken', { kind: 'restart-provisioning', site: 'contoso-broken' }],
    [
      'restart the package install for contoso-setup',
      { kind: 'retry-package-install', site: 'contoso-setup' },
    ],
    ['change values of contoso-broken and restart', { kind: 'change-and-restart', site: 'contoso-broken' }],
    [
      'move contoso-dev in dev to the enhanced data model',
      { kind: 'move-data-model', site: 'contoso-dev', environment: 'dev' },
    ],
    ['migrate contoso-dev to the enhanced model', { kind: 'move-data-model', site: 'contoso-dev' }],
    [
      'migrate contoso-dev from dev to test',
      { kind: 'migrate', site: 'contoso-dev', source: 'dev', target: 'test' },
    ],
    [
      'copy the contoso-dev configuration to Contoso Production',
      { kind: 'migrate', site: 'contoso-dev', target: 'prod' },
    ],
    ['sites in Contoso Test', { kind: 'sites', environment: 'test' }],
    ['how do I restart a site?', { kind: 'help', topic: 'restart-site' }],
    ['should I reset contoso-dev?', { kind: 'help', topic: 'reset' }],
  ])('%s', (text, expected) => {
    expect(read(text)).toMatchObject(expected);
  });

  it('does nothing for a request not to do something', () => {
    for (const text of [
      "don't restart contoso-dev",
      'do not reset contoso-dev in dev',
      "please don't delete it",
      'never migrate dev to prod',
    ]) {
      expect(read(text), text).toMatchObject({
        kind: 'unknown',
        message: expect.stringContaining('I will not do anything'),
      });
    }
    expect(read('not working: contoso-dev')).toMatchObject({ kind: 'status', site: 'contoso-dev' });
  });

  it('reads a restart named with a job as a retry, and a question about a restart as a status', () => {
    expect(read('restart job J-4MNP7')).toEqual({ kind: 'retry', jobId: 'J-4MNP7' });
    expect(read('status of the restart of contoso-dev')).toEqual({ kind: 'status', site: 'contoso-dev' });
  });

  it('answers a message it cannot read that names a site with its status, never with a guessed change', () => {
    expect(read('contoso-events, anything new?')).toEqual({ kind: 'status', site: 'contoso-events' });
    expect(read('overview of Contoso Test')).toEqual({ kind: 'sites', environment: 'test' });
    expect(read('frobnicate contoso-dev and then delete it')).toMatchObject({ kind: 'unknown' });
    expect(read('rset contoso-dev')).toMatchObject({ kind: 'unknown', suggestions: ['reset'] });
  });

  it.each<[string, Record<string, unknown>]>([
    ['deploy a new portal in dev', { kind: 'provision', environment: 'dev' }],
    ['decommission contoso-test in test', { kind: 'reset', site: 'contoso-test', environment: 'test' }],
    [
      'replicate contoso-construction config from dev to test',
      { kind: 'migrate', source: 'dev', target: 'test' },
    ],
    ['halt J-4MNP7', { kind: 'cancel', jobId: 'J-4MNP7' }],
    ['what can I ask you?', { kind: 'help' }],
    ['recent activity', { kind: 'jobs' }],
    [
      'restart contoso-broken in dev with subdomain contoso-partners',
      { kind: 'change-and-restart', site: 'contoso-broken', changes: { subdomain: 'contoso-partners' } },
    ],
    ['undo the last migration on prod', { kind: 'restore', environment: 'prod' }],
    ['can you delete portals?', { kind: 'help', topic: 'reset' }],
    ['can you provision a site for me?', { kind: 'provision' }],
  ])('synonym or family: %s', (text, expected) => {
    expect(read(text)).toMatchObject(expected);
  });

  it('names no site or snapshot from an ordinary word', () => {
    expect(read('undo the last migration on prod')).not.toHaveProperty('site');
    expect(
      read('restore contoso-construction in test to the snapshot from before the migration'),
    ).not.toHaveProperty('snapshot');
    expect(read('scrap it')).toEqual({ kind: 'reset', reprovision: false });
    // One site at a time: two named is none for sure.
    expect(read('restart contoso-dev and contoso-events')).toEqual({ kind: 'restart-site' });
    expect(read('tell me how to restore a site')).toEqual({ kind: 'help', topic: 'restore' });
  });

  it('leaves out a site it is not sure of in a destructive request', () => {
    expect(read('restart everything in prod')).toEqual({ kind: 'restart-site', environment: 'prod' });
    expect(read('reset it')).toEqual({ kind: 'reset', reprovision: false });
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'fix the subdomain on contoso-broken (dev) to broken-fixed and try provisioning again',
      {
        kind: 'change-and-restart',
        site: 'contoso-broken',
        environment: 'dev',
        changes: { subdomain: 'broken-fixed' },
      },
    ],
    [
      'correct the name for contoso-broken in dev to "Broken Fixed", then restart',
      {
        kind: 'change-and-restart',
        site: 'contoso-broken',
        environment: 'dev',
        changes: { name: 'Broken Fixed' },
      },
    ],
    [
      'set the site admin of contoso-broken in dev to bob@contoso.com and restart provisioning',
      {
        kind: 'change-and-restart',
        site: 'contoso-broken',
        environment: 'dev',
        changes: { siteAdministrator: 'bob@contoso.com' },
      },
    ],
  ])('a new value is a change, never the site: %s', (text, expected) => {
    expect(read(text)).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ['what are my jobs doing', { kind: 'jobs', mine: true }],
    ['show me the jobs I started', { kind: 'jobs', mine: true }],
    ['can you rerun job #J-6PL9Z', { kind: 'retry', jobId: 'J-6PL9Z' }],
    ['try that job again', { kind: 'retry' }],
    ['rejecting - wrong site', { kind: 'reject', reason: 'wrong site' }],
    [
      'I reject this request because it targets prod during business hours',
      { kind: 'reject', reason: 'it targets prod during business hours' },
    ],
    ['send trial expiry alerts for Contoso Test here', { kind: 'subscribe', environment: 'test' }],
    ['why does provisioning fail with a subdomain already in use?', { kind: 'troubleshoot' }],
    ['why did provisioning fail for contoso-broken?', { kind: 'status', site: 'contoso-broken' }],
    [
      "what's in the employee self-service portal template?",
      { kind: 'templates', templateId: 'EmployeeSelfServicePortal' },
    ],
  ])('jobs, approvals, alerts and questions: %s', (text, expected) => {
    expect(read(text)).toMatchObject(expected);
  });

  it('asks about an environment it does not know, never taking it for the site', () => {
    for (const text of [
      'migrate contoso-construction from dev into pre-prod',
      'reset contoso-dev in pre-prod',
      'restore contoso-construction in pre-prod',
    ]) {
      const intent = read(text) as { environment?: string; target?: string; site?: string };
      expect(intent, text).toMatchObject({ unknownEnvironment: 'pre-prod' });
      expect([intent.environment, intent.target], text).toEqual([undefined, undefined]);
      expect(intent.site, text).not.toBe('pre-prod');
    }
    // A name that is no environment leaves the environment out (the command asks) and says so.
    expect(read('reset contoso-dev in sandbox')).toEqual({
      kind: 'reset',
      site: 'contoso-dev',
      reprovision: false,
      unknownEnvironment: 'sandbox',
    });
    // A site's name that ends like an environment is still a site.
    expect(read('restart contoso-dev in dev')).toEqual({
      kind: 'restart-site',
      site: 'contoso-dev',
      environment: 'dev',
    });
  });
});

describe('phrasing families: politeness, pasted messages, values and refusals', () => {
  /** Each text is read with exactly the listed fields (`undefined`: the field is absent, so the command asks). */
  const readsAs = (cases: [string, Record<string, unknown>][]) =>
    it.each(cases)('%s', (text, expected) => {
      const intent = read(text) as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(expected)) expect(intent[field], field).toEqual(value);
    });

  readsAs([
    // a polite request after a first sentence, or after a greeting of the team, is a request
    [
      'The import step of job J-4K7MP broke. Could you give it another try?',
      { kind: 'retry', jobId: 'J-4K7MP' },
    ],
    [
      'morning all - could you restart hr-hub in Contoso Test for me? cheers',
      { kind: 'restart-site', site: 'hr-hub' },
    ],
    [
      'would you mind restarting the provisioning of contoso-broken in dev?',
      { kind: 'restart-provisioning', site: 'contoso-broken' },
    ],
    [
      'can u reboot contoso-events on test',
      { kind: 'restart-site', site: 'contoso-events', environment: 'test' },
    ],
    // asked of the bot, two sites or two environments are something to act on (the command asks which)
    ['could you restart contoso-dev and hr-hub in dev?', { kind: 'restart-site', site: undefined }],
    [
      'could you promote the config from staging to live?',
      { kind: 'migrate', source: 'test', target: 'prod' },
    ],
    // asked of what may be done, it is still help
    ['can we push the dev config to production?', { kind: 'help', topic: 'migrate' }],
    ['are we allowed to wipe a portal with this?', { kind: 'help', topic: 'reset' }],
    ['explain how the restore command works', { kind: 'help', topic: 'restore' }],
    ['what can u do?', { kind: 'help' }],
  ]);

  readsAs([
    // a site named beside a pasted message or state is asked about
    [
      'contoso-setup shows "Getting set up" for hours now, normal?',
      { kind: 'status', site: 'contoso-setup' },
    ],
    ['hr-hub done provisioning?', { kind: 'status', site: 'hr-hub' }],
    ['is partner-portal ready yet', { kind: 'status', site: 'partner-portal' }],
    ['contoso-events stuck for 3hrs', { kind: 'status', site: 'contoso-events' }],
    // a pasted message alone is looked up; its product names and sentences are not sites
    ['seeing "Sorry, something went wrong. Error: 500" on the home page', { kind: 'troubleshoot' }],
    ['Install Failed on the Dynamics 365 Portals - Partner Self-Service package', { kind: 'troubleshoot' }],
    ['the portal shows a blank page since this morning', { kind: 'troubleshoot' }],
    // filler words are not sites: the command asks which
    ['go ahead and wipe that one', { kind: 'reset', site: undefined }],
    ['bounce the site already', { kind: 'restart-site', site: undefined }],
    ['roll back the pre-migration changes on contoso-dev', { kind: 'restore', site: 'contoso-dev' }],
    [
      'show me every single portal in Contoso Test, including broken ones',
      { kind: 'sites', environment: 'test' },
    ],
  ]);

  readsAs([
    // new values with a retry of the provisioning are a change-and-restart, never a plain restart
    [
      'subdomain taken for contoso-broken, try contoso-broken-2 as the subdomain and retry provisioning in dev',
      { kind: 'change-and-restart', site: 'contoso-broken', changes: { subdomain: 'contoso-broken-2' } },
    ],
    [
      'contoso-broken: switch the language to 1033 then retry',
      { kind: 'change-and-restart', site: 'contoso-broken', changes: { languageLcid: 1033 } },
    ],
    // negations of a part of the request
    ['wipe contoso-test in test, no need to recreate it', { kind: 'reset', reprovision: false }],
    ['migrate contoso-dev from dev to test, not a dry run', { kind: 'migrate', dryRun: false }],
    ['need a portal in dev, call it Vendor Hub', { kind: 'provision', name: 'Vendor Hub' }],
    ['reinstall the pkg on contoso-setup in dev', { kind: 'retry-package-install', site: 'contoso-setup' }],
    ['move contoso-dev in dev to EDM', { kind: 'move-data-model', site: 'contoso-dev' }],
  ]);

  readsAs([
    ['we will not approve A-7K2Q9 before the freeze ends', { kind: 'reject', approvalId: 'A-7K2Q9' }],
    ['decline approval A-7K2Q9', { kind: 'reject', approvalId: 'A-7K2Q9' }],
    ['nah, deny that one', { kind: 'reject' }],
    ['ok approving A-7K2Q9 for the prod push', { kind: 'approve', approvalId: 'A-7K2Q9' }],
    // an id with letters PortalOps never uses is passed on, for the command to say there is none
    ['reject A-1LO0I', { kind: 'reject', approvalId: 'A-1LO0I' }],
    ['sub #ops to prod alerts', { kind: 'subscribe', environment: 'prod' }],
    ['unsub this channel from test alerts', { kind: 'unsubscribe', environment: 'test' }],
    [
      'we want the team to get notified when a provisioning fails in dev',
      { kind: 'subscribe', environment: 'dev' },
    ],
    ['is there any open alert?', { kind: 'alerts' }],
    ['alerts firing in prod?', { kind: 'alerts' }],
    ['which of our jobs are still running?', { kind: 'jobs' }],
    ['who has to sign off on a restore in prod?', { kind: 'who-can-approve', environment: 'prod' }],
  ]);
  readsAs([
    // typed like a command line: command ids, value flags, site/env pairs
    [
      'restart-provisioning --site contoso-x1 -e test',
      { kind: 'restart-provisioning', site: 'contoso-x1', environment: 'test' },
    ],
    [
      'move-data-model -s contoso-dev --env dev',
      { kind: 'move-data-model', site: 'contoso-dev', environment: 'dev' },
    ],
    [
      'provision --env dev --name "Supplier Hub" --subdomain supplier-hub',
      { kind: 'provision', name: 'Supplier Hub', subdomain: 'supplier-hub', environment: 'dev' },
    ],
    ['jobs --mine', { kind: 'jobs', mine: true }],
    ['man restart-site', { kind: 'help', topic: 'restart-site' }],
    ['contoso-events/test -> restart', { kind: 'restart-site', site: 'contoso-events', environment: 'test' }],
    ['dev to prod contoso-dev', { kind: 'migrate', source: 'dev', target: 'prod', site: 'contoso-dev' }],
    [
      'from=dev to=test site=contoso-dev',
      { kind: 'migrate', source: 'dev', target: 'test', site: 'contoso-dev' },
    ],
    // a misspelt domain noun is read as meant (a misspelt verb is still asked about)
    ['retry provisioing for contoso-broken in dev', { kind: 'restart-provisioning', site: 'contoso-broken' }],
    // pasted errors, clauses and conditions
    ['Error: Something failed. Try again later.', { kind: 'troubleshoot' }],
    ['if hr-hub is still broken tomorrow, then restart it', { kind: 'restart-site', site: 'hr-hub' }],
    ['what exactly would a reset of contoso-dev delete?', { kind: 'help', topic: 'reset' }],
    ['is it safe to cancel a provisioning halfway?', { kind: 'help', topic: 'cancel' }],
    [
      'have another go at installing the package on contoso-setup',
      { kind: 'retry-package-install', site: 'contoso-setup' },
    ],
    ['please have job J-7K2Q9 cancelled', { kind: 'cancel', jobId: 'J-7K2Q9' }],
    ['has J-7K2Q9 been cancelled?', { kind: 'status', jobId: 'J-7K2Q9' }],
    ['sign us up for prod alerts', { kind: 'subscribe', environment: 'prod' }],
    ['stop posting the test alerts in here', { kind: 'unsubscribe', environment: 'test' }],
    ['Acknowledge', { kind: 'alerts' }],
    ['put contoso-dev back the way it was', { kind: 'restore', site: 'contoso-dev' }],
    ['contoso-dev -> enhanced data model', { kind: 'move-data-model', site: 'contoso-dev' }],
    ['the team needs a partner portal in test, spin it up', { kind: 'provision', environment: 'test' }],
    ['they want to see every portal in dev', { kind: 'sites', environment: 'dev' }],
    [
      'I get permission denied when I try to reset contoso-dev in prod, why?',
      { kind: 'why-cant-i', command: 'reset' },
    ],
    ['who on the prod side would approve a migration?', { kind: 'who-can-approve', environment: 'prod' }],
  ]);
  readsAs([
    // context first, the request in a later clause; "its" points back to the site named before
    [
      'the pages are ancient, can u bounce contoso-events in test',
      { kind: 'restart-site', site: 'contoso-events', environment: 'test' },
    ],
    [
      'contoso-broken (dev) is the failed one – please kick off its provisioning again',
      { kind: 'restart-provisioning', site: 'contoso-broken', environment: 'dev' },
    ],
    [
      'great, that worked for contoso-dev. now restart the other one',
      { kind: 'restart-site', site: undefined },
    ],
    [
      'contoso-setup in test: reinstall the package please',
      { kind: 'retry-package-install', site: 'contoso-setup', environment: 'test' },
    ],
    ['all good here, approve it', { kind: 'approve' }],
    // outcomes described instead of commands
    [
      'I want Contoso Test to look exactly like Contoso Dev for contoso-events',
      { kind: 'migrate', source: 'dev', target: 'test', site: 'contoso-events' },
    ],
    ['make prod match test for hr-hub', { kind: 'migrate', source: 'test', target: 'prod', site: 'hr-hub' }],
    ['start over with contoso-test in test, from scratch', { kind: 'reset', site: 'contoso-test' }],
    ['turn hr-hub off and back on in dev', { kind: 'restart-site', site: 'hr-hub', environment: 'dev' }],
    [
      'contoso-dev in dev should use the enhanced data model',
      { kind: 'move-data-model', site: 'contoso-dev' },
    ],
    [
      'for contoso-broken in dev make carol@contoso.com the site admin and restart it',
      { kind: 'change-and-restart', changes: { siteAdministrator: 'carol@contoso.com' } },
    ],
    // permissions, history and lists
    ['which roles may reset sites in prod?', { kind: 'why-cant-i', command: 'reset', environment: 'prod' }],
    ['why was my restore blocked', { kind: 'why-cant-i', command: 'restore' }],
    ['who ran the migration to prod last night?', { kind: 'jobs', mine: false }],
    ['show all jobs, not only mine', { kind: 'jobs', mine: false }],
    ['can I see the portals in the live environment?', { kind: 'sites', environment: 'prod' }],
    ['are there any suspended sites in test?', { kind: 'sites', environment: 'test' }],
    [
      'what is the state of contoso-trial and when does it expire?',
      { kind: 'status', site: 'contoso-trial' },
    ],
    ['restart contoso-dev in dev for ticket INC-4410', { kind: 'restart-site', site: 'contoso-dev' }],
    ['AADSTS700016: Application not found in the directory', { kind: 'troubleshoot' }],
    ['halt the prod alerts in this channel', { kind: 'unsubscribe', environment: 'prod' }],
    ['how do I decline a request?', { kind: 'help', topic: 'reject' }],
    ['give me just the migration plan for contoso-dev from dev to test', { kind: 'migrate', dryRun: true }],
  ]);
  readsAs([
    // a message that corrects itself: what is corrected replaces what it corrects
    ['restart hr-hub, sorry, I meant contoso-events', { kind: 'restart-site', site: 'contoso-events' }],
    [
      'reset contoso-test in dev, oops, in test',
      { kind: 'reset', site: 'contoso-test', environment: 'test' },
    ],
    ['retry J-7K2Q9 — no, J-4K7MP', { kind: 'retry', jobId: 'J-4K7MP' }],
    ['migrate hr-hub from dev to test — not test, prod', { kind: 'migrate', source: 'dev', target: 'prod' }],
    ['not test, dev: show the sites', { kind: 'sites', environment: 'dev' }],
    ['approve A-7K2Q9, no wait, reject it', { kind: 'reject', approvalId: 'A-7K2Q9' }],
    // an aside is not a correction
    [
      'reset contoso-dev in dev, no need to touch prod',
      { kind: 'reset', site: 'contoso-dev', environment: 'dev' },
    ],
    // of two requests, a first that only shows something is answered first
    ['show me hr-hub status and then reset it', { kind: 'status', site: 'hr-hub' }],
    ['reset hr-hub in dev and then show me its status', { kind: 'reset', site: 'hr-hub' }],
    // pasted material: addresses, tickets, records, logs and quoted messages
    [
      'restart https://contoso-events.powerappsportals.com in test',
      { kind: 'restart-site', site: 'contoso-events' },
    ],
    [
      'INC0012345 - please restart hr-hub in prod (slow since the last deploy)',
      { kind: 'restart-site', site: 'hr-hub', environment: 'prod' },
    ],
    ['{"name":"hr-hub","status":"OperationFailed"}', { kind: 'status', site: 'hr-hub' }],
    [
      '2025-01-09 10:00:01 WARN hr-hub stale content, need a restart of hr-hub in test',
      { kind: 'restart-site', site: 'hr-hub' },
    ],
    [
      'the admin centre shows "Something went wrong. Restart the site or try again later."',
      { kind: 'troubleshoot' },
    ],
    ['"The subdomain is already in use." when I create a portal', { kind: 'troubleshoot' }],
    // requests in other words
    [
      'could we get a German-language portal in test',
      { kind: 'provision', languageLcid: 1031, environment: 'test' },
    ],
    [
      'we need the package install on contoso-setup redone',
      { kind: 'retry-package-install', site: 'contoso-setup' },
    ],
    ['can we have hr-hub rebooted in dev', { kind: 'restart-site', site: 'hr-hub' }],
    ['please post the prod alerts in this channel', { kind: 'subscribe', environment: 'prod' }],
    ['pull up the open alerts', { kind: 'alerts' }],
    [
      'migrate hr-hub dev to test, it is on the enhanced data model',
      { kind: 'migrate', source: 'dev', target: 'test' },
    ],
    ['what does the partner portal come with?', { kind: 'templates', templateId: 'PartnerPortal' }],
    [
      'why cant i move sites to the enhanced model in prod',
      { kind: 'why-cant-i', command: 'move-data-model' },
    ],
  ]);
  readsAs([
    ['restart vs reset, which one keeps my pages?', { kind: 'help' }],
    ['@PortalOps what can you really do', { kind: 'help' }],
    ['quick q: how long does a migration take?', { kind: 'help', topic: 'migrate' }],
    ['how come I am not allowed to reset in prod?', { kind: 'why-cant-i', command: 'reset' }],
    ['the admin center says: Install failed. Please contact your administrator', { kind: 'troubleshoot' }],
    ['Provisioning failed. Please try again later.', { kind: 'troubleshoot' }],
    ['HR-HUB PROVISIONING FAILED AGAIN WHY', { kind: 'status', site: 'hr-hub' }],
    [
      'for hr-hub in dev use subdomain hr-hub-3 and re-provision it',
      { kind: 'change-and-restart', changes: { subdomain: 'hr-hub-3' } },
    ],
    [
      're-try the package installation for contoso-setup',
      { kind: 'retry-package-install', site: 'contoso-setup' },
    ],
    ['ship it', { kind: 'approve' }],
    ['go ahead with A-7K2Q9', { kind: 'approve', approvalId: 'A-7K2Q9' }],
    ['rejected', { kind: 'reject' }],
    ['is anyone around to approve things in prod?', { kind: 'who-can-approve', environment: 'prod' }],
    ['why does it say I cannot retry that job?', { kind: 'why-cant-i', command: 'retry' }],
    ['show me everything I started this week', { kind: 'jobs', mine: true }],
    ['open the latest job', { kind: 'jobs' }],
    ['my jbos', { kind: 'jobs', mine: true }],
    ['anything waiting on me?', { kind: 'jobs' }],
    ['give job #6PL3N another try', { kind: 'retry', jobId: 'J-6PL3N' }],
    ['send provisioning-failure alerts for prod to this channel', { kind: 'subscribe', environment: 'prod' }],
    ['turn off test notifications here', { kind: 'unsubscribe', environment: 'test' }],
    ['what does retry really do to a failed job?', { kind: 'help', topic: 'retry' }],
  ]);
  readsAs([
    [
      'I want a reset of contoso-test in test and afterwards provision it new',
      { kind: 'reset', reprovision: true },
    ],
    ['wats running', { kind: 'jobs' }],
    ['hr-hub provisioning failed again, retry it', { kind: 'restart-provisioning', site: 'hr-hub' }],
    [
      'can we provision a new partner portal in test, subdomain partners-two?',
      { kind: 'provision', subdomain: 'partners-two' },
    ],
    [
      'restart hr-hub in Contoso Preprod',
      { kind: 'restart-site', site: 'hr-hub', unknownEnvironment: 'preprod' },
    ],
    [
      'can I restore just one table in prod, or does it restore everything?',
      { kind: 'help', topic: 'restore' },
    ],
    ['restart our marketing site in test', { kind: 'restart-site', site: undefined }],
    ['could you do again the provisioning for hr-hub', { kind: 'restart-provisioning', site: 'hr-hub' }],
    ['what can this bot really do?', { kind: 'help' }],
    ["users see 'You do not have permissions to view this page'", { kind: 'troubleshoot' }],
    ['send package install failures in test to this channel', { kind: 'subscribe', environment: 'test' }],
    ['provision a site "Vendor Desk" in test', { kind: 'provision', name: 'Vendor Desk' }],
    ['can our channel get dev alerts as well?', { kind: 'subscribe', environment: 'dev' }],
    [
      'for hr-hub in dev the site admin should be dave@contoso.com, then restart provisioning',
      { kind: 'change-and-restart', changes: { siteAdministrator: 'dave@contoso.com' } },
    ],
    ['did the standup move to 10?', { kind: 'unknown' }],
  ]);
  readsAs([
    [
      'hr-hub package is Install Failed, install the package one more time on test',
      { kind: 'retry-package-install', site: 'hr-hub' },
    ],
    ["what exactly does 'restart provisioning' do?", { kind: 'help', topic: 'restart-provisioning' }],
    ["the site shows 'Package removed' since the copy, ideas?", { kind: 'troubleshoot' }],
    ['whom should I ask for approval to reset hr-hub?', { kind: 'who-can-approve', site: 'hr-hub' }],
    ['it says I have no permission to migrate into prod, why?', { kind: 'why-cant-i', command: 'migrate' }],
    [
      'why is resetting blocked for me in test?',
      { kind: 'why-cant-i', command: 'reset', environment: 'test' },
    ],
    ['we want the channel subscribed to the dev alerts', { kind: 'subscribe', environment: 'dev' }],
    ['trigger a site restart on hr-hub in test', { kind: 'restart-site', site: 'hr-hub' }],
    ['is it really safe to reset hr-hub while people use it?', { kind: 'help', topic: 'reset' }],
    [
      'the admin page shows Install Failed next to the portal package, what does that mean?',
      { kind: 'troubleshoot' },
    ],
    [
      'replace the site admin on hr-hub (dev) with erin@contoso.com and retry provisioning',
      { kind: 'change-and-restart', site: 'hr-hub' },
    ],
    [
      'new site in Contoso Test, template CommunityPortal, audience customer',
      { kind: 'provision', environment: 'test' },
    ],
    [
      "don't reset hr-hub, just restart it in test so the new styles load",
      { kind: 'restart-site', site: 'hr-hub', environment: 'test' },
    ],
    [
      'what would change in test if we moved hr-hub over from dev?',
      { kind: 'migrate', source: 'dev', target: 'test', dryRun: true },
    ],
    ['can the bot retry a job after it failed?', { kind: 'help', topic: 'retry' }],
  ]);
  readsAs([
    [
      "don't deploy yet, just show me the plan for hr-hub dev to test",
      { kind: 'migrate', dryRun: true, site: 'hr-hub' },
    ],
    ['push hr-hub dev to test, only simulate, do not write anything', { kind: 'migrate', dryRun: true }],
    [
      'hr-hub failed since the subdomain is taken, use hr-hub-7 instead and restart it',
      { kind: 'change-and-restart', site: 'hr-hub', changes: { subdomain: 'hr-hub-7' } },
    ],
    ["what's stopping me from migrating into prod?", { kind: 'why-cant-i', command: 'migrate' }],
    ["show me what I've got running", { kind: 'jobs', mine: true }],
    [
      'package install failure alerts from dev in this chat please',
      { kind: 'subscribe', environment: 'dev' },
    ],
    [
      'the subdomain of hr-hub in dev should be hr-hub-9, update it and restart provisioning',
      { kind: 'change-and-restart', site: 'hr-hub', changes: { subdomain: 'hr-hub-9' } },
    ],
    ['explain move-data-model to me', { kind: 'help', topic: 'move-data-model' }],
  ]);
  readsAs([
    ['ok retry provisioning then', { kind: 'restart-provisioning', site: undefined }],
    [
      'let us know in here whenever a package install fails in test',
      { kind: 'subscribe', environment: 'test' },
    ],
    ['our portal shows "Getting set up" all day, what does that mean?', { kind: 'troubleshoot' }],
    [
      'the language of hr-hub in dev switched to 1036, then provisioning restarted please',
      { kind: 'change-and-restart', site: 'hr-hub' },
    ],
    ['roll hr-hub in test back to how it was yesterday', { kind: 'restore', site: 'hr-hub' }],
    ['did any of our jobs fail overnight?', { kind: 'jobs' }],
    ["my manager is asking why we aren't allowed to reset in prod", { kind: 'why-cant-i', command: 'reset' }],
    [
      'send hr-hub over from dev to test, but show me what would happen first',
      { kind: 'migrate', dryRun: true },
    ],
    ['could somebody check on hr-hub in Contoso Test?', { kind: 'status', site: 'hr-hub' }],
    ['please make restart of hr-hub in test, it is broken', { kind: 'restart-site', site: 'hr-hub' }],
    ["seeing 'Install Failed' on the package, what does it mean?", { kind: 'troubleshoot' }],
  ]);
});
