// Which secrets each source needs, and how the Sources page names them.
import type { SecretField } from '#layers/discubot/shared/schemas'

export const SECRET_LABELS: Record<SecretField, string> = {
  signingSecret: 'Slack signing secret',
  botToken: 'Slack bot token',
  figmaToken: 'Figma access token',
  passcode: 'Figma webhook passcode',
  notionToken: 'Notion token',
  aiApiKey: 'AI API key',
}

export function secretFieldsOf(sourceType: string): SecretField[] {
  const source: SecretField[] = sourceType === 'slack' ? ['signingSecret', 'botToken'] : ['figmaToken', 'passcode']
  return [...source, 'notionToken', 'aiApiKey']
}

export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map(part => part.trim()).filter(Boolean)
}
