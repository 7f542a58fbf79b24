// First-boot step: with NUXT_NOTION_TOKEN set, the default team gets a "Pasted conversations"
// config — where the admin picks the instance's Notion database and maps its columns, so a new
// instance with only a Notion token works from the admin (NUXT_NOTION_DATABASE_ID, if set, is the
// database until one is picked). Created once, never rewritten: what the admin picked stays.
import { createDiscubotConfig, getEnvDiscubotConfig } from '../../collections/configs/server/database/queries'
import type { BootstrapContext } from './index'

export const PASTED_CONFIG_NAME = 'Pasted conversations'

export async function bootstrapPastedConversationsConfig(ctx: BootstrapContext): Promise<void> {
  if (!ctx.settings.notionToken.trim() || await getEnvDiscubotConfig('manual')) return
  try {
    await createDiscubotConfig({ teamId: ctx.defaultTeam.id, sourceType: 'manual', name: PASTED_CONFIG_NAME, fromEnv: true })
  }
  catch (error) {
    // Another instance booting at the same time created it first (unique on fromEnv per source).
    if (!await getEnvDiscubotConfig('manual')) throw error
  }
}
