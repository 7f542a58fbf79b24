// `npm run secrets:rotate`: re-seals every config's secrets under the first key of the keyring
// (NUXT_SECRETS_KEY, or the key file beside the database), so older keys can then be removed.
// The server does the same at every start; this does it now, without a restart, and lists the
// configs no key opens (their secrets must be entered again). Exit code 2 when there are some.
import { join } from 'node:path'
import { consola } from 'consola'
import { SESSION_PASSWORD_FILE } from '../layers/discubot/server/auth/session-password'
import { resealDiscubotConfigSecrets } from '../layers/discubot/collections/configs/server/database/queries'
import { resealTeamAlertSecrets } from '../layers/discubot/collections/team-alerts/server/database/queries'
import { closeDb, configureDb, dbOptionsFromEnv, ensureMigrated } from '../layers/discubot/server/utils/db'
import { keyFileDir, readKeyFile } from '../layers/discubot/server/utils/key-file'
import { configureSecretsKeyring, loadSecretsKeyring, SecretsKeyError } from '../layers/discubot/server/utils/secrets-key'

const options = dbOptionsFromEnv()
// Secrets written before key ids open with the session password, as they did then.
const env = { ...process.env, NUXT_SESSION_PASSWORD: process.env.NUXT_SESSION_PASSWORD || readKeyFile(join(keyFileDir(options.url), SESSION_PASSWORD_FILE)) }
try {
  const { keyring } = loadSecretsKeyring(env, options.url)
  configureSecretsKeyring(keyring)
  configureDb(options)
  await ensureMigrated()
  const report = await resealDiscubotConfigSecrets()
  consola.success(`secrets: ${report.resealed} config(s) re-sealed under key ${keyring.keys[0]!.id}, ${report.current} already were`)
  for (const config of report.unreadable) consola.warn(`secrets: config ${config.id} (${config.name}, team ${config.teamId}) opens with no key of the keyring: enter its secrets again`)
  const alerts = await resealTeamAlertSecrets()
  consola.success(`secrets: ${alerts.resealed} alert webhook secret(s) re-sealed`)
  for (const teamId of alerts.unreadable) consola.warn(`secrets: the alert webhook secret of team ${teamId} opens with no key of the keyring: save the webhook again`)
  process.exitCode = report.unreadable.length || alerts.unreadable.length ? 2 : 0
}
catch (error) {
  consola.error(error instanceof SecretsKeyError ? error.message : error)
  process.exitCode = 1
}
finally {
  closeDb()
}
