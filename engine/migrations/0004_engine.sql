-- The embedded engine's durable state. One writer per partition holds an advisory lock and is
-- the only process that writes these tables; everything it changes in one batch of commands is
-- written in one transaction together with the batch's records.

CREATE TABLE engine_partition (
  partition_id   integer PRIMARY KEY,
  last_key       bigint  NOT NULL,      -- highest key counter handed out
  last_position  bigint  NOT NULL,      -- position of the newest record
  last_hash      text    NOT NULL       -- hash of the newest record, start of the next link
);

CREATE TABLE engine_deployment (
  deployment_key bigint PRIMARY KEY,
  tenant_id      text        NOT NULL,
  deployed_at    timestamptz NOT NULL
);

CREATE TABLE engine_process_definition (
  process_definition_key bigint PRIMARY KEY,
  bpmn_process_id        text        NOT NULL,
  version                integer     NOT NULL,
  version_tag            text,
  tenant_id              text        NOT NULL,
  resource_name          text        NOT NULL,
  resource               text        NOT NULL,
  checksum               text        NOT NULL,
  deployment_key         bigint      NOT NULL REFERENCES engine_deployment,
  deployed_at            timestamptz NOT NULL,
  UNIQUE (tenant_id, bpmn_process_id, version)
);

-- Read model of process instances for search and lists; the records stay the full history.
CREATE TABLE engine_process_instance (
  process_instance_key   bigint PRIMARY KEY,
  process_definition_key bigint      NOT NULL,
  bpmn_process_id        text        NOT NULL,
  version                integer     NOT NULL,
  tenant_id              text        NOT NULL,
  state                  text        NOT NULL,   -- ACTIVE, COMPLETED, TERMINATED
  started_at             timestamptz NOT NULL,
  ended_at               timestamptz
);
CREATE INDEX engine_process_instance_by_process ON engine_process_instance (bpmn_process_id, started_at DESC);

-- Runtime state (element instances, jobs, variable scopes, incidents, join tokens), one row per
-- entity, written as the net change of each batch: what was created and ended within a batch
-- never reaches this table.
CREATE TABLE engine_state (
  kind  text   NOT NULL,
  key   bigint NOT NULL,
  data  json   NOT NULL,     -- a snapshot read only at start: json skips jsonb's conversion
  PRIMARY KEY (kind, key)
);

-- The append-only, hash-chained record stream. `value` is stored as `json` (not `jsonb`) so the
-- text the hash was computed over is kept byte for byte.
CREATE TABLE engine_record (
  position             bigint  PRIMARY KEY,
  partition_id         integer NOT NULL,
  record_key           bigint  NOT NULL,
  value_type           text    NOT NULL,
  intent               text    NOT NULL,
  timestamp_ms         bigint  NOT NULL,
  process_instance_key bigint,
  element_id           text,
  value                json    NOT NULL,
  hash                 text    NOT NULL
);
CREATE INDEX engine_record_by_instance ON engine_record (process_instance_key, position)
  WHERE process_instance_key IS NOT NULL;

CREATE FUNCTION engine_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'engine_record is append-only: % is not allowed', TG_OP;
END $$;
CREATE TRIGGER engine_record_no_update BEFORE UPDATE OR DELETE ON engine_record
  FOR EACH ROW EXECUTE FUNCTION engine_record_append_only();
