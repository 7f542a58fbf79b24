// "Connect webhook" against the built server and the Figma stand-in (Webhooks V2 create/get/list/
// delete/requests, with the PING a create sends and Figma's per-file limit): the create the
// stand-in saw, the PING answered, a FILE_COMMENT with that passcode making a job, the status and
// deliveries on the config, Figma's refusals in words, wrong scope ids refused, and a disconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { signInWhenReady, type AdminClient } from '../support/admin-client'
import { startFigmaStandin, type FigmaStandin } from '../standins/figma'
import { figmaFileComment } from '../standins/signing'

const ADMIN = { email: 'owner@figma-webhook.test', password: 'figma-webhook-owner' }
const FILE_KEY = 'AbC123xyz789QrS'

let figma: FigmaStandin
let server: ServerHandle
let owner: AdminClient
let configId: string

beforeAll(async () => {
  figma = await startFigmaStandin()
  server = await startServer({ env: { NUXT_ADMIN_EMAIL: ADMIN.email, NUXT_ADMIN_PASSWORD: ADMIN.password, NUXT_FIGMA_API_URL: figma.url } })
  owner = await signInWhenReady(server, ADMIN.email, ADMIN.password)
  const created = await owner.call('/api/configs', { method: 'POST', body: { sourceType: 'figma', name: 'Design files', secrets: { figmaToken: figma.state.token } } })
  expect(created.status).toBe(201)
  configId = created.body.id
})

afterAll(async () => {
  await server?.kill()
  await figma?.stop()
})

const webhookOf = (id: string) => owner.call(`/api/configs/${id}/figma/webhook`)
const connect = (id: string, body: unknown) => owner.call(`/api/configs/${id}/figma/webhook`, { method: 'POST', body })
const creates = () => figma.requests.filter(request => request.route === 'POST /v2/webhooks')

