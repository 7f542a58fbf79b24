PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_discubot_webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text,
	`source` text NOT NULL,
	`event_id` text NOT NULL,
	`status` text NOT NULL,
	`detail` text,
	`job_id` text,
	`redeliveries` integer DEFAULT 0 NOT NULL,
	`received_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `discubot_jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "discubot_webhook_events_source_check" CHECK("__new_discubot_webhook_events"."source" IN ('slack', 'figma')),
	CONSTRAINT "discubot_webhook_events_status_check" CHECK("__new_discubot_webhook_events"."status" IN ('accepted', 'duplicate', 'ignored', 'unknown_workspace', 'rejected'))
);
--> statement-breakpoint
INSERT INTO `__new_discubot_webhook_events`("id", "team_id", "source", "event_id", "status", "detail", "job_id", "redeliveries", "received_at", "created_by", "updated_by", "created_at", "updated_at") SELECT "id", "team_id", "source", "event_id", "status", "detail", "job_id", "redeliveries", "received_at", "created_by", "updated_by", "created_at", "updated_at" FROM `discubot_webhook_events`;--> statement-breakpoint
DROP TABLE `discubot_webhook_events`;--> statement-breakpoint
ALTER TABLE `__new_discubot_webhook_events` RENAME TO `discubot_webhook_events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_webhook_events_source_event_unique` ON `discubot_webhook_events` (`source`,`event_id`);--> statement-breakpoint
CREATE INDEX `discubot_webhook_events_job_idx` ON `discubot_webhook_events` (`job_id`);--> statement-breakpoint
CREATE INDEX `discubot_webhook_events_team_received_idx` ON `discubot_webhook_events` (`team_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `discubot_webhook_events_team_status_received_idx` ON `discubot_webhook_events` (`team_id`,`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `discubot_webhook_events_received_idx` ON `discubot_webhook_events` (`received_at`);--> statement-breakpoint
ALTER TABLE `discubot_job_stages` ADD `progress` real;--> statement-breakpoint
ALTER TABLE `discubot_job_stages` ADD `messages` text;--> statement-breakpoint
ALTER TABLE `discubot_jobs` ADD `discarded_at` integer;--> statement-breakpoint
ALTER TABLE `discubot_jobs` ADD `discarded_by` text;--> statement-breakpoint
ALTER TABLE `discubot_jobs` ADD `cancel_requested_at` integer;--> statement-breakpoint
ALTER TABLE `discubot_jobs` ADD `cancel_requested_by` text;--> statement-breakpoint
ALTER TABLE `discubot_timers` ADD `cron` text;--> statement-breakpoint
ALTER TABLE `discubot_timers` ADD `timezone` text;