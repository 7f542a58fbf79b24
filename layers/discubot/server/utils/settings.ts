// Discubot's settings, read from Nuxt's runtimeConfig in the server (NUXT_* env names) and from
// the same env names in scripts and tests. One zod schema gives every setting its default.
import { hostname } from 'node:os'
import { z } from 'zod'
import { parseTrustedProxies } from '../auth/client-address'

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

export const settingsSchema = z.object({
  slackApiUrl: str('https://slack.com/api/'),
  figmaApiUrl: str('https://api.figma.com'),
  notionApiUrl: str('https://api.notion.com'),
  notionToken: str(),
  notionDatabaseId: str(),
  anthropicApiKey: str(),
  anthropicBaseUrl: str('https://api.anthropic.com'),
  openaiApiKey: str(),
  openaiBaseUrl: str(),
  aiModel: str(),
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
  cleanupIntervalMs: int(24 * 60 * 60_000),
  instanceId: str(),
  /** Proxies whose X-Forwarded-For is believed (see ../auth/client-address.ts). */
  trustedProxies: proxyList,
  /** A session cookie unused this long is dead; every use renews it. */
  sessionMaxAgeSeconds: positiveInt(7 * 24 * 60 * 60),
  /** Password checks (a 16 MiB scrypt each) running at once in this process; a short queue waits behind them. */
  passwordCheckConcurrency: positiveInt(4),
})
export type Settings = z.infer<typeof settingsSchema>

/** runtimeConfig key → env name, as Nitro maps them (camelCase → NUXT_SNAKE_CASE). */
export function envNameOf(key: string) {
  return `NUXT_${key.replace(/[A-Z]/g, c => `_${c}`).toUpperCase()}`
}

/** The settings a runtimeConfig-shaped object describes (the server passes `useRuntimeConfig()`). */
export function resolveSettings(source: Record<string, unknown>): Settings {
  const picked = Object.fromEntries(Object.keys(settingsSchema.shape).map((key) => {
    const value = source[key] ?? (key === 'publicBaseUrl' ? (source.public as Record<string, unknown> | undefined)?.baseUrl : undefined)
    return [key, value === '' ? undefined : value]
  }))
  const settings = settingsSchema.parse(picked)
  settings.instanceId ||= `${hostname()}:${process.env.PORT || process.env.NITRO_PORT || 3000}`
  return settings
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const source: Record<string, unknown> = {}
  for (const key of Object.keys(settingsSchema.shape)) source[key] = env[envNameOf(key)]
  source.publicBaseUrl ??= env.NUXT_PUBLIC_BASE_URL
  return resolveSettings(source)
}

let current: Settings | undefined

export function configureSettings(settings: Settings) {
  current = settings
}

export function useSettings(): Settings {
  current ??= settingsFromEnv()
  return current
}
