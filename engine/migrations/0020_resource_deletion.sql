-- Resource deletion (Zeebe's DeleteResource): a deleted process definition or decision
-- requirements graph is no longer deployable, but its row stays for history and audit (the
-- records that mention it keep their meaning, and its version number is never given again).
-- The engine loads only rows without `deleted_at` as deployable.

ALTER TABLE engine_process_definition ADD COLUMN deleted_at timestamptz;
ALTER TABLE engine_decision_requirements ADD COLUMN deleted_at timestamptz;
