-- Token buckets of rate limits shared by every Kontor process on one database (the public web
-- intake per client address): `tokens` left as of `at`, refilled continuously by the limiter's
-- rate; `granted` says whether the last request took a token.
CREATE TABLE rate_limit_bucket (
  key      text             PRIMARY KEY,
  tokens   double precision NOT NULL,
  at       timestamptz      NOT NULL,
  granted  boolean          NOT NULL
);

CREATE INDEX rate_limit_bucket_at ON rate_limit_bucket (at);
