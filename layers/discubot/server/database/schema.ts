// Every table of the layer, for drizzle-kit and for `useDb()`'s typed schema.
export * from '../../collections/teams/server/database/schema'
export * from '../../collections/configs/server/database/schema'
export * from '../../collections/discussions/server/database/schema'
export * from '../../collections/jobs/server/database/schema'
export * from '../../collections/tasks/server/database/schema'
export * from '../../collections/webhook-events/server/database/schema'
export * from '../../collections/timers/server/database/schema'
export * from '../../collections/login-attempts/server/database/schema'
