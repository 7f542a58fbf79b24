// What a thread-side delivery (reactions, a failure note) needs to talk to the source: the job's
// source config with its secrets, read when the delivery runs (a token fixed meanwhile is used).
import { getDiscubotConfigsByIds, readConfigSecretsState, SECRETS_NEED_REENTRY_MESSAGE } from '../../collections/configs/server/database/queries'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import { PermanentError } from '../utils/errors'
import type { SourceCallContext } from '../sources/types'
import type { DeliveryContext } from './types'

export type ThreadCall = SourceCallContext & { config: DiscubotConfig }

export async function threadCall(teamId: string, configId: string | null, ctx: DeliveryContext): Promise<ThreadCall> {
  const [config] = configId ? await getDiscubotConfigsByIds(teamId, [configId]) : []
  if (!config) throw new PermanentError('The source config of this thread no longer exists')
  const { secrets, needReentry } = readConfigSecretsState(config)
  if (needReentry) throw new PermanentError(`Source config "${config.name}": ${SECRETS_NEED_REENTRY_MESSAGE}`)
  return { config, secrets, settings: ctx.settings, signal: ctx.signal }
}
