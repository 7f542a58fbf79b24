// Analysis by a model through the Vercel AI SDK: Anthropic's Messages API or any OpenAI-compatible
// chat-completions server. One call, no SDK retries (the pipeline retries durably), structured
// output against the analysis schema, and one repair round when the model's JSON does not fit.
import { createAnthropic } from '@ai-sdk/anthropic'
import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { NoObjectGeneratedError, Output, generateText, jsonSchema, type LanguageModel, type ModelMessage } from 'ai'
import type { Analysis } from '../../shared/schemas'
import { PermanentError } from '../utils/errors'
import { reportedCall } from '../utils/external-requests'
import { classifyModelError } from './model-errors'
import { analysisWireSchema, normalizeAnalysis } from './normalize'
import { ANALYSIS_INSTRUCTIONS, DEFAULT_PROMPT_BUDGET, buildPrompt } from './prompt'
import type { Analyzer } from './types'

export type ModelProvider = 'anthropic' | 'openai'

export interface ModelTarget {
  provider: ModelProvider
  model: string
  apiKey: string
  /** Anthropic: the API origin (`/v1` is added). OpenAI-compatible: the base URL including `/v1`. */
  baseUrl: string
  timeoutMs: number
  promptBudget?: number
  maxOutputTokens?: number
  /** Replaces the global fetch (the public-only fetch for a tenant's endpoint). */
  fetch?: typeof fetch
}

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1'

const trimSlash = (url: string) => url.replace(/\/+$/, '')

function languageModel(target: ModelTarget): LanguageModel {
  if (target.provider === 'anthropic') {
    const origin = trimSlash(target.baseUrl)
    return createAnthropic({ apiKey: target.apiKey, baseURL: origin.endsWith('/v1') ? origin : `${origin}/v1`, fetch: target.fetch })(target.model)
  }
  return createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: trimSlash(target.baseUrl || DEFAULT_OPENAI_BASE_URL),
    apiKey: target.apiKey,
    supportsStructuredOutputs: true,
    fetch: target.fetch,
  })(target.model)
}

export function serviceName(target: Pick<ModelTarget, 'provider' | 'baseUrl'>): string {
  if (target.provider === 'anthropic') return 'Anthropic'
  const url = target.baseUrl || DEFAULT_OPENAI_BASE_URL
  return `OpenAI-compatible endpoint ${URL.canParse(url) ? new URL(url).host : url}`
}

/** Validation runs our normalizer, so "valid" means exactly what the pipeline stores. */
const analysisOutput = () => Output.object({
  schema: jsonSchema<Analysis>(analysisWireSchema(), { validate: normalizeAnalysis }),
  name: 'analysis',
  description: 'Summary, action items and tasks of a discussion thread',
})

const repairRequest = (problem: string) => `Your previous answer did not match the required JSON schema: ${problem}
Answer again with only the corrected JSON object, following the schema and the rules exactly.`

export function createModelAnalyzer(target: ModelTarget): Analyzer {
  const model = languageModel(target)
  const service = serviceName(target)

  function generate(messages: ModelMessage[], signal: AbortSignal | undefined): Promise<Analysis> {
    return reportedCall('model', () => generateOnce(messages, signal))
  }

  async function generateOnce(messages: ModelMessage[], signal: AbortSignal | undefined): Promise<Analysis> {
    const timeout = AbortSignal.timeout(target.timeoutMs)
    try {
      const result = await generateText({
        model,
        output: analysisOutput(),
        instructions: ANALYSIS_INSTRUCTIONS,
        messages,
        maxRetries: 0,
        maxOutputTokens: target.maxOutputTokens ?? 4096,
        abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        // Pinned so the request shape does not depend on whether the SDK knows the model id: the
        // JSON tool works with every Claude model (the SDK switches to output_config by itself
        // for models that refuse forced tool use).
        providerOptions: { anthropic: { structuredOutputMode: 'jsonTool' } },
      })
      return result.output
    }
    catch (error) {
      if (NoObjectGeneratedError.isInstance(error)) throw error
      throw classifyModelError(error, { service, timeoutMs: target.timeoutMs, timedOut: timeout.aborted && !signal?.aborted })
    }
  }

  return {
    name: `${target.provider}:${target.model}`,
    async analyze(input, { signal }) {
      const prompt = buildPrompt(input, target.promptBudget ?? DEFAULT_PROMPT_BUDGET)
      const messages: ModelMessage[] = [{ role: 'user', content: prompt }]
      try {
        return await generate(messages, signal)
      }
      catch (error) {
        if (!NoObjectGeneratedError.isInstance(error)) throw error
        // One repair round: show the model its answer and what was wrong with it.
        const problem = problemOf(error)
        try {
          return await generate([
            ...messages,
            { role: 'assistant', content: error.text?.trim() || '(no answer)' },
            { role: 'user', content: repairRequest(problem) },
          ], signal)
        }
        catch (second) {
          if (!NoObjectGeneratedError.isInstance(second)) throw second
          throw new PermanentError(`Model output did not match the analysis schema: ${problemOf(second)}`, { service, code: 'invalid_output', cause: second })
        }
      }
    },
  }
}

function problemOf(error: NoObjectGeneratedError): string {
  const cause = error.cause instanceof Error ? error.cause : undefined
  const reason = error.finishReason && error.finishReason !== 'stop' && error.finishReason !== 'tool-calls' ? ` (the answer ended with "${error.finishReason}")` : ''
  // The SDK's messages repeat the whole value; the validator's own text is the useful part.
  const text = (cause && 'cause' in cause && cause.cause instanceof Error ? cause.cause.message : cause?.message) ?? error.message
  return `${text.replace(/\s+/g, ' ').trim().slice(0, 1000)}${reason}`
}
