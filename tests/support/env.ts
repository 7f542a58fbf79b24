// Settings every in-process test shares: a session password (it also keys the secrets cipher).
process.env.NUXT_SESSION_PASSWORD ||= 'test-session-password-0123456789-abcdefghij'
