-- Local users of the web app and REST API, and their sign-in sessions.
CREATE TABLE kontor_user (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username         text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  display_name     text NOT NULL,
  password_hash    text NOT NULL,
  roles            text[] NOT NULL CHECK (roles <@ ARRAY['analyst', 'caseworker', 'auditor', 'admin']::text[] AND cardinality(roles) > 0),
  candidate_groups text[] NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- A session is known by the SHA-256 of its token; the token itself lives only in the cookie.
CREATE TABLE kontor_session (
  token_hash  bytea PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES kontor_user (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX kontor_session_expires_at ON kontor_session (expires_at);
