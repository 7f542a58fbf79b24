// Settings: one zod schema gives each a default; the server reads runtimeConfig, scripts and tests
// the same NUXT_* env names.
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { envNameOf, resolveSettings, runtimeConfigDefaults, settingsFromEnv, settingsSchema } from '#layers/discubot/server/utils/settings'
import { ROOT } from '../support/paths'

describe('settings defaults', () => {
  it('an empty environment gives the documented defaults', () => {
    const settings = settingsFromEnv({})
    expect(settings).toMatchObject({
      slackApiUrl: 'https://slack.com/api/',
      figmaApiUrl: 'https://api.figma.com',
      notionApiUrl: 'https://api.notion.com',
      anthropicBaseUrl: 'https://api.anthropic.com',
      notionToken: '',
      notionDatabaseId: '',
      anthropicApiKey: '',
      openaiApiKey: '',
      openaiBaseUrl: '',
      aiModel: '',
      publicBaseUrl: 'http://localhost:3000',
      workerConcurrency: 4,
      jobRetentionDays: 30,
      leaseMs: 10_000,
      pollIntervalMs: 500,
      retryBaseMs: 1000,
      retryMaxMs: 300_000,
      stageMaxAttempts: 6,
      httpTimeoutMs: 30_000,
      cleanupAt: '03:00',
      cleanupIntervalMs: 86_400_000,
      timezone: '',
      logFormat: 'pretty',
      metricsToken: '',
      trustedProxies: '',
      sessionMaxAgeSeconds: 604_800,
      passwordCheckConcurrency: 4,
    })
    // An instance without a configured id is named after its host plus a random part: leases say
    // who holds them, and cloned hosts (or two starts of one) never share an id.
    expect(settings.instanceId).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{8}$`))
    expect(settingsFromEnv({}).instanceId).not.toBe(settings.instanceId)
    expect(settingsFromEnv({ NUXT_INSTANCE_ID: 'node-a' }).instanceId).toBe('node-a')
  })

  it('every setting has a default', () => {
    expect(Object.keys(settingsFromEnv({})).sort()).toEqual(Object.keys(settingsSchema.shape).sort())
  })
})

describe('NUXT_* env mapping', () => {
  it('names each key the way Nitro maps runtimeConfig', () => {
    expect(envNameOf('workerConcurrency')).toBe('NUXT_WORKER_CONCURRENCY')
    expect(envNameOf('slackApiUrl')).toBe('NUXT_SLACK_API_URL')
    expect(envNameOf('jobRetentionDays')).toBe('NUXT_JOB_RETENTION_DAYS')
    expect(envNameOf('publicBaseUrl')).toBe('NUXT_PUBLIC_BASE_URL')
  })

  it('reads the documented env names and coerces numbers', () => {
    const settings = settingsFromEnv({
      NUXT_SLACK_API_URL: 'http://127.0.0.1:4001/api/',
      NUXT_FIGMA_API_URL: 'http://127.0.0.1:4002',
      NUXT_NOTION_API_URL: 'http://127.0.0.1:4003',
      NUXT_NOTION_TOKEN: 'ntn_x',
      NUXT_NOTION_DATABASE_ID: 'db1',
      NUXT_ANTHROPIC_API_KEY: 'sk-ant',
      NUXT_ANTHROPIC_BASE_URL: 'http://127.0.0.1:4004',
      NUXT_OPENAI_API_KEY: 'sk-oa',
      NUXT_OPENAI_BASE_URL: 'http://127.0.0.1:4005/v1',
      NUXT_AI_MODEL: 'claude-test',
      NUXT_PUBLIC_BASE_URL: 'https://discubot.example',
      NUXT_WORKER_CONCURRENCY: '2',
      NUXT_JOB_RETENTION_DAYS: '7',
      NUXT_LEASE_MS: '3000',
      NUXT_POLL_INTERVAL_MS: '100',
      NUXT_RETRY_BASE_MS: '10',
      NUXT_RETRY_MAX_MS: '50',
      NUXT_STAGE_MAX_ATTEMPTS: '3',
      NUXT_HTTP_TIMEOUT_MS: '2500',
      NUXT_CLEANUP_INTERVAL_MS: '60000',
      NUXT_CLEANUP_AT: '02:30',
      NUXT_TIMEZONE: 'Europe/Berlin',
      NUXT_LOG_FORMAT: 'json',
      NUXT_METRICS_TOKEN: 'scrape-token',
      NUXT_INSTANCE_ID: 'node-a',
      NUXT_TRUSTED_PROXIES: '10.0.0.0/8,::1',
      NUXT_SESSION_MAX_AGE_SECONDS: '3600',
      NUXT_PASSWORD_CHECK_CONCURRENCY: '2',
    })
    expect(settings).toEqual({
      ...settingsSchema.parse({}),
      slackApiUrl: 'http://127.0.0.1:4001/api/',
      figmaApiUrl: 'http://127.0.0.1:4002',
      notionApiUrl: 'http://127.0.0.1:4003',
      notionToken: 'ntn_x',
      notionDatabaseId: 'db1',
      anthropicApiKey: 'sk-ant',
      anthropicBaseUrl: 'http://127.0.0.1:4004',
      openaiApiKey: 'sk-oa',
      openaiBaseUrl: 'http://127.0.0.1:4005/v1',
      aiModel: 'claude-test',
      publicBaseUrl: 'https://discubot.example',
      workerConcurrency: 2,
      jobRetentionDays: 7,
      leaseMs: 3000,
      pollIntervalMs: 100,
      retryBaseMs: 10,
      retryMaxMs: 50,
      stageMaxAttempts: 3,
      httpTimeoutMs: 2500,
      cleanupIntervalMs: 60_000,
      cleanupAt: '02:30',
      timezone: 'Europe/Berlin',
      logFormat: 'json',
      metricsToken: 'scrape-token',
      instanceId: 'node-a',
      trustedProxies: '10.0.0.0/8,::1',
      sessionMaxAgeSeconds: 3600,
      passwordCheckConcurrency: 2,
    })
  })

  it('treats an empty value as unset', () => {
    expect(settingsFromEnv({ NUXT_WORKER_CONCURRENCY: '', NUXT_SLACK_API_URL: '' })).toMatchObject({ workerConcurrency: 4, slackApiUrl: 'https://slack.com/api/' })
  })

  it('rejects a number that is not a non-negative integer', () => {
    expect(() => settingsFromEnv({ NUXT_WORKER_CONCURRENCY: 'four' })).toThrow(/workerConcurrency/)
    expect(() => settingsFromEnv({ NUXT_LEASE_MS: '-1' })).toThrow(/leaseMs/)
    expect(() => settingsFromEnv({ NUXT_JOB_RETENTION_DAYS: '1.5' })).toThrow(/jobRetentionDays/)
    // A session that ends as it starts, or no password checks at all, would lock everyone out.
    expect(() => settingsFromEnv({ NUXT_SESSION_MAX_AGE_SECONDS: '0' })).toThrow(/sessionMaxAgeSeconds/)
    expect(() => settingsFromEnv({ NUXT_PASSWORD_CHECK_CONCURRENCY: '0' })).toThrow(/passwordCheckConcurrency/)
  })
})

describe('runtimeConfig defaults', () => {
  it('come from the settings schema, one key per setting, so every setting has its NUXT_* name', () => {
    const defaults = runtimeConfigDefaults()
    const { publicBaseUrl, ...topLevel } = settingsSchema.parse({})
    expect(defaults).toEqual({ ...topLevel, public: { baseUrl: publicBaseUrl } })
    // Read back, they are exactly the schema's defaults.
    const { instanceId: _generated, ...roundTrip } = resolveSettings(defaults)
    const { instanceId: _empty, ...schemaDefaults } = settingsSchema.parse({})
    expect(roundTrip).toEqual(schemaDefaults)
  })
})

describe('resolveSettings (runtimeConfig)', () => {
  it('reads runtimeConfig keys, the public base URL, and numbers Nitro already parsed', () => {
    const settings = resolveSettings({
      workerConcurrency: 8,
      slackApiUrl: 'http://slack.test/api/',
      notionToken: '',
      unrelated: 'ignored',
      public: { baseUrl: 'https://admin.example' },
    })
    expect(settings).toMatchObject({ workerConcurrency: 8, slackApiUrl: 'http://slack.test/api/', notionToken: '', publicBaseUrl: 'https://admin.example' })
    expect(settings).not.toHaveProperty('unrelated')
  })

  it('takes a text setting that Nitro read as a number as the environment wrote it', () => {
    // A Slack client id: JSON-looking, and too precise for a float.
    const written = { NUXT_SLACK_CLIENT_ID: '3654784371.5301046541201', NUXT_ADMIN_PASSWORD: '12345678901234' }
    const settings = resolveSettings({ slackClientId: Number(written.NUXT_SLACK_CLIENT_ID), adminPassword: 12345678901234, workerConcurrency: 3 }, written)
    expect(settings).toMatchObject({ slackClientId: '3654784371.5301046541201', adminPassword: '12345678901234', workerConcurrency: 3 })
    expect(resolveSettings({ slackClientId: 1111.2222 }, {}).slackClientId).toBe('1111.2222')
  })
})

describe('.env.example', () => {
  it('names every setting, so an operator finds each one there', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8')
    const listed = new Set(example.match(/^NUXT_[A-Z0-9_]+(?==)/gm))
    const missing = Object.keys(settingsSchema.shape).map(envNameOf).filter(name => !listed.has(name))
    expect(missing).toEqual([])
  })
})
