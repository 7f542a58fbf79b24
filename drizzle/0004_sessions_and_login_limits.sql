CREATE TABLE `discubot_login_attempts` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`tries` integer NOT NULL,
	`counting_since` integer NOT NULL,
	`last_try_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `key`),
	CONSTRAINT "discubot_login_attempts_scope_check" CHECK("discubot_login_attempts"."scope" IN ('account', 'address'))
);
--> statement-breakpoint
CREATE INDEX `discubot_login_attempts_last_try_idx` ON `discubot_login_attempts` (`last_try_at`);--> statement-breakpoint
ALTER TABLE `discubot_users` ADD `session_version` integer DEFAULT 0 NOT NULL;