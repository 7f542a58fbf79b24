import { useMounted } from '@vueuse/core'

// A form's submit: `pending` while it runs, the API's message in `failure` when it fails, and
// `ready` once the page is interactive — before that a click would submit the form natively, as a
// GET with the password in the URL, so password forms keep their button disabled until then.
export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const ready = useMounted()
  const pending = ref(false)
  const failure = ref('')
  async function submit(...args: A) {
    pending.value = true
    failure.value = ''
    try {
      await action(...args)
    }
    catch (error) {
      failure.value = apiErrorMessage(error)
    }
    finally {
      pending.value = false
    }
  }
  return { ready, pending, failure, submit }
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
