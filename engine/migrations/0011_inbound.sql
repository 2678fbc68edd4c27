-- Inbound items: everything that arrives on a channel (e-mail, web form, post, fax), normalized
-- into one shape. Attachments and the raw original are files in the content store under the data
-- directory, named by their SHA-256; the rows here only point at them, so a stored document can
-- never be overwritten by a later one.

-- The recipients that intake accepts items for (regional offices: Santa Claus, Christkind, ...).
CREATE TABLE inbound_recipient (
  id               text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
  name             text        NOT NULL,
  -- lower-case e-mail addresses the SMTP server accepts mail for on behalf of this recipient
  email_addresses  text[]      NOT NULL DEFAULT '{}',
  -- candidate group of the office that works this recipient's cases
  office_group     text        NOT NULL,
  -- JSON Schema of the public web intake form; null: the standard form
  web_form_schema  jsonb,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX inbound_recipient_email ON inbound_recipient USING gin (email_addresses);

CREATE TABLE inbound_item (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- the reference a sender quotes (e.g. "IN-7K3Q-9XPA"); unique, human-readable
  reference             text        NOT NULL UNIQUE,
  channel               text        NOT NULL CHECK (channel IN ('email', 'web', 'post', 'fax')),
  recipient_id          text        NOT NULL REFERENCES inbound_recipient (id),
  sender_name           text,
  sender_email          text,
  sender_address        text,
  received_at           timestamptz NOT NULL,
  subject               text,
  body_text             text        NOT NULL DEFAULT '',
  language              text,
  -- the original as it arrived (an RFC 5322 message, the JSON of a form submission, a scan)
  raw_sha256            text        NOT NULL CHECK (raw_sha256 ~ '^[0-9a-f]{64}$'),
  raw_content_type      text        NOT NULL,
  raw_size              bigint      NOT NULL,
  -- what identifies the same delivery twice (Message-ID, a client's submission id), per channel
  channel_message_id    text,
  -- delivery into a process: pending until a process instance was started or a message published
  dispatch_state        text        NOT NULL DEFAULT 'pending'
                        CHECK (dispatch_state IN ('pending', 'started', 'correlated')),
  dispatch_attempts     integer     NOT NULL DEFAULT 0,
  dispatch_error        text,
  process_instance_key  bigint,
  dispatched_at         timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX inbound_item_channel_message
  ON inbound_item (channel, recipient_id, channel_message_id) WHERE channel_message_id IS NOT NULL;
CREATE INDEX inbound_item_pending ON inbound_item (created_at) WHERE dispatch_state = 'pending';
CREATE INDEX inbound_item_recipient ON inbound_item (recipient_id, received_at DESC);

CREATE TABLE inbound_attachment (
  item_id       uuid    NOT NULL REFERENCES inbound_item (id) ON DELETE RESTRICT,
  position      integer NOT NULL,
  filename      text    NOT NULL,
  content_type  text    NOT NULL,
  size          bigint  NOT NULL,
  sha256        text    NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (item_id, position)
);

CREATE INDEX inbound_attachment_sha256 ON inbound_attachment (sha256);
