// The admin's $fetch. In the browser, a 401 from any API means the session ended (signed out
// elsewhere, removed from the team), so the page goes back to sign-in instead of showing a broken
// view. During SSR it is the request's own fetch, which forwards the session cookie.
export default defineNuxtPlugin((nuxtApp) => {
  if (import.meta.server) return { provide: { api: useRequestFetch() as typeof $fetch } }
  const { session } = useUserSession()
  const api = $fetch.create({
    async onResponseError({ response }) {
      if (response.status !== 401) return
      session.value = null
      const route = nuxtApp.$router.currentRoute.value
      if (route.path !== '/login') await nuxtApp.runWithContext(() => navigateTo({ path: '/login', query: { redirect: route.fullPath } }))
    },
  })
  return { provide: { api } }
})
