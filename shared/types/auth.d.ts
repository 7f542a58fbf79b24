// The sealed session cookie: who signed in, and which team (and role) every admin API answers for.
// `secure` stays on the server (nuxt-auth-utils leaves it out of /api/_auth/session).
import type { TeamRole } from '#layers/discubot/shared/domain'

declare module '#auth-utils' {
  interface User {
    id: string
    email: string
    name: string
  }

  interface UserSession {
    teamId: string
    role: TeamRole
  }

  interface SecureSessionData {
    /** The user's session version at sign-in: a newer one in the database means this session ended. */
    sessionVersion: number
    /** When the cookie was last sealed (ms): unused for a lifetime since, it has expired. */
    renewedAt: number
  }
}

export {}
