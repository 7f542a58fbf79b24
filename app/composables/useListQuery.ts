// Paging, sort and filters of a server-side list, kept in the URL query: a view can be shared as
// a link and survives a reload. Changing a filter goes back to page 1.
import type { LocationQueryRaw } from 'vue-router'

export interface ListQueryOptions {
  pageSize?: number
  sort?: string
  order?: 'asc' | 'desc'
}

type Patch = Record<string, string | number | null | undefined>

/** `to` reads as an inclusive day in the UI; the API's `to` is exclusive. */
function dayAfter(day: string): string | undefined {
  const date = new Date(`${day}T00:00:00.000Z`)
  if (Number.isNaN(date.getTime())) return undefined
  date.setUTCDate(date.getUTCDate() + 1)
  return date.toISOString().slice(0, 10)
}

export function useListQuery<F extends string>(filterKeys: readonly F[], options: ListQueryOptions = {}) {
  const route = useRoute()
  const router = useRouter()
  const read = (key: string) => {
    const value = route.query[key]
    return typeof value === 'string' && value !== '' ? value : undefined
  }

  const page = computed(() => Math.max(1, Number(read('page')) || 1))
  const pageSize = computed(() => Number(read('pageSize')) || options.pageSize || 25)
  const sort = computed(() => read('sort') ?? options.sort ?? 'createdAt')
  const order = computed<'asc' | 'desc'>(() => read('order') === 'asc' ? 'asc' : read('order') === 'desc' ? 'desc' : options.order ?? 'desc')
  const filters = computed(() => Object.fromEntries(filterKeys.map(key => [key, read(key)])) as Record<F, string | undefined>)
  const hasFilters = computed(() => filterKeys.some(key => read(key) !== undefined))

  /** What the list API gets: defaults filled in, empty filters left out. */
  const apiQuery = computed(() => {
    const query: Record<string, string | number> = { page: page.value, pageSize: pageSize.value, sort: sort.value, order: order.value }
    for (const [key, value] of Object.entries(filters.value)) {
      if (value === undefined) continue
      const sent = key === 'to' ? dayAfter(value as string) : value as string
      if (sent) query[key] = sent
    }
    return query
  })

  function update(patch: Patch, how: { replace?: boolean } = {}) {
    // A changed filter starts again at page 1; empty values and page 1 stay out of the URL.
    const merged: LocationQueryRaw = { ...route.query, page: undefined, ...patch }
    const next = Object.fromEntries(Object.entries(merged).filter(([key, value]) =>
      value !== undefined && value !== null && value !== '' && !(key === 'page' && String(value) === '1')))
    return how.replace ? router.replace({ query: next }) : router.push({ query: next })
  }

  function clearFilters() {
    return update(Object.fromEntries(filterKeys.map(key => [key, undefined])))
  }

  function toggleSort(column: string) {
    if (sort.value === column) return update({ order: order.value === 'desc' ? 'asc' : 'desc' })
    return update({ sort: column, order: 'desc' })
  }

  return { page, pageSize, sort, order, filters, hasFilters, apiQuery, update, clearFilters, toggleSort }
}

/** A list's URL state as components take it; `F` names the filters the component touches. */
export type ListQuery<F extends string = never> = ReturnType<typeof useListQuery<F>>
