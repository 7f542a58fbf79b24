// Slack sends the browser back here. Nothing is written unless the state is this browser's (the
// cookie), unused, unexpired and its owner's team's; then the browser lands on Sources, told how it went.
import { slackCallbackQuerySchema } from '#layers/discubot/shared/oauth-input'
import { completeSlackInstall, slackInstallLocation } from '#layers/discubot/server/connections/slack-install'

const NOT_STARTED_HERE = 'This install was not started in this browser (or it took longer than 10 minutes). Open Discubot at its usual address and click "Add to Slack" again on the Sources page.'

export default defineEventHandler(async (event) => {
  const query = await getValidatedQuery(event, value => slackCallbackQuerySchema.safeParse(value))
  const bound = takeOAuthState(event, 'slack', query.data?.state)
  if (!query.success || !bound) return oauthFailurePage(event, 'Slack install not completed', NOT_STARTED_HERE)
  const owner = await teamOwnerOf(event)
  if (!owner) return oauthFailurePage(event, 'Slack install not completed', 'Sign in to Discubot as an owner of the team in this browser, then click "Add to Slack" again on the Sources page.')
  const result = await completeSlackInstall({ teamId: owner.teamId, userId: owner.user.id }, query.data)
  if (!result) return oauthFailurePage(event, 'Slack install not completed', 'This install link expired, was already used, or was started for another team or person. Click "Add to Slack" again on the Sources page.')
  return sendRedirect(event, slackInstallLocation(result), 302)
})
