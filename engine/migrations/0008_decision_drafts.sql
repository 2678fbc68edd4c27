-- Drafts of DMN decision models that analysts edit in the rule editor before deploying them.
-- Like process drafts, `revision` grows with every save, and a save based on an old revision is
-- refused instead of silently overwriting someone else's rules.
CREATE TABLE decision_draft (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  dmn_xml     text NOT NULL,
  revision    integer NOT NULL DEFAULT 1,
  created_by  text NOT NULL,
  updated_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
