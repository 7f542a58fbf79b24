// First of all: the settings (runtimeConfig, i.e. defaults overridden by NUXT_* env names) and the
// log format they ask for. Importing the logging module first installs its reporter before any
// other server module makes a logger (see layers/discubot/server/utils/logging.ts).
import { configureLogging } from '#layers/discubot/server/utils/logging'
import { configureSettings, resolveSettings } from '#layers/discubot/server/utils/settings'

export default defineNitroPlugin(() => {
  const settings = resolveSettings(useRuntimeConfig())
  configureSettings(settings)
  configureLogging(settings.logFormat, settings.instanceId)
})
