CREATE TABLE `discubot_team_members` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `user_id`),
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `discubot_users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "discubot_team_members_role_check" CHECK("discubot_team_members"."role" IN ('owner', 'member'))
);
--> statement-breakpoint
CREATE INDEX `discubot_team_members_user_idx` ON `discubot_team_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `discubot_teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_teams_slug_unique` ON `discubot_teams` (`slug`);--> statement-breakpoint
CREATE TABLE `discubot_users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text,
	`setup_token_hash` text,
	`last_login_at` integer,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_users_email_unique` ON `discubot_users` (`email`);--> statement-breakpoint
CREATE TABLE `discubot_configs` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`source_type` text NOT NULL,
	`name` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`slack_workspace_id` text,
	`slack_channel_ids` text,
	`bot_user_id` text,
	`figma_webhook_id` text,
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
	`from_env` integer DEFAULT false NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "discubot_configs_source_type_check" CHECK("discubot_configs"."source_type" IN ('slack', 'figma')),
	CONSTRAINT "discubot_configs_ai_provider_check" CHECK("discubot_configs"."ai_provider" IS NULL OR "discubot_configs"."ai_provider" IN ('anthropic', 'openai', 'offline')),
	CONSTRAINT "discubot_configs_validation_state_check" CHECK("discubot_configs"."validation_state" IN ('unknown', 'ok', 'warning', 'error')),
	CONSTRAINT "discubot_configs_slack_channel_ids_json" CHECK("discubot_configs"."slack_channel_ids" IS NULL OR json_valid("discubot_configs"."slack_channel_ids")),
	CONSTRAINT "discubot_configs_figma_file_keys_json" CHECK("discubot_configs"."figma_file_keys" IS NULL OR json_valid("discubot_configs"."figma_file_keys")),
	CONSTRAINT "discubot_configs_notion_property_map_json" CHECK("discubot_configs"."notion_property_map" IS NULL OR json_valid("discubot_configs"."notion_property_map"))
);
--> statement-breakpoint
CREATE INDEX `discubot_configs_team_source_idx` ON `discubot_configs` (`team_id`,`source_type`,`active`);--> statement-breakpoint
CREATE INDEX `discubot_configs_slack_workspace_idx` ON `discubot_configs` (`slack_workspace_id`) WHERE "discubot_configs"."slack_workspace_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_configs_env_unique` ON `discubot_configs` (`source_type`) WHERE "discubot_configs"."from_env" = 1;--> statement-breakpoint
CREATE TABLE `discubot_discussions` (
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
	CONSTRAINT "discubot_discussions_source_type_check" CHECK("discubot_discussions"."source_type" IN ('slack', 'figma')),
	CONSTRAINT "discubot_discussions_status_check" CHECK("discubot_discussions"."status" IN ('pending', 'processing', 'completed', 'failed')),
	CONSTRAINT "discubot_discussions_thread_ref_json" CHECK("discubot_discussions"."thread_ref" IS NULL OR json_valid("discubot_discussions"."thread_ref")),
	CONSTRAINT "discubot_discussions_thread_data_json" CHECK("discubot_discussions"."thread_data" IS NULL OR json_valid("discubot_discussions"."thread_data")),
	CONSTRAINT "discubot_discussions_ai_action_items_json" CHECK("discubot_discussions"."ai_action_items" IS NULL OR json_valid("discubot_discussions"."ai_action_items")),
	CONSTRAINT "discubot_discussions_ai_tasks_json" CHECK("discubot_discussions"."ai_tasks" IS NULL OR json_valid("discubot_discussions"."ai_tasks")),
	CONSTRAINT "discubot_discussions_notion_task_ids_json" CHECK("discubot_discussions"."notion_task_ids" IS NULL OR json_valid("discubot_discussions"."notion_task_ids"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_discussions_thread_unique` ON `discubot_discussions` (`team_id`,`source_type`,`source_thread_id`);--> statement-breakpoint
CREATE INDEX `discubot_discussions_team_created_idx` ON `discubot_discussions` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_discussions_team_status_created_idx` ON `discubot_discussions` (`team_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_discussions_sync_job_idx` ON `discubot_discussions` (`sync_job_id`);--> statement-breakpoint
CREATE INDEX `discubot_discussions_config_idx` ON `discubot_discussions` (`source_config_id`);--> statement-breakpoint
CREATE TABLE `discubot_job_stages` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` text NOT NULL,
	`team_id` text NOT NULL,
	`stage` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`output` text,
	`error` text,
	`attempt_log` text NOT NULL,
	`lease_token` text,
	`worker_id` text,
	`started_at` integer,
	`completed_at` integer,
	`duration_ms` integer,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `discubot_jobs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "discubot_job_stages_stage_check" CHECK("discubot_job_stages"."stage" IN ('ingestion', 'config_loading', 'thread_building', 'ai_analysis', 'task_creation', 'notification')),
	CONSTRAINT "discubot_job_stages_status_check" CHECK("discubot_job_stages"."status" IN ('pending', 'running', 'retrying', 'completed', 'failed')),
	CONSTRAINT "discubot_job_stages_output_json" CHECK("discubot_job_stages"."output" IS NULL OR json_valid("discubot_job_stages"."output")),
	CONSTRAINT "discubot_job_stages_attempt_log_json" CHECK("discubot_job_stages"."attempt_log" IS NULL OR json_valid("discubot_job_stages"."attempt_log"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_job_stages_job_stage_unique` ON `discubot_job_stages` (`job_id`,`stage`);--> statement-breakpoint
CREATE TABLE `discubot_jobs` (
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
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`discussion_id`) REFERENCES `discubot_discussions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`source_config_id`) REFERENCES `discubot_configs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`retry_of_job_id`) REFERENCES `discubot_jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "discubot_jobs_source_type_check" CHECK("discubot_jobs"."source_type" IN ('slack', 'figma')),
	CONSTRAINT "discubot_jobs_status_check" CHECK("discubot_jobs"."status" IN ('pending', 'processing', 'completed', 'failed')),
	CONSTRAINT "discubot_jobs_stage_check" CHECK("discubot_jobs"."stage" IN ('ingestion', 'config_loading', 'thread_building', 'ai_analysis', 'task_creation', 'notification')),
	CONSTRAINT "discubot_jobs_payload_json" CHECK("discubot_jobs"."payload" IS NULL OR json_valid("discubot_jobs"."payload")),
	CONSTRAINT "discubot_jobs_metadata_json" CHECK("discubot_jobs"."metadata" IS NULL OR json_valid("discubot_jobs"."metadata"))
);
--> statement-breakpoint
CREATE INDEX `discubot_jobs_claim_idx` ON `discubot_jobs` (`status`,`run_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_lease_idx` ON `discubot_jobs` (`status`,`locked_until`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_thread_idx` ON `discubot_jobs` (`thread_key`,`status`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_cleanup_idx` ON `discubot_jobs` (`status`,`completed_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_team_created_idx` ON `discubot_jobs` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_team_status_created_idx` ON `discubot_jobs` (`team_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_team_stage_created_idx` ON `discubot_jobs` (`team_id`,`stage`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_discussion_idx` ON `discubot_jobs` (`discussion_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_jobs_config_idx` ON `discubot_jobs` (`source_config_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_jobs_retry_of_unique` ON `discubot_jobs` (`retry_of_job_id`);--> statement-breakpoint
CREATE TABLE `discubot_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`discussion_id` text NOT NULL,
	`job_id` text,
	`idempotency_key` text NOT NULL,
	`notion_page_id` text,
	`notion_page_url` text,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`priority` text,
	`assignee` text,
	`due_date` text,
	`summary` text,
	`source_url` text,
	`is_multi_task_child` integer DEFAULT false NOT NULL,
	`task_index` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`discussion_id`) REFERENCES `discubot_discussions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `discubot_jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "discubot_tasks_status_check" CHECK("discubot_tasks"."status" IN ('pending', 'created', 'failed')),
	CONSTRAINT "discubot_tasks_priority_check" CHECK("discubot_tasks"."priority" IS NULL OR "discubot_tasks"."priority" IN ('low', 'medium', 'high', 'urgent'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_tasks_idempotency_unique` ON `discubot_tasks` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `discubot_tasks_team_created_idx` ON `discubot_tasks` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `discubot_tasks_discussion_idx` ON `discubot_tasks` (`discussion_id`,`task_index`);--> statement-breakpoint
CREATE INDEX `discubot_tasks_job_idx` ON `discubot_tasks` (`job_id`);--> statement-breakpoint
CREATE TABLE `discubot_webhook_events` (
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
	CONSTRAINT "discubot_webhook_events_source_check" CHECK("discubot_webhook_events"."source" IN ('slack', 'figma')),
	CONSTRAINT "discubot_webhook_events_status_check" CHECK("discubot_webhook_events"."status" IN ('accepted', 'unknown_workspace'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_webhook_events_source_event_unique` ON `discubot_webhook_events` (`source`,`event_id`);--> statement-breakpoint
CREATE INDEX `discubot_webhook_events_job_idx` ON `discubot_webhook_events` (`job_id`);--> statement-breakpoint
CREATE INDEX `discubot_webhook_events_team_received_idx` ON `discubot_webhook_events` (`team_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `discubot_timers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`team_id` text,
	`kind` text NOT NULL,
	`callback` text NOT NULL,
	`params` text NOT NULL,
	`interval_ms` integer,
	`status` text DEFAULT 'active' NOT NULL,
	`next_run_at` integer NOT NULL,
	`locked_by` text,
	`locked_until` integer,
	`last_run_at` integer,
	`last_result` text,
	`last_error` text,
	`run_count` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "discubot_timers_kind_check" CHECK("discubot_timers"."kind" IN ('once', 'recurring')),
	CONSTRAINT "discubot_timers_callback_check" CHECK("discubot_timers"."callback" IN ('cleanup')),
	CONSTRAINT "discubot_timers_status_check" CHECK("discubot_timers"."status" IN ('active', 'done')),
	CONSTRAINT "discubot_timers_params_json" CHECK("discubot_timers"."params" IS NULL OR json_valid("discubot_timers"."params")),
	CONSTRAINT "discubot_timers_last_result_json" CHECK("discubot_timers"."last_result" IS NULL OR json_valid("discubot_timers"."last_result"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_timers_name_unique` ON `discubot_timers` (`name`);--> statement-breakpoint
CREATE INDEX `discubot_timers_due_idx` ON `discubot_timers` (`status`,`next_run_at`);