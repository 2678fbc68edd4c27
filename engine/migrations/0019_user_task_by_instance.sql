-- Case files list the user tasks of a claim's process instance.
CREATE INDEX user_task_by_instance ON user_task (process_instance_key, job_key);
