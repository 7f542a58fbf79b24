import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { runtimeConfigDefaults } from './layers/discubot/server/utils/settings'

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
  // Every setting with its default, from the one schema (layers/discubot/server/utils/settings.ts):
  // each is overridable by its NUXT_* env name.
  runtimeConfig: runtimeConfigDefaults(),
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
