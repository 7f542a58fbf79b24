// Notices, once, that Slack and Figma are told to call an address they cannot reach (see
// connections/reachability.ts); the request itself goes on untouched.
import { noteRequestHost } from '#layers/discubot/server/connections/reachability'
import { useSettings } from '#layers/discubot/server/utils/settings'

export default defineEventHandler((event) => {
  noteRequestHost({ baseUrl: useSettings().publicBaseUrl, requestHost: getRequestHost(event, { xForwardedHost: true }), production: !import.meta.dev })
})
