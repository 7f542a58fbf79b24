CREATE TABLE `discubot_password_resets` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `discubot_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_password_resets_token_unique` ON `discubot_password_resets` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_password_resets_user_unique` ON `discubot_password_resets` (`user_id`);--> statement-breakpoint
CREATE TABLE `discubot_team_invites` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "discubot_team_invites_role_check" CHECK("discubot_team_invites"."role" IN ('owner', 'member', 'viewer'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_team_invites_token_unique` ON `discubot_team_invites` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_team_invites_team_email_unique` ON `discubot_team_invites` (`team_id`,`email`);--> statement-breakpoint
CREATE TABLE `discubot_notion_users` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`integration_key` text NOT NULL,
	`notion_user_id` text NOT NULL,
	`name` text,
	`email` text,
	`avatar_url` text,
	`fetched_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_notion_users_identity_unique` ON `discubot_notion_users` (`team_id`,`integration_key`,`notion_user_id`);--> statement-breakpoint
CREATE INDEX `discubot_notion_users_team_email_idx` ON `discubot_notion_users` (`team_id`,`email`);--> statement-breakpoint
CREATE INDEX `discubot_notion_users_team_name_idx` ON `discubot_notion_users` (`team_id`,`name`);--> statement-breakpoint
CREATE TABLE `discubot_source_users` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`source` text NOT NULL,
	`workspace_id` text DEFAULT '' NOT NULL,
	`source_user_id` text NOT NULL,
	`display_name` text,
	`real_name` text,
	`email` text,
	`avatar_url` text,
	`is_bot` integer DEFAULT false NOT NULL,
	`fetched_at` integer,
	`notion_user_id` text,
	`notion_match` text,
	`suggested_notion_user_id` text,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `discubot_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "discubot_source_users_source_check" CHECK("discubot_source_users"."source" IN ('slack', 'figma')),
	CONSTRAINT "discubot_source_users_notion_match_check" CHECK("discubot_source_users"."notion_match" IS NULL OR "discubot_source_users"."notion_match" IN ('email', 'manual', 'import', 'cleared'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discubot_source_users_identity_unique` ON `discubot_source_users` (`team_id`,`source`,`workspace_id`,`source_user_id`);--> statement-breakpoint
CREATE INDEX `discubot_source_users_team_name_idx` ON `discubot_source_users` (`team_id`,`real_name`);--> statement-breakpoint
CREATE INDEX `discubot_source_users_team_email_idx` ON `discubot_source_users` (`team_id`,`email`);