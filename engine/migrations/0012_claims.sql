-- Claims: the structured content of an inbound item (who claims what), and the keys that the
-- similarity check compares. The *_key columns hold normal forms computed by the application
-- (umlauts folded, name tokens sorted, street suffixes unified); pg_trgm compares them fuzzily.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE claim (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference        text        NOT NULL UNIQUE,
  inbound_item_id  uuid        REFERENCES inbound_item (id),
  recipient_id     text        NOT NULL,
  channel          text        NOT NULL,
  claimant_name    text        NOT NULL,
  birth_date       date,
  street           text,
  postal_code      text,
  city             text,
  items            text[]      NOT NULL,
  name_key         text        NOT NULL,
  address_key      text,
  postal_key       text,
  item_keys        text[]      NOT NULL,
  submitted_at     timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Candidates of a check come from the claimant's postal code, birth date, or (with neither) a
-- trigram search on the name.
CREATE INDEX claim_postal_key ON claim (postal_key);
CREATE INDEX claim_birth_date ON claim (birth_date);
CREATE INDEX claim_name_trgm ON claim USING gin (name_key gin_trgm_ops);
CREATE INDEX claim_inbound_item ON claim (inbound_item_id);
