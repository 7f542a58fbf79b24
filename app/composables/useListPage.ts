// The data half of a server-paged list page (ListPage.vue draws it): the list's URL state, with
// the text search and date range every list has, and the rows it asks for, kept live: quickly
// while `moving` says a row is still changing, slowly otherwise.
import type { ListRows, Serialized } from '#layers/discubot/shared/api'
import type { Page } from '#layers/discubot/shared/list-query'
import type { ListQuery } from '~/composables/useListQuery'

/** A row of a paged list, as the page receives it. */
export type ListRow<U extends keyof ListRows> = Serialized<ListRows[U]>

export interface ListPageData<Row, F extends string = string> {
  list: ListQuery<F | 'q' | 'from' | 'to'>
  rows: ComputedRef<Row[]>
  total: ComputedRef<number>
  loading: ComputedRef<boolean>
  error: Ref<unknown>
  refresh: () => Promise<void>
}

export async function useListPage<U extends keyof ListRows, F extends string>(url: U, filterKeys: readonly F[], moving?: (row: ListRow<U>) => boolean): Promise<ListPageData<ListRow<U>, F>> {
  const list = useListQuery([...filterKeys, 'q', 'from', 'to'])
  // Everything is set up before the await: after it, the component instance is no longer current.
  const request = useApi<Page<ListRow<U>>>(url, { query: list.apiQuery })
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
