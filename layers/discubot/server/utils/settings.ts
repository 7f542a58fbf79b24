// Discubot's settings: one zod schema gives every setting its type and default. nuxt.config.ts
// builds runtimeConfig from these defaults (so NUXT_* env names override them), the server reads
// them back with `useSettings()`, and scripts and tests read the same env names.
import { hostname } from 'node:os'
import { z } from 'zod'
import { parseTrustedProxies } from '../auth/client-address'
import { LOG_FORMATS } from './logging'
import { isValidTimeZone, parseTimeOfDay } from './schedule'

const str = (fallback = '') => z.string().default(fallback)
const int = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback)
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback)

/** A wrong proxy list would void or misdirect the sign-in limits: refuse to start with one. */
const proxyList = str().superRefine((list, context) => {
  try {
    parseTrustedProxies(list)
  }
  catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message })
  }
})

/** NUXT_CLEANUP_AT=off: the cleanup runs every NUXT_CLEANUP_INTERVAL_MS instead (an empty env value means the default). */
export const CLEANUP_BY_INTERVAL = 'off'

/** A wrong schedule would silently never run the cleanup: refuse to start with one. */
const timeOfDay = str('03:00').refine(value => value === CLEANUP_BY_INTERVAL || parseTimeOfDay(value) !== null, `must be HH:MM (24 h), e.g. 03:00, or "${CLEANUP_BY_INTERVAL}" for an interval from boot`)
const timeZone = str().refine(value => value === '' || isValidTimeZone(value), 'must be an IANA time zone such as Europe/Berlin')

export const settingsSchema = z.object({
  databaseUrl: str('file:.data/discubot.db'),
  databaseAuthToken: str(),
  /** How long a write waits for the SQLite file lock before the request answers 503. */
  databaseBusyTimeoutMs: int(5000),
  /** First admin, created on first boot (both or neither). */
  adminEmail: str(),
  adminPassword: str(),
  /** The default team's Slack and Figma configs are bootstrapped from these. */
  slackSigningSecret: str(),
  slackBotToken: str(),
  figmaToken: str(),
  figmaWebhookPasscode: str(),
  secretsKey: str(),
  slackApiUrl: str('https://slack.com/api/'),
  /** The Slack app's OAuth credentials: "Add to Slack" (with slackSigningSecret of the same app). */
  slackClientId: str(),
  slackClientSecret: str(),
  slackOauthUrl: str('https://slack.com/oauth/v2/authorize'),
  figmaApiUrl: str('https://api.figma.com'),
  notionApiUrl: str('https://api.notion.com'),
  notionToken: str(),
  notionDatabaseId: str(),
  anthropicApiKey: str(),
  anthropicBaseUrl: str('https://api.anthropic.com'),
  openaiApiKey: str(),
  openaiBaseUrl: str(),
  aiModel: str(),
  /**
   * runtimeConfig.public.baseUrl (NUXT_PUBLIC_BASE_URL): the browser needs it too. Slack and Figma
   * reach us here (manifest, OAuth redirect, webhook endpoints).
   */
  publicBaseUrl: str('http://localhost:3000'),
  workerConcurrency: int(4),
  jobRetentionDays: int(30),
  /** Lease on a claimed job; a heartbeat renews it every third of it. Bounds crash recovery. */
  leaseMs: int(10_000),
  /** How often an idle worker looks for due jobs (webhooks also wake it at once). */
  pollIntervalMs: int(500),
  retryBaseMs: int(1000),
  retryMaxMs: int(5 * 60_000),
  stageMaxAttempts: int(6),
  /** Timeout of every call to Slack, Figma, Notion and the models. */
  httpTimeoutMs: int(30_000),
  /** The cleanup's time of day (in `timezone`); `off` → every `cleanupIntervalMs` from boot. */
  cleanupAt: timeOfDay,
  cleanupIntervalMs: int(24 * 60 * 60_000),
  /** Wall-clock schedules run in this zone; empty → the TZ environment variable, else UTC. */
  timezone: timeZone,
  /** `pretty` for people, `json` for log shippers (one object per line). */
  logFormat: z.enum(LOG_FORMATS).default('pretty'),
  /** Set → GET /api/metrics answers Prometheus text to `Authorization: Bearer <token>`; unset → 404. */
  metricsToken: str(),
  /** Lease owner name; empty → a random id per process start (NUXT_INSTANCE_ID to pin one). */
  instanceId: str(),
  /** Proxies whose X-Forwarded-For is believed (see ../auth/client-address.ts). */
  trustedProxies: proxyList,
  /** A session cookie unused this long is dead; every use renews it. */
  sessionMaxAgeSeconds: positiveInt(7 * 24 * 60 * 60),
  /** Password checks (a 16 MiB scrypt each) running at once in this process; a short queue waits behind them. */
  passwordCheckConcurrency: positiveInt(4),
  /** A team hears about failed jobs at most once per window: the first failure opens it, the alert goes out when it closes. */
  alertWindowMs: positiveInt(5 * 60_000),
  /** A due job nobody picked up for this long means the queue stopped moving: the team is alerted. */
  queueStuckAfterMs: positiveInt(10 * 60_000),
  /** Outbox loops per instance (reactions, failure notes, alerts). */
  outboxConcurrency: int(2),
})
export type Settings = z.infer<typeof settingsSchema>

