// Talking to a running server as an admin user: sign in, keep the sealed cookie, call the APIs.
// Also creates more teams and users straight in the server's database file (WAL lets both write).
import { hashAdminPassword } from '#layers/discubot/server/auth/password'
import { addDiscubotTeamMember, createDiscubotTeam, createDiscubotUser, getDiscubotUserByEmail } from '#layers/discubot/collections/teams/server/database/queries'
import type { TeamRole } from '#layers/discubot/shared/domain'
import { waitFor, type ServerHandle } from './server'
import { closeDb, openServerDb, queryDbFile } from './db-file'

export interface ApiAnswer<T = unknown> {
  status: number
  headers: Headers
  body: T
  text: string
}

/** Tests read whatever JSON an API answers, hence `any` as the default body type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any

export interface AdminClient {
  cookie: string
  call<T = AnyJson>(path: string, init?: { method?: string, body?: unknown }): Promise<ApiAnswer<T>>
}

export async function callApi<T = AnyJson>(server: ServerHandle, path: string, init: { method?: string, body?: unknown, cookie?: string, headers?: Record<string, string> } = {}): Promise<ApiAnswer<T>> {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/json',
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    redirect: 'manual',
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  }
  catch {
    // not JSON (an HTML page)
  }
  return { status: response.status, headers: response.headers, body: body as T, text }
}

export async function signIn(server: ServerHandle, email: string, password: string): Promise<AdminClient> {
  const answer = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (answer.status !== 200) throw new Error(`sign-in of ${email} answered ${answer.status}: ${await answer.text()}`)
  return sessionClient(server, answer.headers.getSetCookie().map(c => c.split(';')[0]).join('; '))
}

/**
 * A client holding a session cookie the way a browser does: a cookie the server seals anew (a
 * renewal, a password change) replaces it. A cleared one is not taken, so a test can replay the
 * old cookie after a sign-out.
 */
export function sessionClient(server: ServerHandle, cookie: string): AdminClient {
  const client: AdminClient = {
    cookie,
    async call(path, init = {}) {
      const answer = await callApi(server, path, { ...init, cookie: client.cookie })
      const renewed = answer.headers.getSetCookie().find(c => c.startsWith('nuxt-session=') && !c.startsWith('nuxt-session=;'))
      if (renewed) client.cookie = renewed.split(';')[0]!
      return answer
    },
  }
  return client
}

/**
 * The env admin is created by the boot steps, a moment after the server answers /api/health.
 * Waits for the account in the database first: signing in before it exists would count failed
 * tries and make the account wait.
 */
export async function signInWhenReady(server: ServerHandle, email: string, password: string) {
  const sql = 'SELECT 1 FROM discubot_users WHERE email = ? AND password_hash IS NOT NULL'
  await waitFor(async () => (await queryDbFile(server.dbPath, sql, [email.trim().toLowerCase()])).length > 0, { message: `the admin ${email} to exist` })
  return waitFor(() => signIn(server, email, password).catch(() => undefined), { message: `the admin ${email} to sign in` })
}

export async function createTeamWithUser(slug: string, user: { email: string, password: string, role: TeamRole }) {
  const team = await createDiscubotTeam({ name: `Team ${slug}`, slug })
  const created = await createDiscubotUser({ email: user.email, name: user.email.split('@')[0]!, passwordHash: await hashAdminPassword(user.password) })
  await addDiscubotTeamMember({ teamId: team.id, userId: created.id, role: user.role })
  return { team, user: created }
}

export async function addUserToTeam(teamId: string, user: { email: string, password: string, role: TeamRole }) {
  const existing = await getDiscubotUserByEmail(user.email)
  const created = existing ?? await createDiscubotUser({ email: user.email, name: user.email.split('@')[0]!, passwordHash: await hashAdminPassword(user.password) })
  await addDiscubotTeamMember({ teamId, userId: created.id, role: user.role })
  return created
}

/**
 * Writes into a running server's database through a connection that is closed right after, so
 * the test holds the file's write lock only as long as the writes take.
 */
export async function withServerDb<T>(server: ServerHandle, work: () => Promise<T>): Promise<T> {
  openServerDb(server.dbPath)
  try {
    return await work()
  }
  finally {
    closeDb()
  }
}
