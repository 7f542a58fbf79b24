// What a call threw, for assertions on the error itself (its class, message, status).

export async function rejectionOf(run: Promise<unknown>): Promise<Error> {
  try {
    await run
  }
  catch (error) {
    return error as Error
  }
  throw new Error('expected the call to fail')
}

export function thrownBy<E extends Error>(run: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    run()
  }
  catch (error) {
    if (error instanceof type) return error
    throw error
  }
  throw new Error(`expected a ${type.name}`)
}
