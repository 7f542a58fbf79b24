// Crash-test support. `import.meta.discubotTestHooks` is replaced at build time: false in every
// normal build, so no environment variable can enable a hold in production.
declare global {
  interface ImportMeta {
    discubotTestHooks?: boolean
  }
}

/**
 * In a test build started with DISCUBOT_TEST_HOLDS=1, a job whose trigger text contains
 * `[hold:<point>]` stops at that point until the process is killed, and one whose text contains
 * `[crash:<point>]` kills its own process there (a stage that takes its instance down).
 */
export async function testHold(point: string, content: string): Promise<void> {
  if (!import.meta.discubotTestHooks) return
  if (process.env.DISCUBOT_TEST_HOLDS !== '1') return
  if (content.includes(`[crash:${point}]`)) {
    console.log(`[test-hold] crashing at ${point}`)
    process.kill(process.pid, 'SIGKILL')
  }
  if (!content.includes(`[hold:${point}]`)) return
  console.log(`[test-hold] reached ${point}`)
  await new Promise(() => {})
}
