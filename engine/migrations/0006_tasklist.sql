-- The tasklist's user tasks: jobs of type io.camunda.zeebe:userTask that Kontor's tasklist took
-- through the Zeebe client and keeps until a caseworker completes them. The job key is the
-- identity, so taking the same job again (after its timeout ran out) updates the row.
-- (Candidate groups of a user live in kontor_user.candidate_groups since 0002.)
CREATE TABLE user_task (
  job_key                bigint PRIMARY KEY,
  process_instance_key   bigint      NOT NULL,
  process_definition_key bigint      NOT NULL,
  bpmn_process_id        text        NOT NULL,
  process_version        integer     NOT NULL,
  element_id             text        NOT NULL,
  element_instance_key   bigint      NOT NULL,
  tenant_id              text        NOT NULL DEFAULT '<default>',
  name                   text        NOT NULL,
  form_key               text,
  assignee               text,
  candidate_groups       text[]      NOT NULL DEFAULT '{}',
  candidate_users        text[]      NOT NULL DEFAULT '{}',
  due_at                 timestamptz,
  follow_up_at           timestamptz,
  state                  text        NOT NULL DEFAULT 'open'
                         CHECK (state IN ('open', 'completed', 'canceled')),
  created_at             timestamptz NOT NULL DEFAULT now(),
  -- when the job lease taken by the tasklist runs out; the tasklist renews it on claim
  job_deadline           timestamptz,
  completed_at           timestamptz,
  completed_by           text,
  variables              jsonb       NOT NULL DEFAULT '{}',
  completion_variables   jsonb
);

CREATE INDEX user_task_open_by_created ON user_task (created_at, job_key) WHERE state = 'open';
CREATE INDEX user_task_open_by_due ON user_task (due_at, job_key) WHERE state = 'open';
CREATE INDEX user_task_open_by_assignee ON user_task (assignee) WHERE state = 'open';
CREATE INDEX user_task_by_process ON user_task (bpmn_process_id, state);
CREATE INDEX user_task_completed ON user_task (completed_at DESC) WHERE state = 'completed';
CREATE INDEX user_task_candidate_groups ON user_task USING gin (candidate_groups);
CREATE INDEX user_task_candidate_users ON user_task USING gin (candidate_users);
CREATE INDEX user_task_variables ON user_task USING gin (variables jsonb_path_ops);
