// Config secrets when the secrets key changes (a real temp database): secrets no key opens read as
// unset and say so, never throw; new secrets repair the config; a rotation re-seals every config
// under the new key; the env bootstrap re-seals its configs; the pipeline fails with the reason.
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { seedTeam } from '../support/seed-rows'
import { fakeWorld, queueSlackJob, runNext, seedTeamWithSlackConfig, testSettings } from '../support/engine-fixtures'
import { useDbClient } from '#layers/discubot/server/utils/db'
import { createKeyring, openJson } from '#layers/discubot/server/utils/secrets'
import { configureSecretsKeyring, useSecretsKeyring } from '#layers/discubot/server/utils/secrets-key'
import {
  createDiscubotConfig,
  getDiscubotConfigsByIds,
  readConfigSecrets,
  readConfigSecretsState,
  resealDiscubotConfigSecrets,
  SECRETS_NEED_REENTRY_MESSAGE,
} from '#layers/discubot/collections/configs/server/database/queries'
import { listTeamConfigs, updateTeamConfig } from '#layers/discubot/server/admin/configs'
import { bootstrapSourceConfigsFromEnv } from '#layers/discubot/server/bootstrap/source-configs'
import { ensureDefaultTeam } from '#layers/discubot/server/bootstrap/default-team'
import { discubotJobs } from '#layers/discubot/collections/jobs/server/database/schema'
import { startSlackStandin, type SlackStandin } from '../standins/slack'

const OLD_KEY = 'old-secrets-key-0123456789-0123456789-abcdef'
const NEW_KEY = 'new-secrets-key-0123456789-0123456789-abcdef'
const OTHER_KEY = 'another-hosts-key-0123456789-0123456789-abc'
const SECRETS = { signingSecret: 'sig-PLAIN-1', botToken: 'xoxb-PLAIN-1' }

let temp: TempDb
beforeEach(async () => {
  temp = await createTempDb()
})
afterEach(() => {
  configureSecretsKeyring(undefined)
  temp.cleanup()
})

/** Runs `write` as an instance whose keyring is `keys`, then goes back to the test env's key. */
async function asInstanceWith<T>(keys: string[], write: () => Promise<T>, legacy: string[] = []): Promise<T> {
  configureSecretsKeyring(createKeyring(keys, legacy))
  try {
    return await write()
  }
  finally {
    configureSecretsKeyring(undefined)
  }
}

const storedCiphertext = async (id: string) => String((await useDbClient().execute({ sql: 'SELECT secrets_ciphertext FROM discubot_configs WHERE id = ?', args: [id] })).rows[0]!.secrets_ciphertext)

describe('secrets sealed under a key this instance does not have', () => {
  // A repaired token is identified with Slack at once (auth.test): a local Slack knows the new one.
  let slack: SlackStandin
  beforeAll(async () => {
    slack = await startSlackStandin({ token: 'xoxb-NEW' })
  })
  afterAll(() => slack.stop())
  beforeEach(() => {
    testSettings({ slackApiUrl: `${slack.url}/api/`, httpTimeoutMs: 1000 })
  })

  it('list the config with "secrets need re-entry" instead of failing', async () => {
    const team = await seedTeam(temp.db, 'a')
    const config = await asInstanceWith([OTHER_KEY], () => createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 'foreign', secrets: SECRETS }))
    const healthy = await createDiscubotConfig({ teamId: team.id, sourceType: 'figma', name: 'healthy', secrets: { passcode: 'p-1' } })

    const listed = await listTeamConfigs(team.id)
    expect(listed.find(c => c.id === config.id)).toMatchObject({
      secretsNeedReentry: true,
      validationState: 'error',
      validationMessage: SECRETS_NEED_REENTRY_MESSAGE,
      secretsSet: { signingSecret: false, botToken: false },
    })
    expect(listed.find(c => c.id === healthy.id)).toMatchObject({ secretsNeedReentry: false, secretsSet: { passcode: true } })
    expect(readConfigSecrets(config)).toEqual({})
  })

  it('a PATCH without secrets keeps the payload; a PATCH with new secrets replaces it and repairs the config', async () => {
    const team = await seedTeam(temp.db, 'a')
    const config = await asInstanceWith([OTHER_KEY], () => createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 'foreign', secrets: SECRETS }))
    const sealed = await storedCiphertext(config.id)

    const renamed = await updateTeamConfig(team.id, config.id, { name: 'renamed' }, 'user-1')
    expect(renamed).toMatchObject({ name: 'renamed', secretsNeedReentry: true })
    expect(await storedCiphertext(config.id)).toBe(sealed)

    const repaired = await updateTeamConfig(team.id, config.id, { secrets: { signingSecret: 'sig-NEW', botToken: 'xoxb-NEW' } }, 'user-1')
    expect(repaired).toMatchObject({ secretsNeedReentry: false, validationState: 'unknown', validationMessage: null, secretsSet: { signingSecret: true, botToken: true } })
    const [row] = await getDiscubotConfigsByIds(team.id, [config.id])
    expect(readConfigSecretsState(row!)).toEqual({ secrets: { signingSecret: 'sig-NEW', botToken: 'xoxb-NEW' }, needReentry: false })
  })

  it('a PATCH setting only some secrets drops the unreadable rest instead of throwing', async () => {
    const team = await seedTeam(temp.db, 'a')
    const config = await asInstanceWith([OTHER_KEY], () => createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 'foreign', secrets: SECRETS }))
    const patched = await updateTeamConfig(team.id, config.id, { secrets: { signingSecret: 'sig-NEW' } }, 'user-1')
    expect(patched).toMatchObject({ secretsNeedReentry: false, secretsSet: { signingSecret: true, botToken: false } })
  })

  it('a job of such a config fails for good, saying why, instead of falling back to the server\'s keys', async () => {
    const { team, config } = await asInstanceWith([OTHER_KEY], () => seedTeamWithSlackConfig(temp.db))
    const { jobId } = await queueSlackJob(team.id, config.id, '900.1') as { jobId: string }
    const world = fakeWorld()
    expect(await runNext(world.services, testSettings())).toBe('failed')
    const [job] = await temp.db.select().from(discubotJobs).where(eq(discubotJobs.id, jobId))
    expect(job!.error).toContain(SECRETS_NEED_REENTRY_MESSAGE)
    expect(world.calls.fetchThread).toBe(0)
  })
})

