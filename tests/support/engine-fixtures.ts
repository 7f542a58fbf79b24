// In-process engine fixtures: a team, a Slack config, and PipelineServices whose outside world
// (thread, model, task sink, replies) is an in-memory fake that counts every call.
import { createDiscubotTeam } from '#layers/discubot/collections/teams/server/database/queries'
import { createDiscubotConfig } from '#layers/discubot/collections/configs/server/database/queries'
import type { Db } from '#layers/discubot/server/utils/db'
import { acceptDiscussion } from '#layers/discubot/server/webhooks/hand-off'
import { claimDueJob } from '#layers/discubot/collections/jobs/server/database/lifecycle'
import { runJob, type RunOutcome } from '#layers/discubot/server/pipeline/runner'
import { configureSettings, resolveSettings, type Settings } from '#layers/discubot/server/utils/settings'
import type { PipelineServices } from '#layers/discubot/server/pipeline/types'
import type { NoteReplyContent, ReactionOutcome, ReplyContent, ReplyRef, SourceAdapter, TaskReplyContent } from '#layers/discubot/server/sources/types'
import type { Reaction } from '#layers/discubot/shared/domain'
import type { CreatedTask, TaskIntent, TaskSink } from '#layers/discubot/server/sinks/types'
import type { Analysis, DiscussionInput, ThreadData } from '#layers/discubot/shared/schemas'

/** Settings for an in-process engine test, put in force (the engine reads `useSettings()`). */
export function testSettings(overrides: Partial<Settings> = {}): Settings {
  const settings = resolveSettings({
    retryBaseMs: 10,
    retryMaxMs: 50,
    leaseMs: 2000,
    stageMaxAttempts: 3,
    instanceId: 'test-instance',
    publicBaseUrl: 'http://discubot.test',
    ...overrides,
  })
  configureSettings(settings)
  return settings
}

export async function seedTeamWithSlackConfig(db: Db, slug = 'team-a') {
  const team = await createDiscubotTeam({ name: slug, slug })
  const config = await createDiscubotConfig({
    teamId: team.id,
    sourceType: 'slack',
    name: `${slug} Slack`,
    slackWorkspaceId: `T-${slug}`,
    secrets: { signingSecret: 'signing-secret', botToken: 'xoxb-test' },
  })
  return { team, config }
}

export function slackInput(threadTs: string, content = 'Hey @discubot please turn this into tasks'): DiscussionInput {
  return {
    sourceType: 'slack',
    sourceThreadId: `T1:C1:${threadTs}`,
    sourceUrl: `https://example.slack.com/archives/C1/p${threadTs.replace('.', '')}`,
    title: 'Checkout CTA',
    content,
    authorHandle: 'U1',
    thread: { kind: 'slack', workspaceId: 'T1', channel: 'C1', threadTs, messageTs: threadTs },
  }
}

export const sampleAnalysis: Analysis = {
  summary: 'The team agreed to fix the checkout CTA and update the docs.',
  actionItems: ['Fix the checkout CTA', 'Update the docs'],
  tasks: [
    { title: 'Fix the checkout CTA', description: 'The button is hidden on mobile', priority: 'high', assignee: 'dana', dueDate: null },
    { title: 'Update the docs', description: 'Describe the new flow', priority: 'medium', assignee: null, dueDate: null },
  ],
}

/** A fake-world hook that throws `error` whenever `when()` says so (always by default). */
export function throwing(error: Error, when: () => boolean = () => true) {
  return () => {
    if (when()) throw error
  }
}

type Hook = () => Promise<void> | void

