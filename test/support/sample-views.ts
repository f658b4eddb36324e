import type { JobSummary, View } from '../../src/views/view.ts';

const job: JobSummary = {
  id: 'J-7K2Q9',
  title: 'Reset contoso-dev in dev',
  state: 'running',
  percent: 40,
  step: 'Delete the hosted site',
  detail: 'Deleting: running',
  requester: 'Alice Admin',
};

/** One of every view, plus empty and oversized variants. */
export const SAMPLE_VIEWS: View[] = [
  {
    type: 'message',
    text: 'There is no environment "prd". Did you mean prod?',
    tone: 'error',
    suggestions: ['prod'],
  },
  { type: 'message', text: 'Nothing to do.' },
  {
    type: 'help',
    title: 'What I can do',
    intro: 'You are admin in dev, test and prod.',
    groups: [
      {
        title: 'Create and fix sites',
        commands: [
          {
            title: 'Reset a site',
            summary: 'delete the hosted site after a snapshot',
            examples: ['reset contoso-dev in dev'],
          },
        ],
      },
    ],
    notes: ['I could not list the sites of prod just now, so examples there say <site>.'],
    buttons: [{ verb: 'chat.say', label: 'Sites in dev', data: { text: 'sites in dev' } }],
  },
  {
    type: 'site-list',
    environment: 'dev',
    sites: [
      {
        name: 'Contoso Dev',
        subdomain: 'contoso-dev',
        status: 'Configured',
        type: 'Trial',
        url: 'https://contoso-dev.powerappsportals.com',
        note: 'trial ends in 5 days',
      },
    ],
  },
  { type: 'site-list', environment: 'test', sites: [] },
  {
    type: 'site-list',
    environment: 'prod',
    sites: Array.from({ length: 80 }, (_, i) => ({
      name: `Site ${i}`,
      subdomain: `site-${i}`,
      status: 'Configured',
      type: 'Production',
      url: `https://site-${i}.example`,
    })),
  },
  {
    type: 'site-status',
    environment: 'dev',
    title: 'Contoso Broken',
    facts: [
      { label: 'Status', value: 'Provisioning failed' },
      { label: 'Platform values', value: 'status OperationFailed · package None · type Trial' },
    ],
    buttons: [
      {
        verb: 'site.restart-provisioning',
        label: 'Restart provisioning',
        data: { environment: 'dev', site: 'contoso-broken' },
        style: 'positive',
      },
    ],
  },
  {
    type: 'form',
    title: 'Provision a site',
    intro: 'A few values are missing.',
    errors: ['The subdomain is taken.'],
    inputs: [
      { id: 'name', label: 'Name', required: true },
      { id: 'subdomain', label: 'Subdomain', value: 'partner-hub', error: 'Already used' },
      {
        id: 'templateId',
        label: 'Template',
        choices: [{ value: 'PartnerPortal', title: 'Partner Portal' }],
        value: 'PartnerPortal',
      },
    ],
    submit: { verb: 'provision.submit', label: 'Provision', data: { formId: 'F-1', nonce: 'N-ABCDE' } },
  },
  {
    type: 'confirmation',
    title: 'Reset contoso-dev in dev?',
    plan: ['Snapshot its configuration', 'Delete the hosted site'],
    note: 'Type the site name to confirm. An approver must then approve.',
    confirmInput: { id: 'confirmText', label: 'Site name', placeholder: 'contoso-dev' },
    confirm: {
      verb: 'request.confirm',
      label: 'Reset',
      data: { approvalId: 'A-3F9KX', nonce: 'N-1' },
      style: 'destructive',
    },
    cancel: { verb: 'request.cancel', label: 'Cancel', data: { approvalId: 'A-3F9KX', nonce: 'N-1' } },
  },
  {
    type: 'approval-request',
    title: 'Approve: Reset contoso-dev in dev',
    plan: ['Snapshot its configuration', 'Delete the hosted site'],
    requester: 'Alice Admin',
    expiresAt: '2026-11-23 15:00 UTC',
    status: 'Waiting for 1 approval',
    approverIds: ['bob@contoso.com'],
    buttons: [
      {
        verb: 'approval.approve',
        label: 'Approve',
        data: { approvalId: 'A-3F9KX', nonce: 'N-2' },
        style: 'positive',
      },
      {
        verb: 'approval.reject',
        label: 'Reject',
        data: { approvalId: 'A-3F9KX', nonce: 'N-2' },
        style: 'destructive',
      },
    ],
  },
  { type: 'job-progress', job, buttons: [{ verb: 'job.cancel', label: 'Cancel', data: { jobId: job.id } }] },
  {
    type: 'job-result',
    job: { ...job, state: 'succeeded', percent: 100 },
    result: [{ label: 'Snapshot', value: 'J-7K2Q9-contoso-dev' }],
  },
  {
    type: 'failure',
    title: 'Provisioning failed',
    explanation: 'The platform could not finish creating the site.',
    steps: ['Restart provisioning with the same values.'],
    problems: [{ field: 'subdomain', message: 'Taken', fix: 'Pick another' }],
    code: 'provisioning_failed',
    job: { ...job, state: 'failed' },
    buttons: [{ verb: 'job.retry', label: 'Retry', data: { jobId: job.id } }],
  },
  {
    type: 'alert',
    title: 'Provisioning failed: contoso-broken in dev',
    status: 'Detected 2026-11-22 10:32 UTC · acknowledged by Bob Approver',
    tone: 'error',
    explanation: 'The platform could not finish creating the site.',
    facts: [{ label: 'Site', value: 'Contoso Broken (contoso-broken)' }],
    steps: ['Restart provisioning with the same values.'],
    job: { ...job, state: 'running', percent: 40 },
    buttons: [
      {
        verb: 'site.restart-provisioning',
        label: 'Restart provisioning',
        data: { environment: 'dev', site: 'contoso-broken', alertId: 'a-1' },
        style: 'positive',
      },
      { verb: 'alert.acknowledge', label: 'Acknowledge', data: { alertId: 'a-1' } },
      { verb: 'alert.snooze', label: 'Snooze 1 day', data: { alertId: 'a-1' } },
    ],
  },
  {
    type: 'migration-plan',
    title: 'Migrate contoso-dev',
    source: 'dev',
    target: 'prod',
    tables: [{ table: 'adx_webpage', creates: 3, updates: 12, deletes: 1 }],
    warnings: ['prod is protected: an approver must approve'],
    buttons: [
      {
        verb: 'request.confirm',
        label: 'Migrate',
        data: { approvalId: 'A-3F9KX', nonce: 'N-3' },
        style: 'destructive',
      },
    ],
  },
  {
    type: 'alert',
    title: 'Resolved: trial expiring, contoso-test in test',
    status: 'Detected 2026-11-20 08:00 UTC · Snoozed by Bob Approver · resolved 2026-11-22 09:00 UTC',
    tone: 'resolved',
    explanation: 'contoso-test in test is no longer in this state.',
    facts: [],
    steps: [],
    buttons: [],
  },
  {
    type: 'migration-plan',
    title: 'Migrate contoso-dev',
    source: 'dev',
    target: 'test',
    tables: [],
    warnings: [],
    buttons: [],
  },
  {
    type: 'templates',
    templates: [
      {
        name: 'Partner Portal (PartnerPortal)',
        audiences: 'partner',
        requires: 'a Dynamics 365 app in the environment (Sales or Customer Service)',
        features: 'Partner Onboarding, Knowledge Management',
        note: 'Only one site of this template can exist per environment.',
      },
      {
        name: 'Partner Field Service (not a template in the admin API)',
        audiences: 'partner',
        requires: 'Partner Portal and Dynamics 365 Field Service',
        features: '',
        note: 'Provision a Partner Portal (PartnerPortal), then install the Partner Field Service solution on it.',
      },
    ],
  },
  { type: 'job-list', jobs: [job] },
  { type: 'job-list', jobs: [] },
];
