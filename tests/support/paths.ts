import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Where the test build lives; DISCUBOT_TEST_BUILD_NAME lets parallel runs build apart. */
export function testBuildDir() {
  return join(ROOT, 'tests', '.build', process.env.DISCUBOT_TEST_BUILD_NAME || 'default')
}

export function testServerEntry() {
  return join(testBuildDir(), 'output', 'server', 'index.mjs')
}

export const ARTIFACTS = join(ROOT, 'tests', '.artifacts')
