// Which analyzer reads a config's threads. The config's own provider, model, base URL and key win
// over the NUXT_* settings; with no key anywhere (or provider "offline") the offline analyzer runs.
import type { ConfigSecrets } from '../../shared/schemas'
import type { SourceConfig } from '../../shared/source-config'
import type { Settings } from '../utils/settings'
import { DEFAULT_OPENAI_BASE_URL, createModelAnalyzer, type ModelProvider } from './ai-sdk'
import { offlineAnalyzer } from './offline'
import type { Analyzer } from './types'

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

export function resolveAnalyzer(config: AiConfig, secrets: ConfigSecrets, settings: AiSettings): Analyzer {
  if (config.aiProvider === 'offline') return offlineAnalyzer
  const fromEnv = envProvider(settings)
  // A key stored on the config without a provider: Anthropic keys say so; anything else is OpenAI-style.
  const guessed = secrets.aiApiKey ? (secrets.aiApiKey.startsWith('sk-ant-') ? 'anthropic' : 'openai') : null
  const provider = config.aiProvider ?? guessed ?? fromEnv
  if (!provider) return offlineAnalyzer

  const apiKey = secrets.aiApiKey || (provider === 'anthropic' ? settings.anthropicApiKey : settings.openaiApiKey)
  if (!apiKey) return offlineAnalyzer
  const baseUrl = config.aiBaseUrl || (provider === 'anthropic' ? settings.anthropicBaseUrl : settings.openaiBaseUrl || DEFAULT_OPENAI_BASE_URL)
  // NUXT_AI_MODEL names a model of the environment's provider; another provider gets its default.
  const model = config.aiModel || (provider === fromEnv ? settings.aiModel : '') || DEFAULT_MODELS[provider]
  return createModelAnalyzer({ provider, model, apiKey, baseUrl, timeoutMs: settings.httpTimeoutMs })
}
