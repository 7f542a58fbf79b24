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

const SOURCE_SECRETS: Record<string, SecretField[]> = {
  slack: ['signingSecret', 'botToken'],
  figma: ['figmaToken', 'passcode'],
  // Pasted conversations come through the admin: only where tasks go and which model reads them.
  manual: [],
}

export function secretFieldsOf(sourceType: string): SecretField[] {
  return [...SOURCE_SECRETS[sourceType] ?? [], 'notionToken', 'aiApiKey']
}

export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map(part => part.trim()).filter(Boolean)
}
