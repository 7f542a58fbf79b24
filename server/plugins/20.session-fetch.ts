// useUserSession() reads nuxt-auth-utils' own GET /api/_auth/session, which only unseals the
// cookie: an expired, signed-out or removed member's session would still show as signed in.
// Its fetch hook applies the same check as every admin API (401, cookie cleared) and the role
// of record.
export default defineNitroPlugin(() => {
  sessionHooks.hook('fetch', async (session, event) => {
    if (!session.user) return
    session.role = (await requireTeamSession(event)).role
  })
})
