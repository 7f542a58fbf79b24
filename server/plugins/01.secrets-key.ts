// Before anything seals or opens a config secret: the secrets keyring (NUXT_SECRETS_KEY, or the
// key file generated beside the database on first run). Runs after the session password plugin,
// whose password still opens secrets written before key ids. A keyring that cannot be set up
// (a database server without NUXT_SECRETS_KEY, a short key) stops the process here, before the
// first request, rather than letting every config read as unset.
import { consola } from 'consola'
import { messageOf } from '#layers/discubot/server/utils/errors'
import { useSettings } from '#layers/discubot/server/utils/settings'
import { configureSecretsKeyring, loadSecretsKeyring, SecretsKeyError } from '#layers/discubot/server/utils/secrets-key'

export default defineNitroPlugin(() => {
  try {
    const loaded = loadSecretsKeyring(process.env, useSettings().databaseUrl)
    configureSecretsKeyring(loaded.keyring)
    if (loaded.source === 'generated') consola.info(`[secrets] generated the secrets key in ${loaded.path}: back it up with the database (or set NUXT_SECRETS_KEY)`)
    else if (loaded.source === 'file') consola.debug(`[secrets] secrets key read from ${loaded.path}`)
  }
  catch (error) {
    if (error instanceof SecretsKeyError) {
      consola.error(error.message)
      process.exit(1)
    }
    // The database's folder cannot be written yet (a volume still mounting): the database answers
    // 503 meanwhile, like the key file, which useSecretsKeyring() loads on first use.
    consola.warn(`[secrets] the secrets key file cannot be read yet, trying again on first use: ${messageOf(error)}`)
  }
})
