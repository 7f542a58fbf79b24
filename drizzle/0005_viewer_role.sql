PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_discubot_team_members` (
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
	CONSTRAINT "discubot_team_members_role_check" CHECK("__new_discubot_team_members"."role" IN ('owner', 'member', 'viewer'))
);
--> statement-breakpoint
INSERT INTO `__new_discubot_team_members`("team_id", "user_id", "role", "created_by", "updated_by", "created_at", "updated_at") SELECT "team_id", "user_id", "role", "created_by", "updated_by", "created_at", "updated_at" FROM `discubot_team_members`;--> statement-breakpoint
DROP TABLE `discubot_team_members`;--> statement-breakpoint
ALTER TABLE `__new_discubot_team_members` RENAME TO `discubot_team_members`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `discubot_team_members_user_idx` ON `discubot_team_members` (`user_id`);