describe('resealDiscubotConfigSecrets (npm run secrets:rotate, and every boot)', () => {
  it('re-seals every team\'s configs under the new key, so the old key can go', async () => {
    const [a, b] = [await seedTeam(temp.db, 'a'), await seedTeam(temp.db, 'b')]
    const configs = await asInstanceWith([OLD_KEY], () => Promise.all([
      createDiscubotConfig({ teamId: a.id, sourceType: 'slack', name: 'a-slack', secrets: SECRETS }),
      createDiscubotConfig({ teamId: b.id, sourceType: 'figma', name: 'b-figma', secrets: { passcode: 'p-b' } }),
    ]))
    const empty = await createDiscubotConfig({ teamId: a.id, sourceType: 'figma', name: 'no secrets' })
    const foreign = await asInstanceWith([OTHER_KEY], () => createDiscubotConfig({ teamId: a.id, sourceType: 'slack', name: 'foreign', secrets: SECRETS }))
    const foreignSealed = await storedCiphertext(foreign.id)

    const report = await asInstanceWith([NEW_KEY, OLD_KEY], () => resealDiscubotConfigSecrets())
    expect(report).toEqual({ resealed: 2, current: 0, unreadable: [{ id: foreign.id, teamId: a.id, name: 'foreign' }] })
    expect(await storedCiphertext(foreign.id)).toBe(foreignSealed)
    expect(await storedCiphertext(empty.id)).toBe('null')

    // Only the new key now: every re-sealed config opens.
    const onlyNew = createKeyring([NEW_KEY])
    expect(openJson(await storedCiphertext(configs[0].id), `discubot_configs:${configs[0].id}`, onlyNew)).toEqual(SECRETS)
    expect(openJson(await storedCiphertext(configs[1].id), `discubot_configs:${configs[1].id}`, onlyNew)).toEqual({ passcode: 'p-b' })
    const [row] = await getDiscubotConfigsByIds(a.id, [configs[0].id])
    expect(row).toMatchObject({ updatedBy: 'system' })

    // A second run has nothing left to do.
    expect(await asInstanceWith([NEW_KEY], () => resealDiscubotConfigSecrets())).toMatchObject({ resealed: 0, current: 2 })
  })

  it('upgrades a payload written before key ids (opened with the session password) to the current key', async () => {
    const team = await seedTeam(temp.db, 'a')
    const config = await createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 'old', secrets: {} })
    const sessionPassword = process.env.NUXT_SESSION_PASSWORD!
    // v1 = AES-256-GCM under HKDF(session password, 'discubot', 'discubot-config-secrets'), no associated data.
    const key = Buffer.from(hkdfSync('sha256', sessionPassword, 'discubot', 'discubot-config-secrets', 32))
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    const body = Buffer.concat([cipher.update(JSON.stringify(SECRETS), 'utf8'), cipher.final()])
    const v1 = ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':')
    await useDbClient().execute({ sql: 'UPDATE discubot_configs SET secrets_ciphertext = ? WHERE id = ?', args: [v1, config.id] })

    expect(readConfigSecrets({ id: config.id, secretsCiphertext: v1 })).toEqual(SECRETS)
    expect(await resealDiscubotConfigSecrets()).toMatchObject({ resealed: 1, unreadable: [] })
    const resealed = await storedCiphertext(config.id)
    expect(resealed.startsWith(`v2:${useSecretsKeyring().keys[0]!.id}:`)).toBe(true)
    // The session password may now change: the secrets no longer depend on it.
    expect(await asInstanceWith([process.env.NUXT_SECRETS_KEY!], async () => readConfigSecrets({ id: config.id, secretsCiphertext: resealed }))).toEqual(SECRETS)
  })
})

describe('env-bootstrapped configs under a new key', () => {
  let slack: SlackStandin
  beforeAll(async () => {
    slack = await startSlackStandin({ teamId: 'T0ACME', botUserId: 'U0BOT' })
  })
  afterAll(() => slack.stop())

  it('are simply re-sealed from the env on the next boot', async () => {
    const boot = async () => bootstrapSourceConfigsFromEnv({
      settings: testSettings({ slackApiUrl: `${slack.url}/api/`, httpTimeoutMs: 1000, slackSigningSecret: 'sign-env', slackBotToken: slack.state.token }),
      defaultTeam: await ensureDefaultTeam(),
    })
    await asInstanceWith([OLD_KEY], boot)
    await expect(asInstanceWith([NEW_KEY], boot)).resolves.toBeUndefined()
    const configs = await asInstanceWith([NEW_KEY], async () => listTeamConfigs((await ensureDefaultTeam()).id))
    expect(configs).toHaveLength(1)
    expect(configs[0]).toMatchObject({ secretsNeedReentry: false, validationState: 'ok', secretsSet: { signingSecret: true, botToken: true } })
  })
})
