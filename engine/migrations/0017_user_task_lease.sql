-- The tasklist checks its open tasks' jobs in the engine, the longest unchecked first.
CREATE INDEX user_task_open_by_deadline ON user_task (job_deadline NULLS FIRST, job_key)
  WHERE state = 'open';
