-- The next migration recreates discubot_jobs (drizzle-kit's copy, drop, rename for a new CHECK).
-- SQLite refuses to rename a table into place while a trigger names a table that is missing at
-- that moment, and the lease-fence trigger (0001) names discubot_jobs. So the trigger steps aside
-- for the recreation and 0011 puts it back, unchanged; all pending migrations apply in one
-- transaction, so no worker ever writes without the fence.
DROP TRIGGER IF EXISTS `discubot_lease_fence_check`;
