// The sealed session cookie: who signed in, and which team (and role) every admin API answers for.
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
}

export {}
