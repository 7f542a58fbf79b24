// Every admin page needs a session; the sign-in and first-admin setup pages are the exceptions.
const PUBLIC_PATHS = new Set(['/login', '/setup'])

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
