// The admin's $fetch: a 401 from any API means the session ended (signed out elsewhere, removed
// from the team), so the page goes back to sign-in instead of showing a broken view.
export default defineNuxtPlugin((nuxtApp) => {
  const { session } = useUserSession()
  const api = $fetch.create({
    async onResponseError({ response }) {
      if (response.status !== 401 || import.meta.server) return
      session.value = null
      const route = nuxtApp.$router.currentRoute.value
      if (route.path !== '/login') await nuxtApp.runWithContext(() => navigateTo({ path: '/login', query: { redirect: route.fullPath } }))
    },
  })
  return { provide: { api } }
})
