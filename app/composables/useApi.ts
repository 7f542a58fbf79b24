/**
 * useFetch through the admin's $fetch (plugins/api.ts: a 401 goes back to sign-in). Typed as
 * useFetch itself so responses keep the types Nitro infers from the route handlers.
 */
export const useApi = ((request: Parameters<typeof useFetch>[0], options?: Parameters<typeof useFetch>[1]) =>
  useFetch(request, { ...(options as object), $fetch: useNuxtApp().$api as typeof $fetch })) as typeof useFetch
