// First-boot work, in order, after migrations. Each step is idempotent, so every boot runs them
// all and several instances booting together agree.
import { consola } from 'consola'
import { useSettings, type Settings } from '../utils/settings'
import { ensureDefaultTeam } from './default-team'
import { ensureCleanupTimer } from '../timers/cleanup-timer'
import { ensureFirstAdmin } from './first-admin'
import { bootstrapSourceConfigsFromEnv } from './source-configs'
import { bootstrapPastedConversationsConfig } from './pasted-config'
import { resealAlertSecrets, resealConfigSecrets } from './config-secrets'
import type { DiscubotTeam } from '../../collections/teams/server/database/schema'

export interface BootstrapContext {
  /** Env-provided secrets for the default team's configs and the first admin are settings too. */
  settings: Settings
  defaultTeam: DiscubotTeam
}

export type BootstrapStep = (ctx: BootstrapContext) => Promise<void>

/** Add a step here (one line) when a feature needs first-boot work. */
const steps: { name: string, run: BootstrapStep }[] = [
  { name: 'cleanup schedule', run: ({ settings }) => ensureCleanupTimer(settings) },
  { name: 'first admin', run: async (ctx) => { await ensureFirstAdmin(ctx) } },
  { name: 'source configs from env', run: bootstrapSourceConfigsFromEnv },
  { name: 'pasted conversations config', run: bootstrapPastedConversationsConfig },
  { name: 'config secrets under the current key', run: resealConfigSecrets },
  { name: 'alert webhook secrets under the current key', run: resealAlertSecrets },
]

export async function runBootstrap() {
  const defaultTeam = await ensureDefaultTeam()
  const ctx: BootstrapContext = { settings: useSettings(), defaultTeam }
  for (const step of steps) {
    try {
      await step.run(ctx)
    }
    catch (error) {
      // A failing step (e.g. Slack unreachable for auth.test) must not keep the server from serving.
      consola.error(`[bootstrap] ${step.name} failed:`, error)
    }
  }
}