describe('Connect webhook', () => {
  it('refuses a scope id of the wrong shape with a 400 naming it, before asking Figma', async () => {
    for (const body of [{ context: 'team', contextId: 'acme-design' }, { context: 'file', contextId: 'not a key!' }, { context: 'page', contextId: '123' }, { context: 'file' }]) {
      const answer = await connect(configId, body)
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(answer.text).toMatch(/context/)
    }
    expect((await connect(configId, { context: 'team', contextId: 'acme-design' })).text).toContain('figma.com/files/team/<team id>')
    expect(creates()).toEqual([])
  })

  it('creates the FILE_COMMENT webhook at our endpoint with a generated passcode; Figma\'s PING is answered', async () => {
    const answer = await connect(configId, { context: 'file', contextId: `https://www.figma.com/design/${FILE_KEY}/Checkout-v2?node-id=1-2` })
    expect(answer.status, answer.text).toBe(200)
    const [create] = creates()
    const passcode = String(create!.args.passcode)
    expect(create!.args).toEqual({
      event_type: 'FILE_COMMENT',
      context: 'file',
      context_id: FILE_KEY,
      endpoint: `${server.url}/api/webhooks/figma`,
      passcode,
      description: `Discubot: Design files (${configId})`,
    })
    expect(passcode.length).toBeGreaterThanOrEqual(32)
    const webhook = [...figma.state.webhooks.values()][0]!
    expect(answer.body).toMatchObject({ webhook: { id: webhook.id, context: 'file', contextId: FILE_KEY } })
    expect(answer.text).not.toContain(passcode)

    await figma.state.settled()
    expect(webhook.requests.map(r => [r.request_info.payload.event_type, r.response_info?.status])).toEqual([['PING', '200']])
    const [config] = (await owner.call('/api/configs')).body
    expect(config).toMatchObject({ figmaWebhookId: webhook.id, figmaWebhookContext: 'file', figmaWebhookContextId: FILE_KEY, secretsSet: { passcode: true } })
  })

  it('turns a FILE_COMMENT carrying that passcode into a job, and shows the webhook\'s status and deliveries', async () => {
    const webhook = [...figma.state.webhooks.values()][0]!
    const root = figma.state.addComment(FILE_KEY, { message: 'Can we @discubot fix the CTA?' })
    const { passcode: _set, webhook_id: _id, ...comment } = figmaFileComment({ passcode: '', fileKey: FILE_KEY, commentId: root.id })
    const delivery = await figma.state.deliver(webhook.id, comment)
    expect(delivery.response_info?.status).toBe('200')
    await waitFor(async () => (await queryDbFile(server.dbPath, `SELECT status FROM discubot_jobs WHERE source_config_id = ?`, [configId]))[0]?.status === 'completed', { message: 'the comment\'s job' })
    expect(figma.state.posts.map(post => post.file_key)).toEqual([FILE_KEY])

    const status = await webhookOf(configId)
    expect(status.body).toMatchObject({ status: 'ACTIVE', endpoint: `${server.url}/api/webhooks/figma`, problem: null })
    expect(status.body.deliveries.map((d: { eventType: string, status: number }) => [d.eventType, d.status])).toEqual(expect.arrayContaining([['PING', 200], ['FILE_COMMENT', 200]]))
    expect(status.text).not.toContain(webhook.passcode)

    const check = await owner.call(`/api/configs/${configId}/check`, { method: 'POST' })
    expect(check.body.config).toMatchObject({ validationState: 'ok', validationMessage: expect.stringContaining(`webhook ${webhook.id} on file ${FILE_KEY} is ACTIVE`) })
  })

  it('refuses a second webhook on the same source', async () => {
    const again = await connect(configId, { context: 'file', contextId: FILE_KEY })
    expect(again.status).toBe(409)
    expect(again.body.message).toContain('disconnect it first')
  })

  it('says in words what Figma refused: permission or plan (403), the per-file limit (400)', async () => {
    const other = (await owner.call('/api/configs', { method: 'POST', body: { sourceType: 'figma', name: 'Other files', secrets: { figmaToken: figma.state.token } } })).body.id
    figma.faults.push({ kind: 'respond', route: 'GET /v2/webhooks', status: 403, body: { status: 403, err: 'Forbidden' } })
    const forbidden = await connect(other, { context: 'team', contextId: '1234567890' })
    expect(forbidden.status).toBe(422)
    expect(forbidden.body.message).toMatch(/Figma refused.*403 Forbidden.*webhooks:write.*team admin.*Professional plan/)

    for (const key of ['FULL1', 'FULL2', 'FULL3']) {
      figma.state.webhooks.set(key, { ...[...figma.state.webhooks.values()][0]!, id: key, context: 'FILE', context_id: 'FuLlFiLe1234', description: 'someone else\'s', requests: [] })
    }
    const full = await connect(other, { context: 'file', contextId: 'FuLlFiLe1234' })
    expect(full.status).toBe(422)
    expect(full.body.message).toMatch(/limit of 3 webhooks.*3 webhooks per file/)
    expect((await webhookOf(other)).body).toMatchObject({ webhook: null })
  })

  it('Disconnect deletes it at Figma and forgets it; a second disconnect changes nothing', async () => {
    const webhookId = (await webhookOf(configId)).body.webhook.id
    const gone = await owner.call(`/api/configs/${configId}/figma/webhook`, { method: 'DELETE' })
    expect(gone.status).toBe(200)
    expect(gone.body).toMatchObject({ webhook: null })
    expect(figma.state.webhooks.has(webhookId)).toBe(false)
    expect((await owner.call('/api/configs')).body.find((c: { id: string }) => c.id === configId)).toMatchObject({ figmaWebhookId: null, figmaWebhookContext: null })
    expect((await owner.call(`/api/configs/${configId}/figma/webhook`, { method: 'DELETE' })).status).toBe(200)
    expect(figma.requests.filter(request => request.route === 'DELETE /v2/webhooks/:id')).toHaveLength(1)
    // The passcode and the token went only to Figma: never into the log.
    for (const secret of [String(creates()[0]!.args.passcode), figma.state.token]) expect(server.logs()).not.toContain(secret)
  })
})
