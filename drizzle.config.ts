import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'turso',
  schema: './layers/discubot/server/database/schema.ts',
  out: './drizzle',
  dbCredentials: {
    url: process.env.NUXT_DATABASE_URL || 'file:.data/discubot.db',
    authToken: process.env.NUXT_DATABASE_AUTH_TOKEN || undefined,
  },
})
