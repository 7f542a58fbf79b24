#!/usr/bin/env node
// Where a CPU profile's time went, by the code that spent it: `node bench/scripts/profile-summary.mjs
// <file.cpuprofile | folder>`. A profile from `--cpu-prof` charges a native call (libSQL's run,
// prepare, step) to the JavaScript function that made it, so grouping self time by package says
// how much is SQLite and its client, drizzle building SQL, our code, and the rest.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

const GROUPS = [
  ['libSQL (native calls)', url => /node_modules\/libsql\//.test(url)],
  ['@libsql/client', url => /@libsql\/client/.test(url)],
  ['drizzle-orm', url => /drizzle-orm/.test(url)],
  ['Discubot (layers/, server/)', url => /\/(layers|server)\/|chunks\/nitro/.test(url) && !/node_modules/.test(url)],
  ['h3 / nitro / node http', url => /node_modules\/(h3|nitropack|ufo|destr|radix3)|node:_http|node:net/.test(url)],
  ['zod', url => /node_modules\/zod/.test(url)],
  ['other node_modules', url => /node_modules/.test(url)],
  ['node internals', url => url.startsWith('node:')],
]

function summarize(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples?.length ?? 1)
  const totals = new Map()
  let all = 0
  for (const node of profile.nodes) {
    const us = (node.hitCount ?? 0) * interval
    const { url, functionName } = node.callFrame
    const group = functionName === '(idle)'
      ? 'idle'
      : functionName === '(garbage collector)'
        ? 'garbage collector'
        : functionName === '(program)'
          ? 'program (native, unattributed)'
          : GROUPS.find(([, test]) => test(url))?.[0] ?? 'other'
    totals.set(group, (totals.get(group) ?? 0) + us)
    if (group !== 'idle') all += us
  }
  console.log(`${file}: ${(all / 1e6).toFixed(1)} s busy`)
  for (const [group, us] of [...totals].filter(([g]) => g !== 'idle').sort((a, b) => b[1] - a[1])) {
    console.log(`  ${group.padEnd(32)} ${(100 * us / all).toFixed(1).padStart(5)} %  ${(us / 1e6).toFixed(2)} s`)
  }
}

const target = process.argv[2]
if (!target) {
  console.error('usage: profile-summary.mjs <file.cpuprofile | folder>')
  process.exit(2)
}
const files = statSync(target).isDirectory()
  ? readdirSync(target).filter(name => name.endsWith('.cpuprofile')).map(name => join(target, name))
  : [target]
for (const file of files) summarize(file)
