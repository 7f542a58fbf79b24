// How the Sources page tells the end of an "Add to Slack" (the callback's redirect says it in codes:
// `?slack=connected&workspace=T…`, `denied`, `taken`, `failed&error=<code>`).

export interface InstallNotice {
  color: 'success' | 'warning' | 'error'
  title: string
  description: string
}

const FAILURES: Record<string, string> = {
  invalid_code: 'Slack did not accept the install code (it works once and only for a few minutes). Click "Add to Slack" again.',
  bad_redirect_uri: 'The redirect URL does not match the app\'s: the app must list NUXT_PUBLIC_BASE_URL + /api/oauth/slack/callback (the manifest does).',
  oauth_authorization_url_mismatch: 'The install did not start at Slack\'s /oauth/v2/authorize page: check NUXT_SLACK_OAUTH_URL.',
  invalid_client_id: 'NUXT_SLACK_CLIENT_ID is not this app\'s client id (Slack app → Basic Information).',
  bad_client_secret: 'NUXT_SLACK_CLIENT_SECRET is not this app\'s client secret (Slack app → Basic Information).',
  org_install_unsupported: 'An org-wide (Enterprise Grid) install names no workspace: install the app into one workspace.',
  token_rotation_enabled: 'The Slack app has token rotation on, which Discubot does not support: turn it off in the app (the manifest does) and install again.',
  slack_unavailable: 'Slack could not be reached or did not answer in time. Click "Add to Slack" again in a moment.',
  missing_code: 'Slack sent the browser back without an install code. Click "Add to Slack" again.',
}

/** The notice for the page's query, or null when it carries none. `workspaceName` finds a workspace's name among the configs. */
export function slackInstallNotice(query: Record<string, unknown>, workspaceName: (id: string) => string | undefined): InstallNotice | null {
  const text = (key: string) => typeof query[key] === 'string' ? query[key] as string : ''
  switch (text('slack')) {
    case 'connected': {
      // Only a name from the team's own configs is shown: a link cannot make the page say anything else.
      return { color: 'success', title: `Connected to ${workspaceName(text('workspace')) ?? 'Slack'}`, description: 'Invite the bot to a channel (/invite @discubot) and mention it in a thread: the thread becomes tasks.' }
    }
    case 'denied':
      return { color: 'warning', title: 'Slack install cancelled', description: 'The install was cancelled on Slack\'s page; nothing changed.' }
    case 'taken':
      return { color: 'error', title: 'This Slack workspace belongs to another team', description: 'It is connected to another Discubot team already, so its mentions go there. To move it, uninstall the app from the workspace (Slack → Manage apps), then add it here again.' }
    case 'failed': {
      const code = text('error')
      return { color: 'error', title: 'Slack install failed', description: FAILURES[code] ?? `Slack answered "${code || 'unknown_error'}". Click "Add to Slack" again, or check the server log.` }
    }
    default:
      return null
  }
}
