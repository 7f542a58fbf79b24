CREATE TABLE `discubot_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`kind` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`payload` text NOT NULL,
	`job_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`run_at` integer NOT NULL,
	`locked_by` text,
	`locked_until` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`last_error` text,
	`result` text,
	`delivered_at` integer,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `discubot_jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "discubot_outbox_kind_check" CHECK("discubot_outbox"."kind" IN ('reactions', 'failure_note', 'alert', 'alert_delivery')),
	CONSTRAINT "discubot_outbox_status_check" CHECK("discubot_outbox"."status" IN ('pending', 'delivered', 'failed', 'skipped')),
	CONSTRAINT "discubot_outbox_payload_json" CHECK("discubot_outbox"."payload" IS NULL OR json_valid("discubot_outbox"."payload")),
	CONSTRAINT "discubot_outbox_result_json" CHECK("discubot_outbox"."result" IS NULL OR json_valid("discubot_outbox"."result"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_outbox_dedupe_key_unique` ON `discubot_outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `discubot_outbox_due_idx` ON `discubot_outbox` (`status`,`run_at`);--> statement-breakpoint
CREATE INDEX `discubot_outbox_team_kind_created_idx` ON `discubot_outbox` (`team_id`,`kind`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_outbox_job_idx` ON `discubot_outbox` (`job_id`);--> statement-breakpoint
CREATE INDEX `discubot_outbox_status_updated_idx` ON `discubot_outbox` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `discubot_team_alerts` (
	`team_id` text PRIMARY KEY NOT NULL,
	`slack_channel_id` text,
	`webhook_url` text,
	`webhook_secret_ciphertext` text,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `discubot_configs` ADD `failure_notes` integer DEFAULT true NOT NULL;