// Which configs a delivery is checked against, most specific first.
import { describe, expect, it } from 'vitest'
import { servesWorkspace } from '#layers/discubot/server/webhooks/slack'
import { figmaCandidates } from '#layers/discubot/server/webhooks/figma'
import { interpretForConfigs } from '#layers/discubot/server/webhooks/dispatch'
import type { DiscubotConfig } from '#layers/discubot/collections/configs/server/database/schema'

const config = (id: string, fields: Partial<DiscubotConfig> = {}) => ({ id, slackWorkspaceId: null, figmaWebhookId: null, ...fields }) as DiscubotConfig

describe('Slack candidates', () => {
  it('lets a config serve its own workspace only, never "any" while it has not learned one', () => {
    expect(servesWorkspace(config('a', { slackWorkspaceId: 'T1' }), 'T1')).toBe(true)
    expect(servesWorkspace(config('a', { slackWorkspaceId: 'T1' }), 'T2')).toBe(false)
    expect(servesWorkspace(config('a'), 'T2')).toBe(false)
  })
})

describe('Figma candidates', () => {
  it('takes configs of this webhook id, then those without one, never those of another webhook', () => {
    const configs = [config('any'), config('other', { figmaWebhookId: '99' }), config('this', { figmaWebhookId: '22' })]
    expect(figmaCandidates(configs, '22').map(c => c.id)).toEqual(['this', 'any'])
  })
})

describe('interpretForConfigs', () => {
  it('gives a discussion to the first config that sees one, else keeps the first answer', () => {
    const configs = [config('filtered'), config('open')]
    const parsed = interpretForConfigs(configs, c => c.id === 'open'
      ? { kind: 'discussion', eventId: 'e', redelivery: false, input: {} as never }
      : { kind: 'ignore', reason: 'channel filtered' })
    expect(parsed.config.id).toBe('open')
    expect(interpretForConfigs(configs, () => ({ kind: 'ignore', reason: 'nope' })).config.id).toBe('filtered')
  })
})
