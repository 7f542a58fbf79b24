-- The lease fence of 0001, back in place after 0010 recreated discubot_jobs (see 0009).
CREATE TRIGGER `discubot_lease_fence_check` INSTEAD OF INSERT ON `discubot_lease_fence`
BEGIN
  SELECT RAISE(ABORT, 'discubot: lease lost')
  WHERE NOT EXISTS (
    SELECT 1 FROM `discubot_jobs`
    WHERE `id` = NEW.`job_id` AND `lease_token` = NEW.`lease_token` AND `status` = 'processing'
  );
END;