/** The settings keys that live under runtimeConfig.public instead of at its top level. */
const PUBLIC_KEYS = { publicBaseUrl: 'baseUrl' } as const

/** runtimeConfig key → env name, as Nitro maps them (camelCase → NUXT_SNAKE_CASE). */
export function envNameOf(key: string) {
  return `NUXT_${key.replace(/[A-Z]/g, c => `_${c}`).toUpperCase()}`
}

/** The runtimeConfig nuxt.config.ts declares: every setting with its default, so each has its NUXT_* env name. */
export function runtimeConfigDefaults(): Omit<Settings, keyof typeof PUBLIC_KEYS> & { public: { baseUrl: string } } {
  const { publicBaseUrl, ...rest } = settingsSchema.parse({})
  return { ...rest, public: { [PUBLIC_KEYS.publicBaseUrl]: publicBaseUrl } }
}

/**
 * Nitro reads NUXT_* env values as JSON where they look like it, so a text setting that looks like
 * a number arrives as one — a Slack client id such as `3654784371.5301046541201` even loses digits.
 * Such a value is taken from the environment as written.
 */
function asWritten(key: string, value: unknown, env: NodeJS.ProcessEnv): unknown {
  const isText = typeof (settingsSchema.shape[key as keyof typeof settingsSchema.shape].def as { defaultValue?: unknown }).defaultValue === 'string'
  if (!isText || value === undefined || value === null || typeof value === 'string') return value
  return env[envNameOf(key)] ?? String(value)
}

/** The settings a runtimeConfig-shaped object describes (the server passes `useRuntimeConfig()`). */
export function resolveSettings(source: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Settings {
  const publicConfig = (source.public ?? {}) as Record<string, unknown>
  const picked = Object.fromEntries(Object.keys(settingsSchema.shape).map((key) => {
    const publicKey = PUBLIC_KEYS[key as keyof typeof PUBLIC_KEYS]
    const value = asWritten(key, source[key] ?? (publicKey ? publicConfig[publicKey] : undefined), env)
    return [key, value === '' ? undefined : value]
  }))
  const settings = settingsSchema.parse(picked)
  // Random per process start: a host name (or host:port) repeats on cloned hosts and containers,
  // and two live instances with one id would hand back each other's jobs at boot.
  settings.instanceId ||= `${hostname()}-${crypto.randomUUID().slice(0, 8)}`
  return settings
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const source: Record<string, unknown> = {}
  for (const key of Object.keys(settingsSchema.shape)) source[key] = env[envNameOf(key)]
  return resolveSettings(source)
}

let current: Settings | undefined

/** The server plugin (from runtimeConfig) and tests set the settings once; `useSettings()` reads them. */
export function configureSettings(settings: Settings) {
  current = settings
}

export function useSettings(): Settings {
  current ??= settingsFromEnv()
  return current
}
