CREATE TABLE `discubot_oauth_states` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `discubot_users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "discubot_oauth_states_provider_check" CHECK("discubot_oauth_states"."provider" IN ('slack'))
);
--> statement-breakpoint
CREATE INDEX `discubot_oauth_states_expires_idx` ON `discubot_oauth_states` (`expires_at`);--> statement-breakpoint
ALTER TABLE `discubot_configs` ADD `slack_workspace_name` text;--> statement-breakpoint
ALTER TABLE `discubot_configs` ADD `slack_app_id` text;--> statement-breakpoint
ALTER TABLE `discubot_configs` ADD `figma_webhook_context` text;--> statement-breakpoint
ALTER TABLE `discubot_configs` ADD `figma_webhook_context_id` text;--> statement-breakpoint
ALTER TABLE `discubot_configs` ADD `deactivated_reason` text;