// At boot, right after the settings (00.00.settings.ts): the database and its migrations. Nitro does
// not await async plugins, so the migration promise is shared: the API middleware and the workers
// await `ensureMigrated()`.
import { consola } from 'consola'
import { configureDb, ensureMigrated } from '#layers/discubot/server/utils/db'
import { useSettings } from '#layers/discubot/server/utils/settings'

export default defineNitroPlugin(() => {
  const settings = useSettings()
  configureDb({ url: settings.databaseUrl, authToken: settings.databaseAuthToken || undefined, busyTimeoutMs: settings.databaseBusyTimeoutMs || undefined })
  ensureMigrated().catch(error => consola.error('[db] migrations failed; API answers 503 until they succeed:', error))
})
