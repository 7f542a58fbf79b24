// The URLs Slack and Figma call on this instance, all under NUXT_PUBLIC_BASE_URL: the app manifest,
// the OAuth redirect and the Figma webhook carry them, and the Sources page shows them.

function trimmed(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '')
}

export interface SourceEndpoints {
  /** Slack Events API request URL. */
  slackEvents: string
  /** Slack OAuth redirect URL ("Add to Slack" comes back here). */
  slackOauthRedirect: string
  /** Figma Webhooks V2 endpoint. */
  figmaWebhook: string
}

export function sourceEndpoints(baseUrl: string): SourceEndpoints {
  const base = trimmed(baseUrl)
  return {
    slackEvents: `${base}/api/webhooks/slack`,
    slackOauthRedirect: `${base}/api/oauth/slack/callback`,
    figmaWebhook: `${base}/api/webhooks/figma`,
  }
}
