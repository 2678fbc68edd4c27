-- User-task forms that analysts build in the form editor: drafts being edited and deployed,
-- versioned forms referenced by form key. Schemas are `json`, not `jsonb`, because the order of
-- a form's properties is the order of its fields.

-- One working copy per form key. `revision` grows with every save, so that a save based on an
-- old revision is refused instead of silently overwriting someone else's work.
CREATE TABLE form_draft (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  form_key     text NOT NULL UNIQUE CHECK (form_key ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$'),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  json_schema  json NOT NULL,
  ui_schema    json NOT NULL,
  revision     integer NOT NULL DEFAULT 1,
  created_by   text NOT NULL,
  updated_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Deployed forms: version 1, 2, … per form key. A deployed version never changes; editing the
-- form and deploying again makes the next version.
CREATE TABLE form_version (
  form_key        text NOT NULL CHECK (form_key ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$'),
  version         integer NOT NULL CHECK (version >= 1),
  name            text NOT NULL,
  json_schema     json NOT NULL,
  ui_schema       json NOT NULL,
  checksum        text NOT NULL,
  draft_id        bigint,
  draft_revision  integer,
  deployed_at     timestamptz NOT NULL DEFAULT now(),
  deployed_by     text NOT NULL,
  PRIMARY KEY (form_key, version)
);

CREATE FUNCTION form_version_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'form % version % is deployed and cannot change; deploy a new version instead',
    OLD.form_key, OLD.version;
END
$$;

CREATE TRIGGER form_version_immutable
  BEFORE UPDATE OR DELETE ON form_version
  FOR EACH ROW EXECUTE FUNCTION form_version_is_immutable();
