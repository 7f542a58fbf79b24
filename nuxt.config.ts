import { cpSync } from 'node:fs'
import { join } from 'node:path'

// Nuxt 4.5 types `nitro` narrowly (no `experimental.tasks`, an untyped `hooks.compiled`), yet Nitro
// applies these options; the cast lives here, once.
const nitroConfig = {
  // drizzle/ is not part of the bundle: copy it beside the server so `node .output/server/index.mjs`
  // migrates from any working directory (db.ts looks upward for drizzle/).
  hooks: {
    compiled(nitro: { options: { output: { serverDir: string } } }) {
      cpSync('drizzle', join(nitro.options.output.serverDir, 'drizzle'), { recursive: true })
    },
  },
  output: { dir: process.env.DISCUBOT_OUTPUT_DIR || '.output' },
  experimental: { tasks: true },
  // Test-only stage holds are compiled in only for test builds, so no env var can enable them in production.
  replace: { 'import.meta.discubotTestHooks': JSON.stringify(process.env.DISCUBOT_BUILD_TEST_HOOKS === '1') },
} as NonNullable<Parameters<typeof defineNuxtConfig>[0]['nitro']>

// Discubot: the app shell. The domain (schema, queries, pipeline, sources, sinks) lives in the
// Nuxt layer layers/discubot, which Nuxt 4 registers automatically from layers/.

export default defineNuxtConfig({
  modules: ['@nuxt/ui', '@nuxt/eslint', 'nuxt-auth-utils'],
  devtools: { enabled: false },
  css: ['~/assets/css/main.css'],
  // Offline by design: no web fonts, icons bundled from @iconify-json/lucide.
  ui: { fonts: false },
  runtimeConfig: {
    databaseUrl: 'file:.data/discubot.db',
    databaseAuthToken: '',
    // How long a write waits for the SQLite file lock before the request answers 503.
    databaseBusyTimeoutMs: 5000,
    adminEmail: '',
    adminPassword: '',
    slackSigningSecret: '',
    slackBotToken: '',
    slackApiUrl: 'https://slack.com/api/',
    figmaToken: '',
    figmaWebhookPasscode: '',
    figmaApiUrl: 'https://api.figma.com',
    notionToken: '',
    notionDatabaseId: '',
    notionApiUrl: 'https://api.notion.com',
    anthropicApiKey: '',
    anthropicBaseUrl: 'https://api.anthropic.com',
    openaiApiKey: '',
    openaiBaseUrl: '',
    aiModel: '',
    workerConcurrency: 4,
    jobRetentionDays: 30,
    // Engine tuning (see layers/discubot/server/utils/settings.ts for what each bounds).
    leaseMs: 10_000,
    pollIntervalMs: 500,
    retryBaseMs: 1000,
    retryMaxMs: 300_000,
    stageMaxAttempts: 6,
    httpTimeoutMs: 30_000,
    cleanupIntervalMs: 86_400_000,
    instanceId: '',
    secretsKey: '',
    trustedProxies: '',
    sessionMaxAgeSeconds: 7 * 24 * 60 * 60,
    passwordCheckConcurrency: 4,
    public: {
      baseUrl: 'http://localhost:3000',
    },
  },
  // Built output directories are overridable so tests (and parallel test runs) build apart from .output.
  buildDir: process.env.DISCUBOT_NUXT_BUILD_DIR || '.nuxt',
  compatibilityDate: '2026-11-01',
  nitro: nitroConfig,
  eslint: { config: { stylistic: true } },
  icon: {
    serverBundle: { collections: ['lucide'] },
    clientBundle: { scan: true },
    fallbackToApi: false,
  },
})
