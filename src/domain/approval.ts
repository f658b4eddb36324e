/**
 * A destructive request as it is stored: what will run once approved, the plan it is bound to,
 * who asked, the decisions, and where its cards were posted. The rules live in `policy/approvals.ts`.
 */
import type { Identity } from './identity.ts';

/** Where an approval request is. */
export type ApprovalState =
  | 'awaiting_confirmation'
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'void'
  | 'cancelled';

/** Counted and digested so two plan summaries can be compared without the records. */
export interface PlanTally {
  count: number;
  digest: string;
}

/** What an approval keeps of its plan. */
export interface PlanSummary {
  hash: string;
  facts: Record<string, string | number | boolean>;
  /** Operations by `<op> <table>` (e.g. `create adx_webpage`). */
  operations: Record<string, PlanTally>;
  /** Records per input set and table. */
  inputs: Record<string, Record<string, PlanTally>>;
}

/** A card of a request: the requester's confirmation, or the approval card. */
export interface ApprovalMessage {
  surface: string;
  conversationId: string;
  messageId: string;
  role: 'confirmation' | 'approval';
}

/** A stored approval request. */
export interface Approval {
  id: string;
  /** What will run once approved (a job to submit). */
  kind: string;
  params: Record<string, unknown>;
  siteKey: string;
  environment: string;
  /** The name the requester must type to confirm. */
  confirmText: string;
  title: string;
  /** Lines describing what will happen. */
  plan: string[];
  /** The hash of {@link planSummary}. */
  planHash: string;
  /** The plan's operations and inputs, counted and digested (absent on requests of older versions). */
  planSummary?: PlanSummary;
  /** Why the request became void (what changed in the plan). */
  voidReason?: string;
  requester: Identity;
  needsApproval: boolean;
  required: number;
  decisions: { by: Identity; decision: 'approve' | 'reject'; at: string; reason?: string }[];
  state: ApprovalState;
  jobId?: string;
  /** Changes on every state change; cards carry it so stale clicks are recognised. */
  nonce: string;
  createdAt: string;
  expiresAt: string;
  reminderSentAt?: string;
  /** When the request went to the environment's admins for being unanswered. */
  escalatedAt?: string;
  /** Where the confirmation and approval cards were posted. */
  messages: ApprovalMessage[];
}
