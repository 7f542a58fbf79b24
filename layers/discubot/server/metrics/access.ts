// Who may scrape: `Authorization: Bearer <NUXT_METRICS_TOKEN>`. Unset, the endpoint does not exist
// (404), so an instance never shows its figures by accident; a wrong token learns nothing (401).
import { createHash, timingSafeEqual } from 'node:crypto'

export type MetricsAccess = 'ok' | 'disabled' | 'refused'

function digest(value: string) {
  return createHash('sha256').update(value).digest()
}

export function metricsAccess(configuredToken: string, authorization: string | undefined): MetricsAccess {
  if (!configuredToken) return 'disabled'
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1]
  // Digests are equal-length, so the comparison takes the same time whatever was sent.
  return presented && timingSafeEqual(digest(presented), digest(configuredToken)) ? 'ok' : 'refused'
}
