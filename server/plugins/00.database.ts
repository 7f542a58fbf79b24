// Opens the database and starts migrations at boot. Nitro does not await async plugins, so the
// migration promise is shared: the API middleware and the workers await `ensureMigrated()`.
import { consola } from 'consola'
import { configureDb, ensureMigrated } from '#layers/discubot/server/utils/db'

export default defineNitroPlugin(() => {
  const config = useRuntimeConfig()
  configureDb({ url: config.databaseUrl, authToken: config.databaseAuthToken || undefined, busyTimeoutMs: Number(config.databaseBusyTimeoutMs) || undefined })
  ensureMigrated().catch(error => consola.error('[db] migrations failed; API answers 503 until they succeed:', error))
})
