// "Preview": the analysis of a pasted conversation and what its tasks would write, column by
// column — through the same resolvers, config and policy as the pipeline, and writing nothing
// (no row, no page: the sink's dry run only reads the database's schema).
import { useSettings } from '../utils/settings'
import { defaultServices } from '../pipeline/services'
import type { TaskIntent } from '../sinks/types'
import type { PastedConversation } from '../../shared/conversation'
import type { DiscussionPreview } from '../../shared/api'
import { pastedConversationConfig } from './config'

/** What a dry run writes where the task key will be. */
const PREVIEW_KEY = '(the task\'s key, set when it is created)'

export async function previewPastedConversation(teamId: string, conversation: PastedConversation, options: { signal?: AbortSignal } = {}): Promise<DiscussionPreview> {
  const settings = useSettings()
  const { config, secrets, policy, stored } = await pastedConversationConfig(teamId, conversation.configId)
  const services = defaultServices
  const title = conversation.title || 'Pasted conversation'
  const source = services.source('manual')
  const thread = await source.fetchThread({ config, secrets, settings, signal: options.signal }, { kind: 'manual', pastedAt: new Date().toISOString(), messages: conversation.messages })
  const analyzer = services.analyzer(config, secrets, settings, policy)
  const analysis = await analyzer.analyze({ title, sourceType: 'manual', sourceUrl: null, thread }, options)
  const sink = services.taskSink(config, secrets, settings, policy)
  const target = analysis.tasks.length ? await sink.prepare(options) : { warnings: [] }
  // The real run links each page to its discussion, which has no id before it is pasted.
  const discussionLink = `${settings.publicBaseUrl.replace(/\/+$/, '')}/discussions/…`
  const tasks = []
  for (const [index, task] of analysis.tasks.entries()) {
    const intent: TaskIntent = { ...task, taskId: `preview-${index}`, idempotencyKey: PREVIEW_KEY, sourceUrl: discussionLink, discussionTitle: title }
    tasks.push({ ...task, fills: await sink.preview(intent, options) })
  }
  return {
    config: stored ? { id: config.id, name: config.name } : null,
    analyzer: analyzer.name,
    sink: sink.name,
    warnings: target.warnings,
    summary: analysis.summary,
    actionItems: analysis.actionItems,
    tasks,
  }
}
