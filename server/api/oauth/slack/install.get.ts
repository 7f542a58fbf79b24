// "Add to Slack": a single-use state for this owner's team, bound to this browser, then Slack's authorize page.
import { startSlackInstall } from '#layers/discubot/server/connections/slack-install'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamOwner(event)
  const { state, authorizeUrl } = await startSlackInstall({ teamId, userId: user.id })
  bindOAuthState(event, 'slack', state)
  return sendRedirect(event, authorizeUrl, 302)
})
