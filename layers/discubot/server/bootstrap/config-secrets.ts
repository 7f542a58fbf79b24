// Boot step: every config's secrets under the current secrets key. Upgrades payloads written
// before key ids (which the session password opened) and finishes a key rotation, so the old key
// or password can go; configs no key opens are named once, here, for an admin to re-enter.
import { consola } from 'consola'
import { resealDiscubotConfigSecrets, SECRETS_NEED_REENTRY_MESSAGE } from '../../collections/configs/server/database/queries'
import { resealTeamAlertSecrets } from '../../collections/team-alerts/server/database/queries'

const log = consola.withTag('secrets')

export async function resealConfigSecrets(): Promise<void> {
  const report = await resealDiscubotConfigSecrets()
  if (report.resealed) log.info(`re-sealed the secrets of ${report.resealed} config(s) under the current secrets key`)
  for (const config of report.unreadable) log.warn(`config ${config.id} (${config.name}): ${SECRETS_NEED_REENTRY_MESSAGE}`)
}

/** The same for the teams' alert webhook secrets. */
export async function resealAlertSecrets(): Promise<void> {
  const report = await resealTeamAlertSecrets()
  if (report.resealed) log.info(`re-sealed ${report.resealed} alert webhook secret(s) under the current secrets key`)
  for (const teamId of report.unreadable) log.warn(`team ${teamId}: the alert webhook's signing secret opens with no key; save the webhook again for a new one`)
}
