// Prometheus scrape target. Guard: the bearer token (see layers/discubot/server/metrics/access.ts).
import { metricsAccess } from '#layers/discubot/server/metrics/access'
import { renderMetrics } from '#layers/discubot/server/metrics/registry'
import { useSettings } from '#layers/discubot/server/utils/settings'

export default defineEventHandler(async (event) => {
  const access = metricsAccess(useSettings().metricsToken, getRequestHeader(event, 'authorization'))
  if (access === 'disabled') throw createError({ statusCode: 404, statusMessage: 'Not Found', message: 'Metrics are off: set NUXT_METRICS_TOKEN to enable them' })
  if (access === 'refused') {
    setResponseHeader(event, 'www-authenticate', 'Bearer realm="discubot-metrics"')
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message: 'Send Authorization: Bearer <NUXT_METRICS_TOKEN>' })
  }
  const { contentType, body } = await renderMetrics()
  setResponseHeader(event, 'content-type', contentType)
  return body
})
