PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_discubot_configs` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`source_type` text NOT NULL,
	`name` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`slack_workspace_id` text,
	`slack_workspace_name` text,
	`slack_app_id` text,
	`slack_channel_ids` text,
	`bot_user_id` text,
	`figma_webhook_id` text,
	`figma_webhook_context` text,
	`figma_webhook_context_id` text,
	`figma_file_keys` text,
	`trigger_keyword` text DEFAULT '@discubot' NOT NULL,
	`secrets_ciphertext` text,
	`notion_database_id` text,
	`notion_data_source_id` text,
	`notion_property_map` text,
	`ai_provider` text,
	`ai_model` text,
	`ai_base_url` text,
	`validation_state` text DEFAULT 'unknown' NOT NULL,
	`validation_message` text,
	`validated_at` integer,
	`deactivated_reason` text,
	`from_env` integer DEFAULT false NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "discubot_configs_source_type_check" CHECK("__new_discubot_configs"."source_type" IN ('slack', 'figma', 'manual')),
	CONSTRAINT "discubot_configs_ai_provider_check" CHECK("__new_discubot_configs"."ai_provider" IS NULL OR "__new_discubot_configs"."ai_provider" IN ('anthropic', 'openai', 'offline')),
	CONSTRAINT "discubot_configs_validation_state_check" CHECK("__new_discubot_configs"."validation_state" IN ('unknown', 'ok', 'warning', 'error')),
	CONSTRAINT "discubot_configs_figma_webhook_context_check" CHECK("__new_discubot_configs"."figma_webhook_context" IS NULL OR "__new_discubot_configs"."figma_webhook_context" IN ('team', 'project', 'file')),
	CONSTRAINT "discubot_configs_slack_channel_ids_json" CHECK("__new_discubot_configs"."slack_channel_ids" IS NULL OR json_valid("__new_discubot_configs"."slack_channel_ids")),
	CONSTRAINT "discubot_configs_figma_file_keys_json" CHECK("__new_discubot_configs"."figma_file_keys" IS NULL OR json_valid("__new_discubot_configs"."figma_file_keys")),
	CONSTRAINT "discubot_configs_notion_property_map_json" CHECK("__new_discubot_configs"."notion_property_map" IS NULL OR json_valid("__new_discubot_configs"."notion_property_map"))
);
--> statement-breakpoint
INSERT INTO `__new_discubot_configs`("id", "team_id", "source_type", "name", "active", "slack_workspace_id", "slack_workspace_name", "slack_app_id", "slack_channel_ids", "bot_user_id", "figma_webhook_id", "figma_webhook_context", "figma_webhook_context_id", "figma_file_keys", "trigger_keyword", "secrets_ciphertext", "notion_database_id", "notion_data_source_id", "notion_property_map", "ai_provider", "ai_model", "ai_base_url", "validation_state", "validation_message", "validated_at", "deactivated_reason", "from_env", "created_by", "updated_by", "created_at", "updated_at") SELECT "id", "team_id", "source_type", "name", "active", "slack_workspace_id", "slack_workspace_name", "slack_app_id", "slack_channel_ids", "bot_user_id", "figma_webhook_id", "figma_webhook_context", "figma_webhook_context_id", "figma_file_keys", "trigger_keyword", "secrets_ciphertext", "notion_database_id", "notion_data_source_id", "notion_property_map", "ai_provider", "ai_model", "ai_base_url", "validation_state", "validation_message", "validated_at", "deactivated_reason", "from_env", "created_by", "updated_by", "created_at", "updated_at" FROM `discubot_configs`;--> statement-breakpoint
DROP TABLE `discubot_configs`;--> statement-breakpoint
ALTER TABLE `__new_discubot_configs` RENAME TO `discubot_configs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `discubot_configs_team_source_idx` ON `discubot_configs` (`team_id`,`source_type`,`active`);--> statement-breakpoint
CREATE INDEX `discubot_configs_source_active_idx` ON `discubot_configs` (`source_type`,`active`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_configs_slack_workspace_idx` ON `discubot_configs` (`slack_workspace_id`) WHERE "discubot_configs"."slack_workspace_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_configs_env_unique` ON `discubot_configs` (`source_type`) WHERE "discubot_configs"."from_env" = 1;--> statement-breakpoint
CREATE TABLE `__new_discubot_discussions` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`source_type` text NOT NULL,
	`source_thread_id` text NOT NULL,
	`source_url` text,
	`title` text NOT NULL,
	`content` text NOT NULL,
	`author_handle` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`source_config_id` text,
	`sync_job_id` text,
	`thread_ref` text NOT NULL,
	`thread_data` text,
	`ai_summary` text,
	`ai_action_items` text,
	`ai_tasks` text,
	`notion_task_ids` text,
	`error` text,
	`completed_at` integer,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_config_id`) REFERENCES `discubot_configs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`sync_job_id`) REFERENCES `discubot_jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "discubot_discussions_source_type_check" CHECK("__new_discubot_discussions"."source_type" IN ('slack', 'figma', 'manual')),
	CONSTRAINT "discubot_discussions_status_check" CHECK("__new_discubot_discussions"."status" IN ('pending', 'processing', 'completed', 'failed')),
	CONSTRAINT "discubot_discussions_thread_ref_json" CHECK("__new_discubot_discussions"."thread_ref" IS NULL OR json_valid("__new_discubot_discussions"."thread_ref")),
	CONSTRAINT "discubot_discussions_thread_data_json" CHECK("__new_discubot_discussions"."thread_data" IS NULL OR json_valid("__new_discubot_discussions"."thread_data")),
	CONSTRAINT "discubot_discussions_ai_action_items_json" CHECK("__new_discubot_discussions"."ai_action_items" IS NULL OR json_valid("__new_discubot_discussions"."ai_action_items")),
	CONSTRAINT "discubot_discussions_ai_tasks_json" CHECK("__new_discubot_discussions"."ai_tasks" IS NULL OR json_valid("__new_discubot_discussions"."ai_tasks")),
	CONSTRAINT "discubot_discussions_notion_task_ids_json" CHECK("__new_discubot_discussions"."notion_task_ids" IS NULL OR json_valid("__new_discubot_discussions"."notion_task_ids"))
);
--> statement-breakpoint
INSERT INTO `__new_discubot_discussions`("id", "team_id", "source_type", "source_thread_id", "source_url", "title", "content", "author_handle", "status", "source_config_id", "sync_job_id", "thread_ref", "thread_data", "ai_summary", "ai_action_items", "ai_tasks", "notion_task_ids", "error", "completed_at", "created_by", "updated_by", "created_at", "updated_at") SELECT "id", "team_id", "source_type", "source_thread_id", "source_url", "title", "content", "author_handle", "status", "source_config_id", "sync_job_id", "thread_ref", "thread_data", "ai_summary", "ai_action_items", "ai_tasks", "notion_task_ids", "error", "completed_at", "created_by", "updated_by", "created_at", "updated_at" FROM `discubot_discussions`;--> statement-breakpoint
DROP TABLE `discubot_discussions`;--> statement-breakpoint
ALTER TABLE `__new_discubot_discussions` RENAME TO `discubot_discussions`;--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_discussions_thread_unique` ON `discubot_discussions` (`team_id`,`source_type`,`source_thread_id`);--> statement-breakpoint
CREATE INDEX `discubot_discussions_team_created_idx` ON `discubot_discussions` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_discussions_team_status_created_idx` ON `discubot_discussions` (`team_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_discussions_sync_job_idx` ON `discubot_discussions` (`sync_job_id`);--> statement-breakpoint
CREATE INDEX `discubot_discussions_config_idx` ON `discubot_discussions` (`source_config_id`);--> statement-breakpoint
CREATE TABLE `__new_discubot_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`source_type` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`stage` text DEFAULT 'ingestion' NOT NULL,
	`discussion_id` text,
	`source_config_id` text,
	`thread_key` text NOT NULL,
	`payload` text NOT NULL,
	`run_at` integer NOT NULL,
	`locked_by` text,
	`locked_until` integer,
	`lease_token` text,
	`retry_of_job_id` text,
	`error` text,
	`error_stack` text,
	`metadata` text NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`discarded_at` integer,
	`discarded_by` text,
	`cancel_requested_at` integer,
	`cancel_requested_by` text,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`discussion_id`) REFERENCES `discubot_discussions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`source_config_id`) REFERENCES `discubot_configs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`retry_of_job_id`) REFERENCES `discubot_jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "discubot_jobs_source_type_check" CHECK("__new_discubot_jobs"."source_type" IN ('slack', 'figma', 'manual')),
	CONSTRAINT "discubot_jobs_status_check" CHECK("__new_discubot_jobs"."status" IN ('pending', 'processing', 'completed', 'failed')),
	CONSTRAINT "discubot_jobs_stage_check" CHECK("__new_discubot_jobs"."stage" IN ('ingestion', 'config_loading', 'thread_building', 'ai_analysis', 'task_creation', 'notification')),
	CONSTRAINT "discubot_jobs_payload_json" CHECK("__new_discubot_jobs"."payload" IS NULL OR json_valid("__new_discubot_jobs"."payload")),
	CONSTRAINT "discubot_jobs_metadata_json" CHECK("__new_discubot_jobs"."metadata" IS NULL OR json_valid("__new_discubot_jobs"."metadata"))
);
--> statement-breakpoint
INSERT INTO `__new_discubot_jobs`("id", "team_id", "source_type", "status", "stage", "discussion_id", "source_config_id", "thread_key", "payload", "run_at", "locked_by", "locked_until", "lease_token", "retry_of_job_id", "error", "error_stack", "metadata", "started_at", "completed_at", "discarded_at", "discarded_by", "cancel_requested_at", "cancel_requested_by", "created_by", "updated_by", "created_at", "updated_at") SELECT "id", "team_id", "source_type", "status", "stage", "discussion_id", "source_config_id", "thread_key", "payload", "run_at", "locked_by", "locked_until", "lease_token", "retry_of_job_id", "error", "error_stack", "metadata", "started_at", "completed_at", "discarded_at", "discarded_by", "cancel_requested_at", "cancel_requested_by", "created_by", "updated_by", "created_at", "updated_at" FROM `discubot_jobs`;--> statement-breakpoint
DROP TABLE `discubot_jobs`;--> statement-breakpoint
ALTER TABLE `__new_discubot_jobs` RENAME TO `discubot_jobs`;--> statement-breakpoint
CREATE INDEX `discubot_jobs_claim_idx` ON `discubot_jobs` (`status`,`run_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_lease_idx` ON `discubot_jobs` (`status`,`locked_until`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_thread_idx` ON `discubot_jobs` (`thread_key`,`status`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_cleanup_idx` ON `discubot_jobs` (`status`,`completed_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_team_created_idx` ON `discubot_jobs` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_team_status_created_idx` ON `discubot_jobs` (`team_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_team_stage_created_idx` ON `discubot_jobs` (`team_id`,`stage`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_discussion_idx` ON `discubot_jobs` (`discussion_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_config_idx` ON `discubot_jobs` (`source_config_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_jobs_retry_of_unique` ON `discubot_jobs` (`retry_of_job_id`);