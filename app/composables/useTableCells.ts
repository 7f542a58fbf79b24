// Cells and columns the admin's tables share (UTable columns render with h()).
// Components are imported, not resolved by name: resolveComponent finds only global components,
// and outside a .vue file Nuxt does not turn the name into an import.
import type { DropdownMenuItem, TableColumn } from '@nuxt/ui'
import type { Row, Table } from '@tanstack/vue-table'
import type { ListQuery } from '~/composables/useListQuery'
import { NuxtLink, StatusBadge, UButton, UCheckbox, UDropdownMenu, UIcon, DateTime } from '#components'

const selectHeader = <T>({ table }: { table: Table<T> }) => h(UCheckbox, {
  'modelValue': table.getIsSomePageRowsSelected() ? 'indeterminate' : table.getIsAllPageRowsSelected(),
  'onUpdate:modelValue': (value: unknown) => table.toggleAllPageRowsSelected(Boolean(value)),
  'disabled': !table.getRowModel().rows.some(row => row.getCanSelect()),
  'aria-label': 'Select every retryable row on this page',
})

const selectCell = <T>(row: Row<T>, label: string) => h(UCheckbox, {
  'modelValue': row.getIsSelected(),
  'disabled': !row.getCanSelect(),
  'onUpdate:modelValue': (value: unknown) => row.toggleSelected(Boolean(value)),
  'aria-label': `Select ${label}`,
})

const sortHeader = (label: string, active: boolean, order: 'asc' | 'desc', onClick: () => void) => h(UButton, {
  'color': 'neutral',
  'variant': 'ghost',
  label,
  'icon': active ? (order === 'asc' ? 'i-lucide-arrow-up-narrow-wide' : 'i-lucide-arrow-down-wide-narrow') : 'i-lucide-arrow-up-down',
  'class': '-mx-2.5',
  'aria-label': `Sort by ${label.toLowerCase()}`,
  onClick,
})

const when = (value: string | null) => h(DateTime, { at: value })

export function useTableCells() {
  return {
    status: (status: string) => h(StatusBadge, { status }),
    when,
    error: (text: string | null) => text
      ? h('p', { 'class': 'text-error text-sm line-clamp-2 max-w-md whitespace-normal', 'title': text, 'data-testid': 'row-error' }, text)
      : h('span', { class: 'text-dimmed' }, '—'),
    source: (source: string) => h('span', { class: 'inline-flex items-center gap-1.5' }, [h(UIcon, { name: sourceIcon(source), class: 'size-4' }), sourceLabel(source)]),
    link: (to: string, text: string, sub?: string) => h('div', { class: 'min-w-0 max-w-80' }, [
      h(NuxtLink, { to, class: 'font-medium text-highlighted hover:underline truncate block' }, () => text),
      sub ? h('div', { class: 'text-xs text-muted truncate' }, sub) : null,
    ]),
    retryButton: (options: { loading: boolean, disabled?: boolean, onClick: () => void }) => h(UButton, {
      'label': 'Retry',
      'icon': 'i-lucide-rotate-ccw',
      'size': 'sm',
      'color': 'neutral',
      'variant': 'outline',
      'loading': options.loading,
      'disabled': options.disabled,
      'data-testid': 'retry-row',
      'onClick': options.onClick,
    }),

    /** Checkboxes for a bulk action; which rows can be selected is the table's `canSelect`. */
    selectColumn: <T>(label: (row: T) => string): TableColumn<T> => ({
      id: 'select',
      header: selectHeader,
      cell: ({ row }) => selectCell(row, label(row.original)),
    }),
    /** "Created", sortable through the list's URL query. */
    createdColumn: <T extends { createdAt: string }>(list: ListQuery): TableColumn<T> => ({
      id: 'createdAt',
      header: () => sortHeader('Created', list.sort.value === 'createdAt', list.order.value, () => list.toggleSort('createdAt')),
      cell: ({ row }) => when(row.original.createdAt),
    }),
    /** The row's actions, behind a "⋮" menu at the end of the row. */
    actionsColumn: <T>(items: (row: T) => DropdownMenuItem[][], label: string): TableColumn<T> => ({
      id: 'actions',
      cell: ({ row }) => h('div', { class: 'text-right' }, h(UDropdownMenu, { content: { align: 'end' }, items: items(row.original) }, () =>
        h(UButton, { 'icon': 'i-lucide-ellipsis-vertical', 'color': 'neutral', 'variant': 'ghost', 'aria-label': label }))),
    }),
  }
}
