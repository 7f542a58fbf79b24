// Test-build hooks: crash-test holds and traces. `import.meta.discubotTestHooks` is replaced at
// build time: false in every normal build, so no environment variable can enable one in production.
declare global {
  interface ImportMeta {
    discubotTestHooks?: boolean
  }
}

/** True only in a test build started with `env`=1. */
export function testHookEnabled(env: string): boolean {
  return Boolean(import.meta.discubotTestHooks) && process.env[env] === '1'
}

/**
 * In a test build started with DISCUBOT_TEST_HOLDS=1, a job whose trigger text contains
 * `[hold:<point>]` stops at that point until the process is killed, and one whose text contains
 * `[crash:<point>]` kills its own process there (a stage that takes its instance down).
 */
export async function testHold(point: string, content: string): Promise<void> {
  if (!testHookEnabled('DISCUBOT_TEST_HOLDS')) return
  if (content.includes(`[crash:${point}]`)) {
    console.log(`[test-hold] crashing at ${point}`)
    process.kill(process.pid, 'SIGKILL')
  }
  if (!content.includes(`[hold:${point}]`)) return
  console.log(`[test-hold] reached ${point}`)
  await new Promise(() => {})
}
