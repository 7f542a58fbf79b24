// Every admin page needs a session; sign-in, the first admin's setup and the one-time links
// (invites, password resets) are the exceptions.
const PUBLIC_PATHS = new Set(['/login', '/setup', '/invite', '/reset-password'])

export default defineNuxtRouteMiddleware((to) => {
  const { loggedIn } = useUserSession()
  if (PUBLIC_PATHS.has(to.path)) {
    if (loggedIn.value && to.path === '/login') return navigateTo(safeRedirect(to.query.redirect))
    return
  }
  if (!loggedIn.value) {
    return navigateTo({ path: '/login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } })
  }
})
