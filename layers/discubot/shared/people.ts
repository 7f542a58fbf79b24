// A person of a source as the source describes them: what Slack's `users.info` answers (or a
// Figma comment shows), and what the people collection caches.
export interface SourceUserProfile {
  sourceUserId: string
  displayName: string | null
  realName: string | null
  /** Only when the credential may read it (Slack `users:read.email`). */
  email: string | null
  avatarUrl: string | null
  isBot: boolean
}
