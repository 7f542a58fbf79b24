// Basic hardening on every response, and a same-origin rule for state-changing admin requests
// (CSRF): browsers always send Origin on cross-site POST/PATCH/DELETE, so a foreign Origin is refused.
// Webhooks are exempt: Slack and Figma are cross-site by nature and carry their own signature/passcode.
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export default defineEventHandler((event) => {
  setResponseHeaders(event, {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    'Content-Security-Policy': 'frame-ancestors \'none\'; base-uri \'self\'; object-src \'none\'',
    'Cross-Origin-Opener-Policy': 'same-origin',
  })
  if (getRequestProtocol(event, { xForwardedProto: true }) === 'https') {
    setResponseHeader(event, 'Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  }

  if (!UNSAFE_METHODS.has(event.method) || !event.path.startsWith('/api/') || event.path.startsWith('/api/webhooks/')) return
  const origin = getRequestHeader(event, 'origin')
  if (!origin) return
  let originHost: string
  try {
    originHost = new URL(origin).host
  }
  catch {
    throw createError({ statusCode: 403, message: 'Cross-origin request refused' })
  }
  if (originHost !== getRequestHost(event, { xForwardedHost: true })) {
    throw createError({ statusCode: 403, message: 'Cross-origin request refused' })
  }
})