/** A fake outside world; `failures` lets a test make a call throw once (or every time). */
export function fakeWorld(options: {
  analysis?: Analysis
  onFetch?: Hook
  onAnalyze?: Hook
  onCreate?: (intent: TaskIntent) => Promise<void> | void
  onPost?: Hook
  /** Before each reactions call; throw to make it fail, return 'unsupported' to refuse it. */
  onReact?: (reaction: Reaction, add: boolean) => Promise<ReactionOutcome | undefined> | ReactionOutcome | undefined
} = {}) {
  const calls = { fetchThread: 0, analyze: 0, findExisting: 0, findReply: 0, created: [] as TaskIntent[], posted: [] as TaskReplyContent[], notes: [] as NoteReplyContent[], reacted: [] as string[], updated: [] as { id: string, reply: ReplyContent }[] }
  /** The reactions our bot has on the mentioning message, in the order added. */
  const reactions: Reaction[] = []
  const setReaction = async (reaction: Reaction, add: boolean): Promise<ReactionOutcome> => {
    calls.reacted.push(`${add ? '+' : '-'}${reaction}`)
    const outcome = await options.onReact?.(reaction, add)
    if (outcome === 'unsupported') return outcome
    const at = reactions.indexOf(reaction)
    if (add && at < 0) reactions.push(reaction)
    if (!add && at >= 0) reactions.splice(at, 1)
    return 'done'
  }
  const replies = new Map<string, ReplyRef>()
  const pages = new Map<string, CreatedTask>()
  const thread: ThreadData = {
    fetchedAt: new Date().toISOString(),
    pages: 1,
    messages: [
      { id: '1.0', author: 'lee', text: 'Can you fix the checkout CTA?', timestamp: new Date().toISOString() },
      { id: '1.1', author: 'dana', text: 'I will, and we need to update the docs', timestamp: new Date().toISOString() },
    ],
  }
  const source: SourceAdapter = {
    sourceType: 'slack',
    replies: true,
    async identify() {
      return { workspaceId: 'T1', userId: 'UBOT' }
    },
    async fetchThread() {
      calls.fetchThread++
      await options.onFetch?.()
      return thread
    },
    async findReply(_ctx, _ref, marker) {
      calls.findReply++
      return replies.get(marker) ?? null
    },
    async postReply(_ctx, _ref, reply) {
      await options.onPost?.()
      if (reply.kind === 'note') calls.notes.push(reply)
      else calls.posted.push(reply)
      const ref = { id: `reply-${calls.posted.length + calls.notes.length}` }
      replies.set(reply.marker, ref)
      return ref
    },
    async updateReply(_ctx, _ref, id, reply) {
      calls.updated.push({ id, reply })
    },
    react: (_ctx, _ref, reaction) => setReaction(reaction, true),
    unreact: (_ctx, _ref, reaction) => setReaction(reaction, false),
  }
  const sink: TaskSink = {
    name: 'notion',
    async prepare() {
      return { warnings: [] }
    },
    async findExisting(intent) {
      calls.findExisting++
      return pages.get(intent.idempotencyKey) ?? null
    },
    async create(intent) {
      await options.onCreate?.(intent)
      const page = { pageId: `page-${pages.size + 1}`, url: `https://notion.test/page-${pages.size + 1}` }
      pages.set(intent.idempotencyKey, page)
      calls.created.push(intent)
      return page
    },
    async preview() {
      return []
    },
  }
  const services: PipelineServices = {
    source: () => source,
    analyzer: () => ({
      name: 'fake',
      async analyze() {
        calls.analyze++
        await options.onAnalyze?.()
        return options.analysis ?? sampleAnalysis
      },
    }),
    taskSink: () => sink,
  }
  return { services, calls, pages, replies, reactions }
}

export async function queueSlackJob(teamId: string, configId: string, threadTs: string, eventId = `Ev-${threadTs}`, content?: string) {
  return acceptDiscussion({ source: 'slack', eventId, teamId, sourceConfigId: configId, input: slackInput(threadTs, content) })
}

/** Claims the next due job (as of `now`) and runs it; undefined when nothing was due. */
export async function runNext(services: PipelineServices, settings: Settings, options: { workerId?: string, now?: Date, hold?: (point: string) => Promise<void> } = {}): Promise<RunOutcome | undefined> {
  configureSettings(settings)
  const workerId = options.workerId ?? `${settings.instanceId}/boot/0`
  const job = await claimDueJob({ workerId, leaseMs: settings.leaseMs }, options.now)
  if (!job) return undefined
  return runJob(job, { services, workerId, hold: options.hold ? point => options.hold!(point) : async () => {} })
}
