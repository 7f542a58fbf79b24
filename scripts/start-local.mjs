// README command 1: build and start Discubot on its embedded defaults (SQLite file in .data/,
// offline analyzer, local task list), then say where to open it.
import { spawn, spawnSync } from 'node:child_process'

const port = process.env.PORT || '3000'
const url = `http://localhost:${port}`

const build = spawnSync('npx', ['nuxt', 'build'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

const server = spawn(process.execPath, ['.output/server/index.mjs'], {
  stdio: 'inherit',
  env: { NUXT_PUBLIC_BASE_URL: url, ...process.env, PORT: port },
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', code => process.exit(code ?? 0))

for (let i = 0; i < 300; i++) {
  try {
    const health = await fetch(`${url}/api/health`)
    if (health.ok) {
      console.log(`\n  Discubot is running: open ${url}  (health: ${url}/api/health)\n`)
      break
    }
  }
  catch {
    // not listening yet
  }
  await new Promise(resolve => setTimeout(resolve, 200))
}
