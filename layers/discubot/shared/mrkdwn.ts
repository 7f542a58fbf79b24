// Slack's mrkdwn markup as people read it: `<@U123|dana>`, `<#C1|general>`, `<url|label>`,
// `<!here>`, entities. The one set of rules for titles, prompts, the offline analyzer and the admin.

export interface MrkdwnTextOptions {
  /** How a user mention reads; `@label`, else `@id`, by default. */
  mention?: (userId: string, label?: string) => string
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': '\'' }

export function mrkdwnToText(text: string, options: MrkdwnTextOptions = {}): string {
  const mention = options.mention ?? ((id: string, label?: string) => `@${label || id}`)
  return text
    .replace(/```[\s\S]*?```/g, ' [code] ')
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]+))?>/g, (_, id: string, label?: string) => mention(id, label))
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, (_, who: string) => `@${who}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]+))?>/g, (_, label?: string) => label ?? '@team')
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `#${label || id}`)
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|([^>]+))?>/g, (_, url: string, label?: string) => label ?? url)
    .replace(/&(amp|lt|gt|quot|#39);/g, entity => ENTITIES[entity] ?? entity)
}
