-- Lease fencing in the database: every batch a worker commits starts with
--   INSERT INTO discubot_lease_fence (job_id, lease_token) VALUES (?, ?)
-- which aborts the whole batch unless the job is still processing under that lease token.
-- A worker that lost its lease (paused, partitioned) can therefore never overwrite the new owner.
CREATE VIEW `discubot_lease_fence` AS SELECT NULL AS `job_id`, NULL AS `lease_token` WHERE 0;
--> statement-breakpoint
CREATE TRIGGER `discubot_lease_fence_check` INSTEAD OF INSERT ON `discubot_lease_fence`
BEGIN
  SELECT RAISE(ABORT, 'discubot: lease lost')
  WHERE NOT EXISTS (
    SELECT 1 FROM `discubot_jobs`
    WHERE `id` = NEW.`job_id` AND `lease_token` = NEW.`lease_token` AND `status` = 'processing'
  );
END;
