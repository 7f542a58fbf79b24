/**
 * useFetch through the admin's $fetch (plugins/api.ts: a 401 goes back to sign-in). Typed as
 * useFetch itself; callers name the answer from shared/api.ts, e.g. `useApi<Serialized<JobDetail>>`.
 */
export const useApi = ((request: Parameters<typeof useFetch>[0], options?: Parameters<typeof useFetch>[1]) =>
  useFetch(request, { ...(options as object), $fetch: useNuxtApp().$api as typeof $fetch })) as typeof useFetch
