-- Deployed DMN: decision requirements graphs (one per DMN resource) and their decisions, each
-- versioned by id like process definitions. Written by the engine's writer in the batch that
-- deploys them.

CREATE TABLE engine_decision_requirements (
  decision_requirements_key bigint PRIMARY KEY,
  decision_requirements_id  text        NOT NULL,
  name                      text        NOT NULL,
  version                   integer     NOT NULL,
  tenant_id                 text        NOT NULL,
  resource_name             text        NOT NULL,
  resource                  text        NOT NULL,
  checksum                  text        NOT NULL,
  deployment_key            bigint      NOT NULL REFERENCES engine_deployment,
  deployed_at               timestamptz NOT NULL,
  UNIQUE (tenant_id, decision_requirements_id, version)
);

CREATE TABLE engine_decision (
  decision_key              bigint PRIMARY KEY,
  decision_id               text    NOT NULL,
  name                      text    NOT NULL,
  version                   integer NOT NULL,
  tenant_id                 text    NOT NULL,
  decision_requirements_key bigint  NOT NULL REFERENCES engine_decision_requirements,
  UNIQUE (tenant_id, decision_id, version)
);
