/**
 * The two tables the cross-replica card delivery needs, created at start-up if missing: the
 * pace of each conversation (when its next card edit may go out, shared by every replica) and
 * the outbox of card posts and edits handed to the replica that has the conversation's surface.
 * Created under a transaction-scoped advisory lock so replicas starting together do not race.
 */
import type { Pool } from 'pg';

/** Advisory lock class (first key of the two-key form) of PortalOps' operations locks. */
export const OPS_LOCK_CLASS = 7100;
/** Second key of the lock taken while creating the schema. */
const SCHEMA_LOCK = 0;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS portalops_conversation_pace (
  conversation_key text PRIMARY KEY,
  next_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS portalops_card_outbox (
  id bigserial PRIMARY KEY,
  surface text NOT NULL,
  conversation_id text NOT NULL,
  message_id text,
  operation text NOT NULL CHECK (operation IN ('post', 'update')),
  view jsonb NOT NULL,
  sender text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  claimed_by text,
  result_message_id text,
  failure text
);
CREATE INDEX IF NOT EXISTS portalops_card_outbox_unclaimed
  ON portalops_card_outbox (surface, id) WHERE claimed_by IS NULL;
`;

/** Creates the operations tables when they are missing (idempotent, safe with replicas starting at once). */
export async function ensureOpsSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [OPS_LOCK_CLASS, SCHEMA_LOCK]);
    await client.query(SCHEMA);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
