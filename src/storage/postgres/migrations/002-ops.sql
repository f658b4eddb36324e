-- Card delivery across replicas: the pace of each conversation (when its next card post or edit
-- may go out, shared by every replica, so together they keep the chat platform's per-conversation
-- limit) and the outbox of posts and edits handed to the replica that has the conversation's
-- surface (announced on the channel portalops_cards; a delivered post on portalops_card_results).

CREATE TABLE portalops.conversation_pace (
  conversation_key text PRIMARY KEY,
  next_at timestamptz NOT NULL
);

CREATE TABLE portalops.card_outbox (
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
CREATE INDEX card_outbox_unclaimed ON portalops.card_outbox (surface, id) WHERE claimed_by IS NULL;
