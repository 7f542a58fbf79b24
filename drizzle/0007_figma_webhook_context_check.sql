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
	CONSTRAINT "discubot_configs_source_type_check" CHECK("__new_discubot_configs"."source_type" IN ('slack', 'figma')),
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
CREATE UNIQUE INDEX `discubot_configs_env_unique` ON `discubot_configs` (`source_type`) WHERE "discubot_configs"."from_env" = 1;