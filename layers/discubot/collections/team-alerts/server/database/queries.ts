// A team's alert targets. The webhook's signing secret is sealed with the secrets keyring, bound to
// the team's row, and read only by the worker that signs a delivery: no answer ever carries it
// except the one that set it.
import { eq, isNotNull, and } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { isSealedWithCurrentKey, openJson, sealJson } from '../../../../server/utils/secrets'
import { useSecretsKeyring } from '../../../../server/utils/secrets-key'
import { discubotTeamAlerts, type DiscubotTeamAlerts } from './schema'

const secretContext = (teamId: string) => `discubot_team_alerts:${teamId}`

export async function getTeamAlertSettings(teamId: string): Promise<DiscubotTeamAlerts | undefined> {
  const [row] = await useDb().select().from(discubotTeamAlerts).where(eq(discubotTeamAlerts.teamId, teamId))
  return row
}

/** The webhook's signing secret; undefined when none is set or no key of this instance opens it. */
export function readAlertWebhookSecret(row: Pick<DiscubotTeamAlerts, 'teamId' | 'webhookSecretCiphertext'>): string | undefined {
  if (!row.webhookSecretCiphertext) return undefined
  try {
    const value = openJson<unknown>(row.webhookSecretCiphertext, secretContext(row.teamId), useSecretsKeyring())
    return typeof value === 'string' ? value : undefined
  }
  catch {
    return undefined
  }
}

export interface TeamAlertTargets {
  slackChannelId: string | null
  webhookUrl: string | null
  /** A new signing secret to seal; undefined keeps the stored one, null clears it. */
  webhookSecret?: string | null
}

export async function saveTeamAlertSettings(teamId: string, targets: TeamAlertTargets, userId: string): Promise<DiscubotTeamAlerts> {
  const now = new Date()
  const sealed = targets.webhookSecret === undefined
    ? undefined
    : targets.webhookSecret === null ? null : sealJson(targets.webhookSecret, secretContext(teamId), useSecretsKeyring())
  const columns = {
    slackChannelId: targets.slackChannelId,
    webhookUrl: targets.webhookUrl,
    ...(sealed === undefined ? {} : { webhookSecretCiphertext: sealed }),
  }
  const [row] = await useDb().insert(discubotTeamAlerts)
    .values({ teamId, ...columns, createdBy: userId, updatedBy: userId, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: discubotTeamAlerts.teamId, set: { ...columns, updatedBy: userId, updatedAt: now } })
    .returning()
  return row!
}

/**
 * Re-seals every team's webhook secret under the keyring's first key (boot, like config secrets),
 * each write applying only if the payload is still the one read. Unreadable ones stay as they are:
 * the Settings page asks for the webhook to be saved again.
 */
export async function resealTeamAlertSecrets(): Promise<{ resealed: number, unreadable: string[] }> {
  const keyring = useSecretsKeyring()
  const rows = await useDb().select().from(discubotTeamAlerts).where(isNotNull(discubotTeamAlerts.webhookSecretCiphertext))
  const report = { resealed: 0, unreadable: [] as string[] }
  for (const row of rows) {
    if (isSealedWithCurrentKey(row.webhookSecretCiphertext!, keyring)) continue
    const secret = readAlertWebhookSecret(row)
    if (secret === undefined) {
      report.unreadable.push(row.teamId)
      continue
    }
    const result = await useDb().update(discubotTeamAlerts)
      .set({ webhookSecretCiphertext: sealJson(secret, secretContext(row.teamId), keyring), updatedBy: SYSTEM_USER_ID, updatedAt: new Date() })
      .where(and(eq(discubotTeamAlerts.teamId, row.teamId), eq(discubotTeamAlerts.webhookSecretCiphertext, row.webhookSecretCiphertext!)))
    report.resealed += result.rowsAffected
  }
  return report
}
