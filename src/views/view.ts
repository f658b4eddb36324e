/**
 * What the bot shows, independent of where: typed views that the renderers turn into Adaptive
 * Cards (Teams), Block Kit (Slack) or text (terminal). Buttons carry only ids and a nonce.
 */

/**
 * The verb of a card button, `<feature>.<what>` (e.g. `approval.approve`, `alert.snooze`), or
 * `refresh`. Each verb is handled by the command or feature that owns it and registers it with
 * the chat core (see `commands/card-action.ts`); an unregistered verb is refused.
 */
export type ActionVerb = `${string}.${string}` | 'refresh';

/** A button. `data` holds ids and a nonce only, never secrets. */
export interface Button {
  verb: ActionVerb;
  label: string;
  data: Record<string, string>;
  style?: 'positive' | 'destructive';
}

/** A text input on a card (confirmation, form fields). */
export interface Input {
  id: string;
  label: string;
  value?: string;
  placeholder?: string;
  /** A choice set instead of free text. */
  choices?: { value: string; title: string }[];
  required?: boolean;
  error?: string;
}

/**
 * Which part of a long list a view shows (items `first`..`last`, 1-based, of `total`) and the
 * buttons to the other pages. The whole list is kept server side; the buttons carry its id.
 */
export interface PageInfo {
  first: number;
  last: number;
  total: number;
  buttons: Button[];
}

/** A job as views show it. */
export interface JobSummary {
  id: string;
  title: string;
  state: string;
  percent: number;
  step?: string;
  detail?: string;
  requester: string;
}

/** Everything the bot can show. */
export type View =
  | {
      type: 'message';
      title?: string;
      text: string;
      tone?: 'info' | 'warning' | 'error';
      suggestions?: string[];
    }
  | {
      /** Help (and the welcome): commands grouped by task, with examples and next-step buttons. */
      type: 'help';
      title: string;
      intro: string;
      groups: { title: string; commands: { title: string; summary: string; examples: string[] }[] }[];
      /** Things to know about the examples (e.g. an environment that could not be read). */
      notes: string[];
      buttons: Button[];
    }
  | {
      type: 'site-list';
      environment: string;
      sites: { name: string; subdomain: string; status: string; type: string; url: string; note?: string }[];
      page?: PageInfo;
    }
  | {
      type: 'site-status';
      environment: string;
      facts: { label: string; value: string }[];
      title: string;
      buttons: Button[];
    }
  | { type: 'form'; title: string; intro: string; inputs: Input[]; submit: Button; errors?: string[] }
  | {
      type: 'confirmation';
      title: string;
      plan: string[];
      confirmInput: Input;
      confirm: Button;
      cancel: Button;
      note: string;
    }
  | {
      type: 'approval-request';
      title: string;
      plan: string[];
      requester: string;
      expiresAt: string;
      status: string;
      /** Who may act on it (surfaces use it to show buttons only to them). */
      approverIds: string[];
      buttons: Button[];
    }
  | { type: 'job-progress'; job: JobSummary; buttons: Button[] }
  | { type: 'job-result'; job: JobSummary; result: { label: string; value: string }[] }
  | {
      type: 'failure';
      title: string;
      explanation: string;
      steps: string[];
      problems?: { field: string; message: string; fix: string }[];
      code: string;
      job?: JobSummary;
      buttons: Button[];
    }
  | {
      /** Something about a site a team should know, with the fixes that fit. */
      type: 'alert';
      title: string;
      /** Where it stands: open, acknowledged by…, resolved… */
      status: string;
      tone: 'error' | 'warning' | 'resolved';
      explanation: string;
      facts: { label: string; value: string }[];
      steps: string[];
      job?: JobSummary;
      buttons: Button[];
    }
  | {
      type: 'migration-plan';
      title: string;
      source: string;
      target: string;
      tables: { table: string; creates: number; updates: number; deletes: number }[];
      warnings: string[];
      buttons: Button[];
      page?: PageInfo;
    }
  | {
      type: 'templates';
      /** One row per template; `note` says what to know first ("" when nothing). */
      templates: { name: string; audiences: string; requires: string; features: string; note: string }[];
      page?: PageInfo;
    }
  | { type: 'job-list'; jobs: JobSummary[]; page?: PageInfo };

/** The type names of views. */
export type ViewType = View['type'];
