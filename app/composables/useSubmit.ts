// The admin's one way to run a request from a button or a form: `pending` while it runs, and its
// failure said in the API's words — under the form (`useSubmit`), or as a toast for a button
// (`useAction`, `useKeyedActions` for a button per row).
import { useMounted } from '@vueuse/core'

type Action<A extends unknown[], T> = (...args: A) => Promise<T>

/** `action` with a `pending` flag; a failure goes to `onFailure` and resolves to undefined. */
function withPending<A extends unknown[], T>(action: Action<A, T>, onFailure: (error: unknown) => void) {
  const pending = ref(false)
  async function run(...args: A): Promise<T | undefined> {
    pending.value = true
    try {
      return await action(...args)
    }
    catch (error) {
      onFailure(error)
      return undefined
    }
    finally {
      pending.value = false
    }
  }
  return { pending, run }
}

function useFailureToast() {
  const toast = useToast()
  return (title: string, error: unknown) => toast.add({ title, description: apiErrorMessage(error), color: 'error', icon: 'i-lucide-circle-x' })
}

/**
 * A form's submit: the API's message in `failure` when it fails, and `ready` once the page is
 * interactive — before that a click would submit the form natively, as a GET with the password in
 * the URL, so password forms keep their button disabled until then.
 */
export function useSubmit<A extends unknown[], T>(action: Action<A, T>) {
  const ready = useMounted()
  const failure = ref('')
  const { pending, run } = withPending(action, (error) => {
    failure.value = apiErrorMessage(error)
  })
  function submit(...args: A) {
    failure.value = ''
    return run(...args)
  }
  return { ready, pending, failure, submit }
}

/** A button's request: a failure is a toast titled `failed`; resolves to the result, or undefined when it failed. */
export function useAction<A extends unknown[], T>(failed: string, action: Action<A, T>) {
  const toastFailure = useFailureToast()
  return withPending(action, error => toastFailure(failed, error))
}

/** A button per row: each key is busy while its request runs; a failure is a toast titled `failed`. */
export function useKeyedActions() {
  const toastFailure = useFailureToast()
  const busy = ref(new Set<string>())
  const isBusy = (key: string) => busy.value.has(key)
  async function run<T>(key: string, failed: string, work: () => Promise<T>): Promise<T | undefined> {
    busy.value = new Set(busy.value).add(key)
    try {
      return await work()
    }
    catch (error) {
      toastFailure(failed, error)
      return undefined
    }
    finally {
      const next = new Set(busy.value)
      next.delete(key)
      busy.value = next
    }
  }
  return { isBusy, run }
}

/** The sign-in pages (sign-in, setup, invite, reset link): the route starts a session, then the admin opens `to`. */
export function useSignInSubmit<A extends unknown[]>(request: (...args: A) => Promise<unknown>, to: () => string) {
  const { fetch: refreshSession } = useUserSession()
  return useSubmit(async (...args: A) => {
    await request(...args)
    await refreshSession()
    await navigateTo(to())
  })
}
