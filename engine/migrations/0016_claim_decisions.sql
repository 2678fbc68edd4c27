-- What the escalation decided on a claim, and what it did: a claim stays open until it is
-- rejected (an earlier claim stands) or merged into the earlier claim it duplicates. A merged
-- claim points at the claim that took over its wishes; the similarity check and the case file
-- follow that pointer instead of showing the merged claim as a claim of its own.
ALTER TABLE claim
  ADD COLUMN status      text NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open', 'rejected', 'merged')),
  ADD COLUMN merged_into uuid REFERENCES claim (id),
  ADD CONSTRAINT claim_merged_into_set CHECK ((status = 'merged') = (merged_into IS NOT NULL));

CREATE INDEX claim_merged_into ON claim (merged_into) WHERE merged_into IS NOT NULL;

-- One decision per claim: a retried job finds it and changes nothing.
CREATE TABLE claim_decision (
  claim_id              uuid        PRIMARY KEY REFERENCES claim (id),
  decision              text        NOT NULL CHECK (decision IN ('reject', 'merge', 'allow')),
  -- the user who completed the decision task in Kontor's tasklist; null when completed elsewhere
  decided_by            text,
  decided_at            timestamptz NOT NULL DEFAULT now(),
  process_instance_key  bigint      NOT NULL,
  note                  text
);

-- One merge per merged claim: which of its wishes the surviving claim did not have yet.
CREATE TABLE claim_merge (
  merged_claim_id       uuid        PRIMARY KEY REFERENCES claim (id),
  surviving_claim_id    uuid        NOT NULL REFERENCES claim (id),
  items_added           text[]      NOT NULL,
  merged_by             text,
  merged_at             timestamptz NOT NULL DEFAULT now(),
  process_instance_key  bigint      NOT NULL,
  CHECK (merged_claim_id <> surviving_claim_id)
);

CREATE INDEX claim_merge_surviving ON claim_merge (surviving_claim_id, merged_at);

-- Documents sent out for an inbound item (answer letters, faxed answers). The bytes are in the
-- content store under sha256, like inbound documents; one document per job element instance, so
-- that a retried job finds the document it made and never prints or faxes it twice.
CREATE TABLE outbound_document (
  id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  inbound_item_id       uuid        NOT NULL REFERENCES inbound_item (id),
  element_instance_key  bigint      NOT NULL,
  kind                  text        NOT NULL CHECK (kind IN ('letter', 'fax')),
  filename              text        NOT NULL,
  content_type          text        NOT NULL,
  size                  bigint      NOT NULL,
  sha256                text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- the postal address (lines separated by newlines) or the fax number
  destination           text        NOT NULL,
  -- rendered: stored, not yet handed on; handed-over: in the letter outbox or at the fax gateway
  state                 text        NOT NULL DEFAULT 'rendered'
                        CHECK (state IN ('rendered', 'handed-over')),
  -- the outbox file or the gateway address it was handed to
  handed_to             text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  handed_over_at        timestamptz,
  UNIQUE (inbound_item_id, element_instance_key)
);
