/** Only same-site paths: `?redirect=https://evil.example` must not send a fresh session away. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/'
}
