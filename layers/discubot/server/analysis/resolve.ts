// Which analyzer reads a config's threads. The config's own provider, model, base URL and key win
// over the NUXT_* settings; with no key anywhere (or provider "offline") the offline analyzer runs.
import type { ConfigSecrets } from '../../shared/schemas'
import type { SourceConfig } from '../../shared/source-config'
import type { Settings } from '../utils/settings'
import { DEFAULT_OPENAI_BASE_URL, createModelAnalyzer, type ModelProvider } from './ai-sdk'
import { offlineAnalyzer } from './offline'
import type { Analyzer } from './types'
import { OPERATOR_POLICY, publicOnlyFetch, type OutboundPolicy } from '../utils/outbound'

export const DEFAULT_MODELS: Record<ModelProvider, string> = {
  anthropic: 'claude-sonnet-4-5',
  openai: 'gpt-4o-mini',
}

type AiConfig = Pick<SourceConfig, 'aiProvider' | 'aiModel' | 'aiBaseUrl'>
type AiSettings = Pick<Settings, 'anthropicApiKey' | 'anthropicBaseUrl' | 'openaiApiKey' | 'openaiBaseUrl' | 'aiModel' | 'httpTimeoutMs'>

/** The provider the environment configures, if any (Anthropic first when both keys are set). */
function envProvider(settings: AiSettings): ModelProvider | null {
  if (settings.anthropicApiKey) return 'anthropic'
  if (settings.openaiApiKey) return 'openai'
  return null
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '')

/**
 * The instance's keys (NUXT_ANTHROPIC_API_KEY, NUXT_OPENAI_API_KEY) serve only configs the policy
 * lets use them (the operator's team), and only toward the instance's own endpoints: a config that
 * points elsewhere brings its own key. A tenant's endpoint is reachable only at public addresses.
 */
export function resolveAnalyzer(config: AiConfig, secrets: ConfigSecrets, settings: AiSettings, policy: OutboundPolicy = OPERATOR_POLICY): Analyzer {
  if (config.aiProvider === 'offline') return offlineAnalyzer
  const envEndpoint = (provider: ModelProvider) => provider === 'anthropic' ? settings.anthropicBaseUrl : settings.openaiBaseUrl || DEFAULT_OPENAI_BASE_URL
  const envUsable = (provider: ModelProvider) => policy.instanceCredentials && (!config.aiBaseUrl || sameUrl(config.aiBaseUrl, envEndpoint(provider)))
  const fromEnv = envProvider(settings)
  // A key stored on the config without a provider: Anthropic keys say so; anything else is OpenAI-style.
  const guessed = secrets.aiApiKey ? (secrets.aiApiKey.startsWith('sk-ant-') ? 'anthropic' : 'openai') : null
  const provider = config.aiProvider ?? guessed ?? (fromEnv && envUsable(fromEnv) ? fromEnv : null)
  if (!provider) return offlineAnalyzer

  const envKey = provider === 'anthropic' ? settings.anthropicApiKey : settings.openaiApiKey
  const apiKey = secrets.aiApiKey || (envUsable(provider) ? envKey : '')
  if (!apiKey) return offlineAnalyzer
  const baseUrl = config.aiBaseUrl || envEndpoint(provider)
  // NUXT_AI_MODEL names a model of the environment's provider; another provider gets its default.
  const model = config.aiModel || (provider === fromEnv ? settings.aiModel : '') || DEFAULT_MODELS[provider]
  return createModelAnalyzer({
    provider,
    model,
    apiKey,
    baseUrl,
    timeoutMs: settings.httpTimeoutMs,
    ...(policy.privateNetwork ? {} : { fetch: publicOnlyFetch }),
  })
}
