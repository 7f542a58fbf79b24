// A form's submit: `pending` while it runs, the API's message in `failure` when it fails.
export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
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
  return { pending, failure, submit }
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
