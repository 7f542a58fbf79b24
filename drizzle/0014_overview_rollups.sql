CREATE TABLE `discubot_discussion_counts` (
	`team_id` text NOT NULL,
	`status` text NOT NULL,
	`discussions` integer NOT NULL,
	PRIMARY KEY(`team_id`, `status`)
);
--> statement-breakpoint
CREATE TABLE `discubot_job_daily_counts` (
	`team_id` text NOT NULL,
	`day` integer NOT NULL,
	`source_type` text NOT NULL,
	`status` text NOT NULL,
	`discarded` integer NOT NULL,
	`jobs` integer NOT NULL,
	PRIMARY KEY(`team_id`, `day`, `source_type`, `status`, `discarded`)
);
--> statement-breakpoint
CREATE TABLE `discubot_job_stage_hourly` (
	`team_id` text NOT NULL,
	`hour` integer NOT NULL,
	`stage` text NOT NULL,
	`runs` integer NOT NULL,
	`timed_runs` integer NOT NULL,
	`total_ms` integer NOT NULL,
	`max_ms` integer,
	`max_stale` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`team_id`, `hour`, `stage`)
);
--> statement-breakpoint
CREATE TABLE `discubot_task_counts` (
	`team_id` text PRIMARY KEY NOT NULL,
	`tasks` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `discubot_jobs` ADD `discussion_failed` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `discubot_jobs_retryable_idx` ON `discubot_jobs` (`team_id`,`discussion_id`,`status`,`discarded_at`,`discussion_failed`) WHERE "discubot_jobs"."status" = 'failed' AND "discubot_jobs"."discarded_at" IS NULL AND "discubot_jobs"."discussion_failed" = 1 AND "discubot_jobs"."discussion_id" IS NOT NULL;--> statement-breakpoint
-- The roll-ups the overview reads (and the discussion_failed flag "retry all matching" reads) are
-- kept by triggers, so every change to a job, stage, discussion or task row updates them in the
-- same transaction whatever code path makes it. Each trigger does a keyed upsert or update of one
-- small row; the stage triggers fire only for completed runs, the job triggers only when a counted
-- column really changes.
-- A later migration that recreates one of these tables (drizzle-kit's copy, drop, rename) drops its
-- triggers with it and must create them again; the discussions triggers name discubot_jobs, so
-- they must step aside while discubot_jobs is recreated, like the lease fence (0009–0011).
--
-- Jobs: one count per team, UTC day of creation, source, status and discarded-or-not.
CREATE TRIGGER `discubot_rollup_jobs_insert` AFTER INSERT ON `discubot_jobs`
BEGIN
  INSERT INTO `discubot_job_daily_counts` (`team_id`, `day`, `source_type`, `status`, `discarded`, `jobs`)
  VALUES (NEW.`team_id`, NEW.`created_at` / 86400000, NEW.`source_type`, NEW.`status`, NEW.`discarded_at` IS NOT NULL, 1)
  ON CONFLICT (`team_id`, `day`, `source_type`, `status`, `discarded`) DO UPDATE SET `jobs` = `jobs` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_rollup_jobs_update` AFTER UPDATE OF `team_id`, `created_at`, `source_type`, `status`, `discarded_at` ON `discubot_jobs`
WHEN OLD.`status` IS NOT NEW.`status` OR (OLD.`discarded_at` IS NULL) <> (NEW.`discarded_at` IS NULL)
  OR OLD.`team_id` IS NOT NEW.`team_id` OR OLD.`created_at` IS NOT NEW.`created_at` OR OLD.`source_type` IS NOT NEW.`source_type`
BEGIN
  UPDATE `discubot_job_daily_counts` SET `jobs` = `jobs` - 1
  WHERE `team_id` = OLD.`team_id` AND `day` = OLD.`created_at` / 86400000 AND `source_type` = OLD.`source_type`
    AND `status` = OLD.`status` AND `discarded` = (OLD.`discarded_at` IS NOT NULL);
  INSERT INTO `discubot_job_daily_counts` (`team_id`, `day`, `source_type`, `status`, `discarded`, `jobs`)
  VALUES (NEW.`team_id`, NEW.`created_at` / 86400000, NEW.`source_type`, NEW.`status`, NEW.`discarded_at` IS NOT NULL, 1)
  ON CONFLICT (`team_id`, `day`, `source_type`, `status`, `discarded`) DO UPDATE SET `jobs` = `jobs` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_rollup_jobs_delete` AFTER DELETE ON `discubot_jobs`
BEGIN
  UPDATE `discubot_job_daily_counts` SET `jobs` = `jobs` - 1
  WHERE `team_id` = OLD.`team_id` AND `day` = OLD.`created_at` / 86400000 AND `source_type` = OLD.`source_type`
    AND `status` = OLD.`status` AND `discarded` = (OLD.`discarded_at` IS NOT NULL);
END;
--> statement-breakpoint
-- A job that fails (or, failed, changes discussion) learns whether its discussion is failed.
CREATE TRIGGER `discubot_retryable_job_insert` AFTER INSERT ON `discubot_jobs`
WHEN NEW.`status` = 'failed' AND NEW.`discussion_id` IS NOT NULL
BEGIN
  UPDATE `discubot_jobs`
  SET `discussion_failed` = EXISTS (SELECT 1 FROM `discubot_discussions` WHERE `id` = NEW.`discussion_id` AND `status` = 'failed')
  WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_retryable_job_update` AFTER UPDATE OF `status`, `discussion_id` ON `discubot_jobs`
WHEN NEW.`status` = 'failed' AND (OLD.`status` IS NOT 'failed' OR OLD.`discussion_id` IS NOT NEW.`discussion_id`)
BEGIN
  UPDATE `discubot_jobs`
  SET `discussion_failed` = EXISTS (SELECT 1 FROM `discubot_discussions` WHERE `id` = NEW.`discussion_id` AND `status` = 'failed')
  WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
-- A discussion that turns failed, or stops being failed, tells its failed jobs.
CREATE TRIGGER `discubot_retryable_discussion_update` AFTER UPDATE OF `status` ON `discubot_discussions`
WHEN (OLD.`status` = 'failed') <> (NEW.`status` = 'failed')
BEGIN
  UPDATE `discubot_jobs` SET `discussion_failed` = (NEW.`status` = 'failed')
  WHERE `discussion_id` = NEW.`id` AND `status` = 'failed' AND `discussion_failed` <> (NEW.`status` = 'failed');
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_retryable_discussion_insert` AFTER INSERT ON `discubot_discussions`
WHEN NEW.`status` = 'failed'
BEGIN
  UPDATE `discubot_jobs` SET `discussion_failed` = 1
  WHERE `discussion_id` = NEW.`id` AND `status` = 'failed' AND `discussion_failed` = 0;
END;
--> statement-breakpoint
-- Stage runs: counted when completed with a completion time; the duration is
-- coalesce(duration_ms, completed_at - started_at), as the overview always measured it.
CREATE TRIGGER `discubot_rollup_stages_insert` AFTER INSERT ON `discubot_job_stages`
WHEN NEW.`status` = 'completed' AND NEW.`completed_at` IS NOT NULL
BEGIN
  INSERT INTO `discubot_job_stage_hourly` (`team_id`, `hour`, `stage`, `runs`, `timed_runs`, `total_ms`, `max_ms`, `max_stale`)
  SELECT NEW.`team_id`, NEW.`completed_at` / 3600000, NEW.`stage`, 1, coalesce(NEW.`duration_ms`, NEW.`completed_at` - NEW.`started_at`) IS NOT NULL, coalesce(NEW.`duration_ms`, NEW.`completed_at` - NEW.`started_at`, 0), coalesce(NEW.`duration_ms`, NEW.`completed_at` - NEW.`started_at`), 0
  WHERE 1
  ON CONFLICT (`team_id`, `hour`, `stage`) DO UPDATE SET
    `runs` = `runs` + 1,
    `timed_runs` = `timed_runs` + excluded.`timed_runs`,
    `total_ms` = `total_ms` + excluded.`total_ms`,
    `max_ms` = CASE WHEN excluded.`max_ms` IS NULL THEN `max_ms` WHEN `max_ms` IS NULL OR excluded.`max_ms` > `max_ms` THEN excluded.`max_ms` ELSE `max_ms` END;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_rollup_stages_update` AFTER UPDATE OF `team_id`, `stage`, `status`, `started_at`, `completed_at`, `duration_ms` ON `discubot_job_stages`
WHEN ((OLD.`status` = 'completed' AND OLD.`completed_at` IS NOT NULL) OR (NEW.`status` = 'completed' AND NEW.`completed_at` IS NOT NULL))
  AND (OLD.`status` IS NOT NEW.`status` OR OLD.`completed_at` IS NOT NEW.`completed_at` OR OLD.`started_at` IS NOT NEW.`started_at`
    OR OLD.`duration_ms` IS NOT NEW.`duration_ms` OR OLD.`team_id` IS NOT NEW.`team_id` OR OLD.`stage` IS NOT NEW.`stage`)
BEGIN
  UPDATE `discubot_job_stage_hourly` SET
    `runs` = `runs` - 1,
    `timed_runs` = `timed_runs` - (coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`) IS NOT NULL),
    `total_ms` = `total_ms` - coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`, 0),
    `max_ms` = CASE WHEN `timed_runs` - (coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`) IS NOT NULL) = 0 THEN NULL ELSE `max_ms` END,
    `max_stale` = CASE WHEN `timed_runs` - (coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`) IS NOT NULL) = 0 THEN 0 WHEN coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`) >= `max_ms` THEN 1 ELSE `max_stale` END
  WHERE OLD.`status` = 'completed' AND OLD.`completed_at` IS NOT NULL
    AND `team_id` = OLD.`team_id` AND `hour` = OLD.`completed_at` / 3600000 AND `stage` = OLD.`stage`;
  INSERT INTO `discubot_job_stage_hourly` (`team_id`, `hour`, `stage`, `runs`, `timed_runs`, `total_ms`, `max_ms`, `max_stale`)
  SELECT NEW.`team_id`, NEW.`completed_at` / 3600000, NEW.`stage`, 1, coalesce(NEW.`duration_ms`, NEW.`completed_at` - NEW.`started_at`) IS NOT NULL, coalesce(NEW.`duration_ms`, NEW.`completed_at` - NEW.`started_at`, 0), coalesce(NEW.`duration_ms`, NEW.`completed_at` - NEW.`started_at`), 0
  WHERE NEW.`status` = 'completed' AND NEW.`completed_at` IS NOT NULL
  ON CONFLICT (`team_id`, `hour`, `stage`) DO UPDATE SET
    `runs` = `runs` + 1,
    `timed_runs` = `timed_runs` + excluded.`timed_runs`,
    `total_ms` = `total_ms` + excluded.`total_ms`,
    `max_ms` = CASE WHEN excluded.`max_ms` IS NULL THEN `max_ms` WHEN `max_ms` IS NULL OR excluded.`max_ms` > `max_ms` THEN excluded.`max_ms` ELSE `max_ms` END;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_rollup_stages_delete` AFTER DELETE ON `discubot_job_stages`
WHEN OLD.`status` = 'completed' AND OLD.`completed_at` IS NOT NULL
BEGIN
  UPDATE `discubot_job_stage_hourly` SET
    `runs` = `runs` - 1,
    `timed_runs` = `timed_runs` - (coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`) IS NOT NULL),
    `total_ms` = `total_ms` - coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`, 0),
    `max_ms` = CASE WHEN `timed_runs` - (coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`) IS NOT NULL) = 0 THEN NULL ELSE `max_ms` END,
    `max_stale` = CASE WHEN `timed_runs` - (coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`) IS NOT NULL) = 0 THEN 0 WHEN coalesce(OLD.`duration_ms`, OLD.`completed_at` - OLD.`started_at`) >= `max_ms` THEN 1 ELSE `max_stale` END
  WHERE `team_id` = OLD.`team_id` AND `hour` = OLD.`completed_at` / 3600000 AND `stage` = OLD.`stage`;
END;
--> statement-breakpoint
-- Discussions per team and status; tasks per team.
CREATE TRIGGER `discubot_rollup_discussions_insert` AFTER INSERT ON `discubot_discussions`
BEGIN
  INSERT INTO `discubot_discussion_counts` (`team_id`, `status`, `discussions`) VALUES (NEW.`team_id`, NEW.`status`, 1)
  ON CONFLICT (`team_id`, `status`) DO UPDATE SET `discussions` = `discussions` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_rollup_discussions_update` AFTER UPDATE OF `team_id`, `status` ON `discubot_discussions`
WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`team_id` IS NOT NEW.`team_id`
BEGIN
  UPDATE `discubot_discussion_counts` SET `discussions` = `discussions` - 1 WHERE `team_id` = OLD.`team_id` AND `status` = OLD.`status`;
  INSERT INTO `discubot_discussion_counts` (`team_id`, `status`, `discussions`) VALUES (NEW.`team_id`, NEW.`status`, 1)
  ON CONFLICT (`team_id`, `status`) DO UPDATE SET `discussions` = `discussions` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_rollup_discussions_delete` AFTER DELETE ON `discubot_discussions`
BEGIN
  UPDATE `discubot_discussion_counts` SET `discussions` = `discussions` - 1 WHERE `team_id` = OLD.`team_id` AND `status` = OLD.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_rollup_tasks_insert` AFTER INSERT ON `discubot_tasks`
BEGIN
  INSERT INTO `discubot_task_counts` (`team_id`, `tasks`) VALUES (NEW.`team_id`, 1)
  ON CONFLICT (`team_id`) DO UPDATE SET `tasks` = `tasks` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_rollup_tasks_update` AFTER UPDATE OF `team_id` ON `discubot_tasks`
WHEN OLD.`team_id` IS NOT NEW.`team_id`
BEGIN
  UPDATE `discubot_task_counts` SET `tasks` = `tasks` - 1 WHERE `team_id` = OLD.`team_id`;
  INSERT INTO `discubot_task_counts` (`team_id`, `tasks`) VALUES (NEW.`team_id`, 1)
  ON CONFLICT (`team_id`) DO UPDATE SET `tasks` = `tasks` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `discubot_rollup_tasks_delete` AFTER DELETE ON `discubot_tasks`
BEGIN
  UPDATE `discubot_task_counts` SET `tasks` = `tasks` - 1 WHERE `team_id` = OLD.`team_id`;
END;
--> statement-breakpoint
-- Backfill from the rows already there (one pass over each table, inside the migration's transaction).
INSERT INTO `discubot_job_daily_counts` (`team_id`, `day`, `source_type`, `status`, `discarded`, `jobs`)
SELECT `team_id`, `created_at` / 86400000, `source_type`, `status`, `discarded_at` IS NOT NULL, count(*)
FROM `discubot_jobs` GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO `discubot_job_stage_hourly` (`team_id`, `hour`, `stage`, `runs`, `timed_runs`, `total_ms`, `max_ms`, `max_stale`)
SELECT `team_id`, h, `stage`, count(*), count(d), coalesce(sum(d), 0), max(d), 0
FROM (
  SELECT `team_id`, `completed_at` / 3600000 AS h, `stage`, coalesce(`duration_ms`, `completed_at` - `started_at`) AS d
  FROM `discubot_job_stages` WHERE `status` = 'completed' AND `completed_at` IS NOT NULL
)
GROUP BY `team_id`, h, `stage`;
--> statement-breakpoint
INSERT INTO `discubot_discussion_counts` (`team_id`, `status`, `discussions`)
SELECT `team_id`, `status`, count(*) FROM `discubot_discussions` GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `discubot_task_counts` (`team_id`, `tasks`)
SELECT `team_id`, count(*) FROM `discubot_tasks` GROUP BY 1;
--> statement-breakpoint
UPDATE `discubot_jobs` SET `discussion_failed` = 1
WHERE `status` = 'failed' AND `discussion_id` IN (SELECT `id` FROM `discubot_discussions` WHERE `status` = 'failed');
