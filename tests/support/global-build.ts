// Builds the server once per test run, with the test-only stage holds compiled in. Set
// DISCUBOT_TEST_SKIP_BUILD=1 to reuse an existing build while iterating on tests.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, testBuildDir, testServerEntry } from './paths'

export default function setup() {
  if (process.env.DISCUBOT_TEST_SKIP_BUILD === '1' && existsSync(testServerEntry())) return
  // Several projects (e2e, chaos) share this setup: build once per test run.
  const stamp = join(testBuildDir(), 'built-by-run')
  if (existsSync(testServerEntry()) && existsSync(stamp) && readFileSync(stamp, 'utf8') === String(process.pid)) return
  const started = Date.now()
  const result = spawnSync('npx', ['nuxt', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DISCUBOT_BUILD_TEST_HOOKS: '1',
      DISCUBOT_NUXT_BUILD_DIR: join(testBuildDir(), 'nuxt'),
      DISCUBOT_OUTPUT_DIR: join(testBuildDir(), 'output'),
    },
  })
  if (result.status !== 0) {
    throw new Error(`nuxt build failed:\n${result.stdout}\n${result.stderr}`)
  }
  writeFileSync(stamp, String(process.pid))
  console.log(`[tests] built the server in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
