// `npm run bench`: the benchmark scripts run under vitest only because it resolves the layer's
// extensionless imports and the `#layers/discubot` alias the way the tests do. They assert
// nothing; the one entry prints the results table to stdout.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const alias = {
  '#layers/discubot': fileURLToPath(new URL('../layers/discubot', import.meta.url)),
  '#shared': fileURLToPath(new URL('../shared', import.meta.url)),
}

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: { alias },
  test: {
    include: ['bench/**/*.bench-run.ts'],
    environment: 'node',
    setupFiles: ['tests/support/env.ts'],
    // The server build lives apart from the test builds (tests/.build/bench).
    env: { DISCUBOT_TEST_BUILD_NAME: process.env.DISCUBOT_TEST_BUILD_NAME || 'bench' },
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60 * 60_000,
    hookTimeout: 10 * 60_000,
    reporters: ['dot'],
  },
})
