-- The store: one table per collection (a record is its JSON document plus a version), the
-- key/value table, the processed inbound events and the append-only audit log. Every change to
-- a record or value is announced on the channel portalops_changes, so each replica keeps its
-- read cache current; versions come from one sequence, so a newer change always has a larger one.

CREATE SEQUENCE portalops.change_version;

CREATE FUNCTION portalops.announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed record;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  PERFORM pg_notify(
    'portalops_changes',
    json_build_object('t', TG_TABLE_NAME, 'id', changed.id, 'v', changed.version, 'op', TG_OP)::text
  );
  RETURN NULL;
END $$;

CREATE TABLE portalops.jobs (
  id text PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL,
  site_key text GENERATED ALWAYS AS (data ->> 'siteKey') STORED,
  state text GENERATED ALWAYS AS (data ->> 'state') STORED
);
-- One active job per site, across every replica (the engine turns a violation into site_busy).
CREATE UNIQUE INDEX jobs_one_active_per_site ON portalops.jobs (site_key)
  WHERE state IN ('queued', 'awaiting_approval', 'running');
CREATE INDEX jobs_by_state ON portalops.jobs (state);

CREATE TABLE portalops.approvals (id text PRIMARY KEY, data jsonb NOT NULL, version bigint NOT NULL);
CREATE TABLE portalops.conversations (id text PRIMARY KEY, data jsonb NOT NULL, version bigint NOT NULL);
CREATE TABLE portalops.subscriptions (id text PRIMARY KEY, data jsonb NOT NULL, version bigint NOT NULL);
CREATE TABLE portalops.snapshots (id text PRIMARY KEY, data jsonb NOT NULL, version bigint NOT NULL);
CREATE TABLE portalops.alerts (id text PRIMARY KEY, data jsonb NOT NULL, version bigint NOT NULL);
CREATE TABLE portalops.card_states (id text PRIMARY KEY, data jsonb NOT NULL, version bigint NOT NULL);
CREATE TABLE portalops.store_values (id text PRIMARY KEY, value text NOT NULL, version bigint NOT NULL);

CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON portalops.jobs
  FOR EACH ROW EXECUTE FUNCTION portalops.announce_change();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON portalops.approvals
  FOR EACH ROW EXECUTE FUNCTION portalops.announce_change();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON portalops.conversations
  FOR EACH ROW EXECUTE FUNCTION portalops.announce_change();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON portalops.subscriptions
  FOR EACH ROW EXECUTE FUNCTION portalops.announce_change();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON portalops.snapshots
  FOR EACH ROW EXECUTE FUNCTION portalops.announce_change();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON portalops.alerts
  FOR EACH ROW EXECUTE FUNCTION portalops.announce_change();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON portalops.card_states
  FOR EACH ROW EXECUTE FUNCTION portalops.announce_change();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON portalops.store_values
  FOR EACH ROW EXECUTE FUNCTION portalops.announce_change();

-- Inbound events (Teams activities, Slack events, card clicks): the primary key makes a
-- redelivery to any replica a repeat. `claimed` while being handled, `done` once its effect is written.
CREATE TABLE portalops.inbound_events (
  id text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('claimed', 'done')),
  claim_token text NOT NULL,
  expires_at_ms bigint NOT NULL
);
CREATE INDEX inbound_events_by_expiry ON portalops.inbound_events (expires_at_ms);

-- The audit log: rows are only ever inserted.
CREATE TABLE portalops.audit (
  seq bigserial PRIMARY KEY,
  entry jsonb NOT NULL
);
CREATE INDEX audit_by_subject ON portalops.audit ((entry ->> 'subject'));

CREATE FUNCTION portalops.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: entries are never changed or removed';
END $$;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON portalops.audit
  FOR EACH ROW EXECUTE FUNCTION portalops.refuse_audit_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON portalops.audit
  FOR EACH STATEMENT EXECUTE FUNCTION portalops.refuse_audit_change();

CREATE FUNCTION portalops.announce_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('portalops_changes', json_build_object('t', 'audit', 'seq', NEW.seq)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER announce AFTER INSERT ON portalops.audit
  FOR EACH ROW EXECUTE FUNCTION portalops.announce_audit();
