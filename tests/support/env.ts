// Settings every in-process test shares: a session password, and a secrets key of its own (the
// two are independent: changing the session password never touches stored secrets).
process.env.NUXT_SESSION_PASSWORD ||= 'test-session-password-0123456789-abcdefghij'
process.env.NUXT_SECRETS_KEY ||= 'test-secrets-key-0123456789-abcdefghijklmnop'
