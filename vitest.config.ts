import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const alias = {
  '#layers/discubot': fileURLToPath(new URL('./layers/discubot', import.meta.url)),
  '#shared': fileURLToPath(new URL('./shared', import.meta.url)),
}

// unit + integration run in-process on a real libSQL file; e2e, crash and browser tests start the
// built server (built once per run by tests/support/global-build.ts) with local stand-ins.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      { resolve: { alias }, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], environment: 'node', setupFiles: ['tests/support/env.ts'] } },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts', 'tests/browser/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/env.ts'],
          globalSetup: ['tests/support/global-build.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // A page or a server under the whole suite's load can take seconds to show a change; the
          // 1 s default made expect.poll flaky on two busy cores.
          expect: { poll: { timeout: 15_000, interval: 100 } },
          // Each file starts its own servers; two cores cannot carry many at once.
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'chaos',
          include: ['tests/chaos/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/env.ts'],
          globalSetup: ['tests/support/global-build.ts'],
          testTimeout: 1_800_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
