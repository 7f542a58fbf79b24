// The data half of a server-paged list page (ListPage.vue draws it): the rows the URL's query asks
// for, kept live — quickly while `moving` says a row is still changing, slowly otherwise.
import type { Page } from '#layers/discubot/shared/list-query'
import type { ListQuery } from '~/composables/useListQuery'

export async function useListPage<Row extends { id: string }>(url: string, list: ListQuery<'q' | 'from' | 'to'>, moving?: (row: Row) => boolean) {
  // Everything is set up before the await: after it, the component instance is no longer current.
  const request = useApi<Page<Row>>(url, { query: list.apiQuery })
  const { data, status, error, refresh } = request
  const rows = computed(() => data.value?.items ?? [])
  const live = computed(() => Boolean(moving && rows.value.some(moving)))
  usePolling(refresh, () => live.value ? 2000 : 10_000)
  await request
  return {
    list,
    rows,
    total: computed(() => data.value?.total ?? 0),
    loading: computed(() => status.value === 'pending'),
    error,
    refresh,
  }
}

export type ListPageData<Row extends { id: string }> = Awaited<ReturnType<typeof useListPage<Row>>>
