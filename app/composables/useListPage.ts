// The data half of a server-paged list page (ListPage.vue draws it): the list's URL state (its
// select filters, `keys` the page sets otherwise, and the text search and date range every list
// has) and the rows it asks for, kept live: quickly while `moving` says a row is still changing.
import type { ListRows, Serialized } from '#layers/discubot/shared/api'
import type { Page } from '#layers/discubot/shared/list-query'
import type { ListQuery } from '~/composables/useListQuery'
import type { ListFilter } from '~/utils/list-filters'

/** A row of a paged list, as the page receives it. */
export type ListRow<U extends keyof ListRows> = Serialized<ListRows[U]>

export interface ListPageData<Row, F extends string = string> {
  list: ListQuery<F | 'q' | 'from' | 'to'>
  filters: readonly ListFilter[]
  rows: ComputedRef<Row[]>
  total: ComputedRef<number>
  loading: ComputedRef<boolean>
  error: Ref<unknown>
  refresh: () => Promise<void>
}

interface ListPageOptions<Row, K extends string> {
  keys?: readonly K[]
  moving?: (row: Row) => boolean
}

export async function useListPage<U extends keyof ListRows, F extends string, K extends string = never>(
  url: U,
  filters: readonly ListFilter<F>[],
  { keys = [], moving }: ListPageOptions<ListRow<U>, K> = {},
): Promise<ListPageData<ListRow<U>, F | K>> {
  const list = useListQuery([...filters.map(filter => filter.key), ...keys, 'q', 'from', 'to'])
  // Everything is set up before the await: after it, the component instance is no longer current.
  const request = useApi<Page<ListRow<U>>>(url, { query: list.apiQuery })
  const { data, status, error, refresh } = request
  const rows = computed(() => data.value?.items ?? [])
  const live = computed(() => Boolean(moving && rows.value.some(moving)))
  usePolling(refresh, () => live.value ? 2000 : 10_000)
  await request
  return {
    list,
    filters,
    rows,
    total: computed(() => data.value?.total ?? 0),
    loading: computed(() => status.value === 'pending'),
    error,
    refresh,
  }
}
