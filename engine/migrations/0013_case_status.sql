-- What happened to an inbound item, step by step, for "status at a button press": appended by
-- the intake (received, handed to its process) and by the process's workers (claim registered,
-- with the office, escalated, answered). Append-only, like the record log.
CREATE TABLE inbound_status_event (
  id               bigserial   PRIMARY KEY,
  inbound_item_id  uuid        NOT NULL REFERENCES inbound_item (id),
  at               timestamptz NOT NULL DEFAULT now(),
  status           text        NOT NULL,
  detail           text
);

CREATE INDEX inbound_status_event_item ON inbound_status_event (inbound_item_id, id);

-- Secrets of the intake that must survive restarts (the key status tokens are derived from).
CREATE TABLE inbound_secret (
  name   text  PRIMARY KEY,
  value  bytea NOT NULL
);
