// The pages a one-time link opens (setup, invite, password reset): the link's token, and what the
// API says of it before anything is typed (who is invited, whose password it resets, or why not).
export async function useOneTimeLink<T>(path: string) {
  const route = useRoute()
  const token = computed(() => typeof route.query.token === 'string' ? route.query.token : '')
  const { data, error } = await useFetch<T>(path, { query: { token }, immediate: Boolean(token.value) })
  return { token, data, error }
}
