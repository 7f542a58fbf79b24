// Before anything seals a cookie: make sure NUXT_SESSION_PASSWORD is set, generating one into
// the database's directory on first run.
// Synchronous on purpose: Nitro does not await plugins, and nuxt-auth-utils reads the env on the
// first session access.
import { consola } from 'consola'
import { ensureSessionPassword } from '#layers/discubot/server/auth/session-password'
import { useSettings } from '#layers/discubot/server/utils/settings'

export default defineNitroPlugin(() => {
  const result = ensureSessionPassword(process.env, useSettings().databaseUrl)
  if (result.source === 'generated') consola.info(`[auth] generated a session password in ${result.path} (set NUXT_SESSION_PASSWORD to choose your own)`)
  else if (result.source === 'file') consola.debug(`[auth] session password read from ${result.path}`)
})
